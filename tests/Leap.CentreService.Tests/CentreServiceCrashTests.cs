using Grpc.Core;
using Grpc.Net.Client;
using Leap.CentreService.Client;
using Leap.CentreService.Tests.Support;
using Leap.Contracts.V1;
using Xunit.Abstractions;

namespace Leap.CentreService.Tests;

/// <summary>A real service process killed with SIGKILL mid-stream and restarted on the same state directory.</summary>
public sealed class CentreServiceCrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Restart_AfterKillDuringPushes_EveryAcknowledgedPushPresentAndRetriedPushAppliedOnce()
    {
        using var dir = new TempDirectory();
        var layout = new CentreLayout(Enumerable.Repeat(8, 20).Concat(Enumerable.Repeat(3, 20)).ToArray(), 64,
            TestData.SmallLayout().Settings);
        string[] settings = ["CentreService:Partitions=4", "CentreService:SnapshotLogBytes=1048576"];
        // Two workers owning disjoint classes, each pushing 128 KB batches one after another.
        var streams = new[]
        {
            TestData.Batches(seed: 31, count: 200, rows: 256, layout.Dimension, 0, 20),
            TestData.Batches(seed: 32, count: 200, rows: 256, layout.Dimension, 20, 40),
        };
        var applied = new List<PushRequest>[] { [], [] };
        var inFlight = new PushRequest?[2];

        await using (var first = await CentreServiceProcess.StartAsync(dir.Path, Timeout, settings))
        {
            using var channel = GrpcChannel.ForAddress(first.Address);
            var client = new CentreServiceClient(TestAuth.Security.CallInvoker(channel), maxRetries: 0, attemptTimeout: Timeout);
            await client.InitialiseAsync(layout).WaitAsync(Timeout);
            var enoughAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            int acknowledged = 0;
            var workers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
            {
                for (int step = 0; step < streams[w].Length; step++)
                {
                    var request = streams[w][step].ToRequest(step);
                    inFlight[w] = request;
                    try
                    {
                        await client.PushAsync(request).WaitAsync(Timeout);
                    }
                    catch (RpcException)
                    {
                        return;
                    }
                    inFlight[w] = null;
                    applied[w].Add(request);
                    if (Interlocked.Increment(ref acknowledged) >= 30)
                    {
                        enoughAcknowledged.TrySetResult();
                    }
                }
            })).ToArray();
            await enoughAcknowledged.Task.WaitAsync(Timeout);
            await first.KillAsync(Timeout);
            await Task.WhenAll(workers).WaitAsync(Timeout);
            Assert.Empty(first.Errors);
        }
        Assert.True(File.Exists(Path.Combine(dir.Path, "snapshot.bin")), "expected snapshots before the kill (log segments pass 1 MB)");

        await using var second = await CentreServiceProcess.StartAsync(dir.Path, Timeout, settings);
        using var channel2 = GrpcChannel.ForAddress(second.Address);
        var client2 = new CentreServiceClient(TestAuth.Security.CallInvoker(channel2), maxRetries: 0, attemptTimeout: Timeout);
        for (int w = 0; w < 2; w++)
        {
            if (inFlight[w] is { } retry)
            {
                await client2.PushAsync(retry).WaitAsync(Timeout);
                applied[w].Add(retry);
            }
        }

        using var tracker = TestData.Tracker(layout);
        for (int w = 0; w < 2; w++)
        {
            foreach (var request in applied[w])
            {
                streams[w][(int)request.Step].FeedTo(tracker, request.Step);
            }
        }
        var stats = await client2.GetCloudStatisticsAsync().WaitAsync(Timeout);
        var (ids, values, initialised) = await client2.GetCentresAsync().WaitAsync(Timeout);
        Assert.Equal(applied[0].Count + applied[1].Count, stats.Pushes);
        TestData.AssertEqual(tracker, CentreServiceGrpcTests.ToView(stats), new CentresView(ids, layout.Dimension, values, initialised));
        foreach (string line in second.Output.Where(l => l.Contains("recovered", StringComparison.Ordinal) || l.Contains("torn", StringComparison.Ordinal)))
        {
            output.WriteLine(line);
        }
        Assert.Contains(second.Output, l => l.Contains("Centre store recovered", StringComparison.Ordinal));
        Assert.Empty(second.Errors);
    }
}
