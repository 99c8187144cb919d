using static TorchSharp.torch;

namespace Leap.Core.Augmentation;

/// <summary>
/// Draws LEAP's angle perturbation alpha ~ N(0, std_i^2) for each sample i of a batch, std_i = sqrt(sigma^2 -
/// sigma_{y_i}^2) for cloud classes and 0 otherwise, keyed by (seed, step, global sample index, class column).
/// </summary>
public sealed class AlphaSampler
{
    public AlphaSampler(ulong seed, AlphaMode mode)
    {
        Seed = seed;
        Mode = mode;
    }

    public ulong Seed { get; }
    public AlphaMode Mode { get; }

    /// <param name="rowStd">[B] standard deviation of alpha per sample (0 = no cloud).</param>
    /// <param name="globalSampleIndices">[B] the samples' indices in the training set (stable across workers).</param>
    /// <param name="columnClassIds">[C_local] global class id of each classifier column on this shard.</param>
    /// <returns>[B, C_local] (per column) or [B, 1] (per sample); rows with std 0 are exactly zero.</returns>
    public Tensor Sample(long step, Tensor rowStd, Tensor globalSampleIndices, Tensor columnClassIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var device = rowStd.device;
        rowStd = rowStd.to(ScalarType.Float64, CPU);
        globalSampleIndices = globalSampleIndices.to(ScalarType.Int64, CPU);
        columnClassIds = columnClassIds.to(ScalarType.Int64, CPU);
        long rows = rowStd.shape[0];
        long columns = Mode == AlphaMode.PerColumn ? columnClassIds.shape[0] : 1;
        var alpha = zeros(rows, columns, dtype);
        var cloudRows = rowStd.gt(0).nonzero().squeeze(1);
        if (cloudRows.numel() > 0)
        {
            var keysForColumns = Mode == AlphaMode.PerColumn ? columnClassIds : tensor(new long[] { -1 });
            var draws = CounterNormal.Sample(
                CounterNormal.StepKey(Seed, step),
                globalSampleIndices.index_select(0, cloudRows),
                keysForColumns,
                ScalarType.Float64);
            var scaled = draws * rowStd.index_select(0, cloudRows).unsqueeze(1);
            alpha.index_copy_(0, cloudRows, scaled.to(dtype));
        }
        return alpha.to(device).MoveToOuterDisposeScope();
    }
}
