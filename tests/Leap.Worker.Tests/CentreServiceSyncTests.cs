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
/// <see cref="CentreServiceSync"/> against the real centre service (Kestrel on 127.0.0.1, gRPC) with two in-process
/// ranks: the statistics each rank hands to its feature cloud after every step equal those of one in-process
/// <see cref="CentreTracker"/> fed the same global features with the same refresh interval.
/// </summary>
public sealed class CentreServiceSyncTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData(LeapVariant.Full, 1)]
    [InlineData(LeapVariant.Vanilla, 3)]
    public async Task AfterStep_TwoRanksThroughTheService_StatisticsEqualAnInProcessTrackers(LeapVariant variant, int refreshInterval)
    {
        const int steps = 9;
        var layout = TestData.SmallLayout(variant);
        var batches = TestData.Batches(seed: 7, steps, rows: 24, layout.Dimension, 0, layout.ClassCount);
        using var state = new TempDirectory();
        await using var host = await KestrelCentreHost.StartAsync(state.Path);
        var ranks = InProcessCollectives.Create(2, Timeout);

        var seen = await Task.WhenAll(ranks.Select(ring => Task.Run(() => RunRank(host, ring, layout, batches, refreshInterval)))).WaitAsync(Timeout);

        using var tracker = new CentreTracker(layout.Settings with { RefreshInterval = refreshInterval }, layout.SamplesPerClass, layout.Dimension);
        for (int step = 0; step < steps; step++)
        {
            // Outside a dispose scope (Batch.FeedTo opens one), so the tracker's buffer outlives the step as in training.
            using (var features = tensor(batches[step].Features.Select(v => (float)v).ToArray(), [batches[step].Rows, batches[step].Dimension]))
            using (var labels = tensor(batches[step].Labels))
            {
                tracker.Observe(features, labels, step);
            }
            var expected = tracker.Statistics;
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
        // Not vacuous: the last refresh left classes with statistics, and some of them get a cloud.
        Assert.True(tracker.Statistics.CloudClassCount() > 0, "no class has a feature cloud: the comparison shows nothing");
        Assert.Equal(steps / refreshInterval * 2, (await host.Client.GetCloudStatisticsAsync().WaitAsync(Timeout)).Pushes);
        host.Log.AssertNoErrors();
    }

    [Fact]
    public async Task AfterStep_BeforeTheFirstRefresh_HandsOutNoStatistics()
    {
        var layout = TestData.SmallLayout(LeapVariant.Full);
        var batch = TestData.Batches(seed: 3, count: 1, rows: 16, layout.Dimension, 0, layout.ClassCount)[0];
        using var state = new TempDirectory();
        await using var host = await KestrelCentreHost.StartAsync(state.Path);
        var ring = InProcessCollectives.Create(1, Timeout)[0];
        var sync = new CentreServiceSync(host.Client, ring, ClassShard.Whole(layout.ClassCount), layout, "sync-test") { RefreshInterval = 2 };

        await Task.Run(() =>
        {
            sync.BeforeTrain(null!);
            Step(sync, batch, step: 0);
        }).WaitAsync(Timeout);

        Assert.All(Enumerable.Range(0, layout.ClassCount), c => Assert.True(double.IsNaN(sync.Statistics.ClassVariance(c)), $"sigma_{c}^2 before any push"));
        Assert.Equal(0, sync.Statistics.CloudClassCount());
        Assert.Equal(0, (await host.Client.GetCloudStatisticsAsync().WaitAsync(Timeout)).Pushes);
    }

    /// <summary>One rank: initialise, then every step's global features; the statistics it held after each step.</summary>
    private static List<CloudStatistics> RunRank(KestrelCentreHost host, ICollectives ring, CentreLayout layout, Batch[] batches, int refreshInterval)
    {
        var shard = ClassShard.For(layout.ClassCount, ring.Rank, ring.WorldSize);
        var client = new CentreServiceClient(host.Invoker, maxRetries: 2, attemptTimeout: Timeout);
        var sync = new CentreServiceSync(client, ring, shard, layout, "sync-test") { RefreshInterval = refreshInterval };
        sync.BeforeTrain(null!);
        var seen = new List<CloudStatistics>();
        for (int step = 0; step < batches.Length; step++)
        {
            // The step's own collectives (the global batch's all-gather) keep a rank from pushing step s + 1 before
            // every rank pulled the statistics of step s; without them a fast rank's next push races a slow rank's pull.
            ring.BarrierAsync().GetAwaiter().GetResult();
            Step(sync, batches[step], step);
            seen.Add(sync.Statistics);
        }
        return seen;
    }

    /// <summary>As <see cref="Trainer"/> calls a hook: outside any dispose scope, the outcome's tensors disposed after it.</summary>
    private static void Step(CentreServiceSync sync, Batch batch, long step)
    {
        using var embeddings = tensor(batch.Features.Select(v => (float)v).ToArray(), [batch.Rows, batch.Dimension]);
        using var labels = tensor(batch.Labels);
        sync.AfterStep(null!, new StepOutcome(step, Epoch: 0, Loss: 0, LearningRate: 0, Skipped: false, CloudSamples: 0, embeddings, labels, TimeSpan.Zero));
    }
}
