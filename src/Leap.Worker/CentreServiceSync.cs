using Leap.CentreService;
using Leap.CentreService.Client;
using Leap.Collectives;
using Leap.Contracts.V1;
using Leap.Core.Statistics;
using Leap.Training.Distributed;
using Leap.Training.Engine;
using Leap.Training.Hooks;
using static TorchSharp.torch;

namespace Leap.Worker;

/// <summary>
/// Keeps a worker's cloud statistics in the central class-centre / angle-memory service instead of a local tracker.
/// Every step's global features are buffered; every refresh interval each rank pushes only the rows of the classes
/// its classifier shard owns (so each class's update arrives exactly once, as in the single-process tracker), all
/// ranks meet at a barrier, and each pulls sigma_i^2 of all classes to rebuild <see cref="CloudStatistics"/>
/// locally. Request ids are (job, rank, step), so a retried or repeated push is applied once. Every rank pulls the
/// same statistics: no rank pushes again before the next step's collectives, which wait for every rank and so come
/// after every rank's pull (tests: Leap.Worker.Tests/CentreServiceSyncTests).
/// </summary>
public sealed class CentreServiceSync(
    CentreServiceClient client, ICollectives ring, ClassShard shard, CentreLayout layout, string jobId) : ITrainingHook, ICloudStatisticsSource
{
    private readonly List<(Tensor Features, Tensor Labels)> _pending = [];

    public CloudStatistics Statistics { get; private set; } =
        new(layout.Settings.Variant, layout.Settings.HeadThreshold, layout.SamplesPerClass, Enumerable.Repeat(double.NaN, layout.ClassCount).ToArray());

    public int RefreshInterval { get; init; } = 1;

    /// <summary>Push / pull round-trip times, or null for none.</summary>
    public CentreClientMetrics? Metrics { get; init; }

    public void BeforeTrain(TrainingSession session)
    {
        client.InitialiseAsync(layout).GetAwaiter().GetResult();
        Pull();
    }

    public void AfterStep(TrainingSession session, StepOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (!outcome.Skipped)
        {
            using var scope = NewDisposeScope();
            var owned = (outcome.Labels.ge(shard.Start) & outcome.Labels.lt(shard.Start + shard.Count)).nonzero().squeeze(1);
            _pending.Add((outcome.Embeddings.index_select(0, owned).MoveToOuterDisposeScope(), outcome.Labels.index_select(0, owned).MoveToOuterDisposeScope()));
        }
        if ((outcome.Step + 1) % RefreshInterval != 0)
        {
            return;
        }
        using (NewDisposeScope())
        {
            var features = cat(_pending.Select(p => p.Features).ToList(), 0);
            var labels = cat(_pending.Select(p => p.Labels).ToList(), 0);
            if (labels.numel() > 0)
            {
                using var timer = Metrics?.TimePush();
                client.PushAsync(new PushRequest
                {
                    RequestId = $"{jobId}/rank-{shard.Rank}-of-{shard.WorldSize}/step-{outcome.Step}",
                    Step = outcome.Step,
                    Features = TensorBytesCodec.FromTensor(features.to(ScalarType.Float32).contiguous()),
                    Labels = TensorBytesCodec.FromTensor(labels.contiguous()),
                }).GetAwaiter().GetResult();
            }
        }
        foreach (var (f, l) in _pending)
        {
            f.Dispose();
            l.Dispose();
        }
        _pending.Clear();
        ring.BarrierAsync().GetAwaiter().GetResult();
        Pull();
    }

    private void Pull()
    {
        CloudStatisticsReply reply;
        using (Metrics?.TimePull())
        {
            reply = client.GetCloudStatisticsAsync().GetAwaiter().GetResult();
        }
        var variance = new double[layout.ClassCount];
        Array.Fill(variance, double.NaN);
        for (int i = 0; i < reply.ClassIds.Count; i++)
        {
            variance[reply.ClassIds[i]] = reply.ClassVariance[i];
        }
        Statistics = new CloudStatistics(layout.Settings.Variant, layout.Settings.HeadThreshold, layout.SamplesPerClass, variance);
    }
}
