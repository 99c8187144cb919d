using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Leap.Collectives.Ring;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Leap.Collectives.Tests;

/// <summary>Mismatched calls, a peer that leaves mid-job, a peer that never calls, an unreachable successor: an exception naming the peer, never a hang.</summary>
public sealed class RingFailureTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(Groups.RingKinds), MemberType = typeof(Groups))]
    public async Task AllReduce_ShapesDifferAcrossRanks_EveryRankFailsFastNamingBothShapes(string kind)
    {
        var ranks = await StartAsync(kind, 3, TimeSpan.FromSeconds(30));
        var tensors = new[] { ones(10), ones(10), ones(12) };
        var watch = Stopwatch.StartNew();

        var errors = await Within.Await(
            Task.WhenAll(ranks.Select(c => Task.Run(() => CaptureAsync(c.AllReduceAsync(tensors[c.Rank], ReduceOp.Sum))))),
            "every rank to fail (well before the 30 s exchange timeout)", TimeSpan.FromSeconds(10));

        Report(errors);
        Assert.All(errors, e => Assert.True(e is CollectiveMismatchException or CollectiveAbortedException, $"unexpected {e}"));
        Assert.Contains(errors, e => e is CollectiveMismatchException);
        Assert.All(errors, e => Assert.Contains("float32[12]", e!.Message, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Contains("float32[10]", e!.Message, StringComparison.Ordinal));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
        var again = await Within.Await(Assert.ThrowsAsync<InvalidOperationException>(() => ranks[0].BarrierAsync()), "a call after the failure");
        Assert.Contains("failed in an earlier collective", again.Message, StringComparison.Ordinal);
        await DisposeAllAsync(ranks);
    }

    [Theory]
    [MemberData(nameof(Groups.RingKinds), MemberType = typeof(Groups))]
    public async Task AllReduce_PeerStoppedMidJob_OthersThrowNamingItWithinTheDeadline(string kind)
    {
        var deadline = TimeSpan.FromSeconds(5);
        var ranks = await StartAsync(kind, 3, deadline);
        var stopped = $"rank 1 (127.0.0.1:{ranks[1].Port})";
        var tensors = Enumerable.Range(0, 3).Select(_ => ones(1 << 20)).ToArray();
        await Within.OnAllRanks(ranks, c => c.AllReduceAsync(tensors[c.Rank], ReduceOp.Sum), "a healthy all-reduce first");

        await Within.Await(ranks[1].DisposeAsync().AsTask(), "rank 1 to stop");
        var watch = Stopwatch.StartNew();
        var errors = await Within.Await(
            Task.WhenAll(new[] { ranks[0], ranks[2] }.Select(c => Task.Run(() => CaptureAsync(c.AllReduceAsync(tensors[c.Rank], ReduceOp.Sum))))),
            "ranks 0 and 2 to fail", deadline + TimeSpan.FromSeconds(10));

        Report(errors);
        Assert.True(watch.Elapsed < deadline + TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.All(errors, e => Assert.Contains(stopped, e!.Message, StringComparison.Ordinal));
        Assert.Contains(errors, e => e is RingPeerException { PeerRank: 1 } or CollectiveTimeoutException { PeerRank: 1 });
        await DisposeAllAsync([ranks[0], ranks[2]]);
    }

    [Theory]
    [MemberData(nameof(Groups.RingKinds), MemberType = typeof(Groups))]
    public async Task AllReduce_PeerNeverCalls_TimesOutNamingItAfterTheExchangeTimeout(string kind)
    {
        var deadline = TimeSpan.FromSeconds(2);
        var ranks = await StartAsync(kind, 2, deadline);
        using var t = ones(100);
        var watch = Stopwatch.StartNew();

        var error = await Within.Await(Assert.ThrowsAsync<CollectiveTimeoutException>(() => ranks[0].AllReduceAsync(t, ReduceOp.Sum)), "rank 0 to time out");

        Assert.InRange(watch.Elapsed, deadline - TimeSpan.FromMilliseconds(100), deadline + TimeSpan.FromSeconds(3));
        Assert.Equal(1, error.PeerRank);
        Assert.Equal($"127.0.0.1:{ranks[1].Port}", error.PeerAddress);
        Assert.Contains($"rank 1 (127.0.0.1:{ranks[1].Port})", error.Message, StringComparison.Ordinal);
        await DisposeAllAsync(ranks);
    }

    [Theory]
    [MemberData(nameof(Groups.RingKinds), MemberType = typeof(Groups))]
    public async Task StartAsync_SuccessorUnreachable_ThrowsNamingItWithinTheConnectTimeout(string kind)
    {
        var (own, dead) = (FreePort(), FreePort());
        var options = new RingOptions
        {
            Addresses = [$"127.0.0.1:{own}", $"127.0.0.1:{dead}"],
            Rank = 0,
            ConnectTimeout = TimeSpan.FromSeconds(2),
        };
        var watch = Stopwatch.StartNew();

        var error = await Within.Await(Assert.ThrowsAsync<RingPeerException>(() => RingCollectives.StartAsync(Groups.Transport(kind), options)), "start-up to give up");

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(6), $"took {watch.Elapsed}");
        Assert.Equal(1, error.PeerRank);
        Assert.Equal($"127.0.0.1:{dead}", error.PeerAddress);
        Assert.Contains($"rank 1 (127.0.0.1:{dead})", error.Message, StringComparison.Ordinal);
    }

    private static Task<IReadOnlyList<RingCollectives>> StartAsync(string kind, int worldSize, TimeSpan exchangeTimeout) =>
        Within.Await(LoopbackRing.StartAsync(Groups.Transport(kind), worldSize, o => { o.ChunkBytes = 64 << 10; o.ExchangeTimeout = exchangeTimeout; }), "the ring to form");

    private static async Task DisposeAllAsync(IEnumerable<RingCollectives> ranks)
    {
        foreach (var rank in ranks)
        {
            await Within.Await(rank.DisposeAsync().AsTask(), $"rank {rank.Rank} to shut down");
        }
    }

    private static async Task<Exception?> CaptureAsync(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private void Report(IEnumerable<Exception?> errors)
    {
        foreach (var e in errors)
        {
            output.WriteLine($"{e?.GetType().Name}: {e?.Message}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
