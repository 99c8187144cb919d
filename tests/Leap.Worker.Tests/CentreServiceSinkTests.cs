using Leap.CentreService;
using Leap.CentreService.Client;
using Leap.CentreService.Tests.Support;
using Leap.Collectives;
using Leap.Core.Statistics;
using Leap.Training.Distributed;
using Leap.Training.Engine;
using static TorchSharp.torch;

namespace Leap.Worker.Tests;

/// <summary>
/// <see cref="CentreServiceSink"/> driven by <see cref="CentreRefresh"/> against the real centre service (Kestrel on
/// 127.0.0.1, gRPC) with two in-process ranks: the statistics each rank hands to its feature cloud after every step
/// equal those of one in-process tracker fed the same global features with the same refresh interval and lag.
/// </summary>
public sealed class CentreServiceSinkTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData(LeapVariant.Full, 1, 0)]
    [InlineData(LeapVariant.Vanilla, 3, 0)]
    [InlineData(LeapVariant.Full, 1, 1)]
    [InlineData(LeapVariant.Vanilla, 3, 1)]
    public async Task Observe_TwoRanksThroughTheService_StatisticsEqualAnInProcessTrackers(LeapVariant variant, int refreshInterval, int lag)
    {
        const int steps = 12;
        var small = TestData.SmallLayout(variant);
        var layout = new CentreLayout(small.SamplesPerClass, small.Dimension, small.Settings with { RefreshInterval = refreshInterval });
        var batches = TestData.Batches(seed: 7, steps, rows: 24, layout.Dimension, 0, layout.ClassCount);
        using var state = new TempDirectory();
        await using var host = await KestrelCentreHost.StartAsync(state.Path);
        var ranks = InProcessCollectives.Create(2, Timeout);

        var seen = await Task.WhenAll(ranks.Select(ring => Task.Run(() => RunRank(host, ring, layout, batches, lag)))).WaitAsync(Timeout);

        using var tracker = new CentreTracker(layout.Settings, layout.SamplesPerClass, layout.Dimension);
        using var local = new CentreRefresh(new TrackerCentreSink(tracker), refreshInterval, lag, tracker.Statistics);
        local.Start();
        for (int step = 0; step < steps; step++)
        {
            Step(local, batches[step], step);
            var expected = local.Statistics;
            foreach (int rank in new[] { 0, 1 })
            {
                var actual = seen[rank][step];
                string where = $"rank {rank} after step {step}";
                TestData.AssertClose(expected.OverallVariance, actual.OverallVariance, 1e-12, $"{where}: overall sigma^2");
                for (int c = 0; c < layout.ClassCount; c++)
                {
                    TestData.AssertClose(expected.ClassVariance(c), actual.ClassVariance(c), 1e-12, $"{where}: sigma_{c}^2");
                    Assert.True(expected.IsCloudClass(c) == actual.IsCloudClass(c), $"{where}: class {c} cloud {actual.IsCloudClass(c)}, expected {expected.IsCloudClass(c)}");
                }
            }
        }
        // Not vacuous: the last statistics in use give some classes a cloud.
        Assert.True(local.Statistics.CloudClassCount() > 0, "no class has a feature cloud: the comparison shows nothing");
        var reply = await host.Client.GetSummaryAsync().WaitAsync(Timeout);
        Assert.Equal(steps / refreshInterval * 2, reply.Pushes);
        Assert.Equal(refreshInterval, reply.Settings.RefreshInterval);
        host.Log.AssertNoErrors();
    }

    [Fact]
    public async Task Observe_BeforeTheFirstRefresh_HandsOutNoStatistics()
    {
        var layout = TestData.SmallLayout(LeapVariant.Full);
        var batch = TestData.Batches(seed: 3, count: 1, rows: 16, layout.Dimension, 0, layout.ClassCount)[0];
        using var state = new TempDirectory();
        await using var host = await KestrelCentreHost.StartAsync(state.Path);
        var ring = InProcessCollectives.Create(1, Timeout)[0];
        using var refresh = new CentreRefresh(new CentreServiceSink(host.Client, ring, ClassShard.Whole(layout.ClassCount), layout, "sink-test"), 2, 0, Unseen(layout));

        await Task.Run(() =>
        {
            refresh.Start();
            Step(refresh, batch, step: 0);
        }).WaitAsync(Timeout);

        Assert.All(Enumerable.Range(0, layout.ClassCount), c => Assert.True(double.IsNaN(refresh.Statistics.ClassVariance(c)), $"sigma_{c}^2 before any push"));
        Assert.Equal(0, refresh.Statistics.CloudClassCount());
        Assert.Equal(0, (await host.Client.GetCloudStatisticsAsync().WaitAsync(Timeout)).Pushes);
    }

    /// <summary>One rank: start, then every step's global features; the statistics it held after each step.</summary>
    private static List<CloudStatistics> RunRank(KestrelCentreHost host, ICollectives ring, CentreLayout layout, Batch[] batches, int lag)
    {
        var shard = ClassShard.For(layout.ClassCount, ring.Rank, ring.WorldSize);
        var client = new CentreServiceClient(host.Invoker, maxRetries: 2, attemptTimeout: Timeout);
        using var refresh = new CentreRefresh(new CentreServiceSink(client, ring, shard, layout, "sink-test"), layout.Settings.RefreshInterval, lag, Unseen(layout));
        refresh.Start();
        var seen = new List<CloudStatistics>();
        for (int step = 0; step < batches.Length; step++)
        {
            Step(refresh, batches[step], step);
            seen.Add(refresh.Statistics);
        }
        refresh.Settle();
        return seen;
    }

    private static CloudStatistics Unseen(CentreLayout layout) =>
        new(layout.Settings.Variant, layout.Settings.HeadThreshold, layout.SamplesPerClass, Enumerable.Repeat(double.NaN, layout.ClassCount).ToArray());

    /// <summary>As the trainer's hook calls it: outside any dispose scope, the step's tensors disposed after it.</summary>
    private static void Step(CentreRefresh refresh, Batch batch, long step)
    {
        using var embeddings = tensor(batch.Features.Select(v => (float)v).ToArray(), [batch.Rows, batch.Dimension]);
        using var labels = tensor(batch.Labels);
        refresh.Observe(embeddings, labels, step, skipped: false);
    }
}
