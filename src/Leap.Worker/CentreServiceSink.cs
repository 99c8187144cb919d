using TorchSharp;
using Leap.CentreService;
using Leap.CentreService.Client;
using Leap.Collectives;
using Leap.Contracts.V1;
using Leap.Core.Statistics;
using Leap.Training.Distributed;
using static TorchSharp.torch;

namespace Leap.Worker;

/// <summary>
/// Keeps a worker's centres and angle memories in the central service: the worker's <see cref="ICentreSink"/>.
/// Per refresh each rank pushes only the rows of the classes its classifier shard owns (so each class's update
/// arrives exactly once, as in the single-process tracker) and then pulls sigma_i^2 of those classes, in the
/// background. No other rank's push touches them, so no barrier is needed; completing the refresh all-gathers the
/// ranks' slices (on the training thread, in step order like every collective) into the statistics of all classes.
/// Request ids are (job, rank, step), so a retried or repeated push is applied once.
/// (Tests: Leap.Worker.Tests/CentreServiceSinkTests.)
/// </summary>
public sealed class CentreServiceSink(
    CentreServiceClient client, ICollectives ring, ClassShard shard, CentreLayout layout, string jobId) : ICentreSink
{
    /// <summary>Push / pull round-trip times, or null for none.</summary>
    public CentreClientMetrics? Metrics { get; init; }

    /// <summary>Initialises the service with the layout (idempotent) and pulls what it holds.</summary>
    public CloudStatistics Start()
    {
        client.InitialiseAsync(layout).GetAwaiter().GetResult();
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
        return Statistics(variance);
    }

    public IPendingCentreRefresh Refresh(IReadOnlyList<(Tensor Features, Tensor Labels)> interval, long step)
    {
        ArgumentNullException.ThrowIfNull(interval);
        PushRequest? request = null;
        try
        {
            using var scope = NewDisposeScope();
            var owned = interval.Select(p =>
            {
                using var first = shard.Start.ToScalar();
                using var end = (shard.Start + shard.Count).ToScalar();
                var rows = (p.Labels.ge(first) & p.Labels.lt(end)).nonzero().squeeze(1);
                return (Features: p.Features.index_select(0, rows), Labels: p.Labels.index_select(0, rows));
            }).ToList();
            if (owned.Count > 0)
            {
                var features = cat(owned.Select(o => o.Features).ToList(), 0);
                var labels = cat(owned.Select(o => o.Labels).ToList(), 0);
                if (labels.numel() > 0)
                {
                    request = new PushRequest
                    {
                        RequestId = $"{jobId}/rank-{shard.Rank}-of-{shard.WorldSize}/step-{step}",
                        Step = step,
                        Features = TensorBytesCodec.FromTensor(features.to(ScalarType.Float32).contiguous()),
                        Labels = TensorBytesCodec.FromTensor(labels.to(ScalarType.Int64).contiguous()),
                    };
                }
            }
        }
        finally
        {
            foreach (var (f, l) in interval)
            {
                f.Dispose();
                l.Dispose();
            }
        }
        return new PendingRefresh(this, Task.Run(() => PushThenPullOwned(request)));
    }

    private async Task<double[]> PushThenPullOwned(PushRequest? request)
    {
        if (request is not null)
        {
            using var timer = Metrics?.TimePush();
            await client.PushAsync(request).ConfigureAwait(false);
        }
        CloudStatisticsReply reply;
        using (Metrics?.TimePull())
        {
            reply = await client.GetCloudStatisticsAsync(Enumerable.Range(shard.Start, shard.Count)).ConfigureAwait(false);
        }
        var slice = new double[shard.Count];
        for (int i = 0; i < reply.ClassIds.Count; i++)
        {
            slice[reply.ClassIds[i] - shard.Start] = reply.ClassVariance[i];
        }
        return slice;
    }

    /// <summary>Every rank's sigma_i^2 slice, gathered in rank order (padded to the largest shard for the collective).</summary>
    private CloudStatistics Gather(double[] slice)
    {
        int widest = (layout.ClassCount + shard.WorldSize - 1) / shard.WorldSize;
        var padded = new double[widest];
        Array.Fill(padded, double.NaN);
        slice.CopyTo(padded, 0);
        var variance = new double[layout.ClassCount];
        using (var mine = tensor(padded))
        using (var all = ring.AllGatherAsync(mine).GetAwaiter().GetResult())
        {
            double[] gathered = all.data<double>().ToArray();
            for (int r = 0; r < shard.WorldSize; r++)
            {
                var theirs = ClassShard.For(layout.ClassCount, r, shard.WorldSize);
                Array.Copy(gathered, (long)r * widest, variance, theirs.Start, theirs.Count);
            }
        }
        return Statistics(variance);
    }

    private CloudStatistics Statistics(double[] variance) =>
        new(layout.Settings.Variant, layout.Settings.HeadThreshold, layout.SamplesPerClass, variance);

    private sealed class PendingRefresh(CentreServiceSink sink, Task<double[]> pushAndPull) : IPendingCentreRefresh
    {
        public CloudStatistics Complete() => sink.Gather(pushAndPull.GetAwaiter().GetResult());
    }
}
