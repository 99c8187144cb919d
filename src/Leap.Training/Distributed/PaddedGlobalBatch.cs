using TorchSharp;
using static TorchSharp.torch;

namespace Leap.Training.Distributed;

/// <summary>Where a step's global batch lies in a <see cref="FusedSum"/>.</summary>
public readonly record struct PaddedGlobalBatchSegments(FusedSegment Embeddings, FusedSegment LabelHigh, FusedSegment LabelLow);

/// <summary>
/// The global batch (every rank's embeddings and labels, in rank order) carried by a sum all-reduce instead of an
/// all-gather, so it can ride in the step's one fused collective (<see cref="ReplicatedClassifierStep"/>): each rank
/// contributes a zero tensor of the global batch's shape with its own rows filled in. Adding zeros is exact, so the sum
/// is the gathered batch bit for bit. Labels travel as two float32 halves (v / 2^16 and v mod 2^16, both exact in
/// float32) so class ids up to 2^40 survive the float32 sum.
/// </summary>
public static class PaddedGlobalBatch
{
    private const long Half = 1L << 16;

    public static PaddedGlobalBatchSegments Add(FusedSum sum, Tensor embeddings, Tensor labels, int rank, int worldSize)
    {
        ArgumentNullException.ThrowIfNull(sum);
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        long rows = embeddings.shape[0];
        if (labels.shape[0] != rows)
        {
            throw new ArgumentException($"embeddings ({rows} rows) and labels ({labels.shape[0]}) must have the same number of rows.");
        }
        // No dispose scope of its own: the fused sum keeps these tensors until it runs; the caller's scope frees them.
        var padded = zeros(worldSize * rows, embeddings.shape[1], ScalarType.Float32);
        padded.narrow(0, rank * rows, rows).copy_(embeddings.detach().cpu().to(ScalarType.Float32));
        var longLabels = labels.cpu().to(ScalarType.Int64);
        // Explicit scalars, alive until the ops have run (an implicit one can be finalised during the native call).
        using var half = Half.ToScalar();
        var high = zeros(worldSize * rows, ScalarType.Float32);
        var low = zeros(worldSize * rows, ScalarType.Float32);
        high.narrow(0, rank * rows, rows).copy_(longLabels.div(half, rounding_mode: RoundingMode.floor).to(ScalarType.Float32));
        low.narrow(0, rank * rows, rows).copy_(longLabels.remainder(half).to(ScalarType.Float32));
        return new PaddedGlobalBatchSegments(sum.Add(padded), sum.Add(high), sum.Add(low));
    }

    /// <returns>The global embeddings [N B, D] in <paramref name="embeddingType"/> and labels [N B] int64, both new CPU tensors.</returns>
    public static (Tensor Embeddings, Tensor Labels) Read(Tensor summed, PaddedGlobalBatchSegments segments, ScalarType embeddingType)
    {
        ArgumentNullException.ThrowIfNull(summed);
        using var half = Half.ToScalar();
        using var one = 1.ToScalar();
        var embeddings = segments.Embeddings.Of(summed).to(embeddingType).clone();
        var labels = segments.LabelHigh.Of(summed).to(ScalarType.Int64).mul(half).add(segments.LabelLow.Of(summed).to(ScalarType.Int64), one).contiguous();
        return (embeddings, labels);
    }
}
