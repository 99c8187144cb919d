using System.Collections.Concurrent;
using System.Net.Sockets;
using Grpc.Core;
using Leap.Collectives.Ring;
using Leap.Collectives.Ring.Tcp;
using Leap.Contracts.V1;
using Leap.Security;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace Leap.Collectives.Tests;

/// <summary>
/// The shared token on ring links, over real 127.0.0.1 connections: gRPC peers refuse calls without it
/// (UNAUTHENTICATED) or with another one (PERMISSION_DENIED); TCP listeners refuse such links with the same verdicts and
/// close them, and keep waiting for the real predecessor. Nothing a refused peer sends reaches the ring.
/// </summary>
public sealed class RingAuthTests
{
    private static readonly SharedToken Token = SharedToken.From("ring-auth-token-0b7d2c");
    private static readonly SharedToken OtherToken = SharedToken.From("ring-auth-other-94e1aa");

    public static TheoryData<string?, StatusCode> Intruders => new()
    {
        { null, StatusCode.Unauthenticated },
        { "ring-auth-other-94e1aa", StatusCode.PermissionDenied },
    };

    [Theory]
    [MemberData(nameof(Intruders))]
    public async Task GrpcPeer_CallsWithoutTheToken_RefusedAndTheRingStillFormsUndisturbed(string? token, StatusCode expected)
    {
        var loopback = new RingAddress("127.0.0.1", 0);
        var servers = new[]
        {
            await Within.Await(RingPeerServer.StartAsync(loopback, 1024, TimeSpan.FromSeconds(15), Token, null, default), "rank 0's server"),
            await Within.Await(RingPeerServer.StartAsync(loopback, 1024, TimeSpan.FromSeconds(15), Token, null, default), "rank 1's server"),
        };
        var security = token is null ? ClientSecurity.None : new ClientSecurity(SharedToken.From(token));
        using (var channel = security.CreateChannel(new Uri($"http://127.0.0.1:{servers[1].Port}"), GrpcMessageLimits.RingFrame(1024)))
        {
            var intruder = new RingPeer.RingPeerClient(security.CallInvoker(channel));
            var ping = await Assert.ThrowsAsync<RpcException>(() => intruder.PingAsync(new RingPing()).ResponseAsync.WaitAsync(Within.Default));
            using var link = intruder.Link();
            var forged = new RingFrame { Type = (RingFrameType)RingFrameKind.Hello, SenderRank = 0, WorldSize = 2 };
            await CaptureAsync(link.RequestStream.WriteAsync(forged));
            await CaptureAsync(link.RequestStream.CompleteAsync());
            var stream = await Assert.ThrowsAsync<RpcException>(() => link.ResponseAsync.WaitAsync(Within.Default));
            Assert.Equal((expected, expected), (ping.StatusCode, stream.StatusCode));
        }

        var addresses = servers.Select(s => $"127.0.0.1:{s.Port}").ToList();
        var ranks = await Within.Await(Task.WhenAll(servers.Select((server, r) =>
            GrpcRingCollectives.ConnectAsync(new RingOptions { Addresses = addresses, Rank = r, Token = Token }, server, null, default))), "the real ring to form");
        await AssertAllReduceWorksAsync(ranks);
    }

    [Theory]
    [MemberData(nameof(Intruders))]
    public async Task TcpListener_LinksWithoutTheToken_RefusedClosedAndTheRealPredecessorStillAccepted(string? token, StatusCode expected)
    {
        var logs = new LogCollector();
        using var listener = TcpRingListener.Start(new RingAddress("127.0.0.1", 0));
        var options = new RingOptions { Addresses = ["127.0.0.1:1", $"127.0.0.1:{listener.Port}"], Rank = 1, Token = Token };
        var accepting = listener.AcceptPredecessorAsync(1, RingNeighbour.Of(options, 0), options, TimeSpan.FromSeconds(30), logs.CreateLogger("ring"), default);

        using (var intruder = await ConnectAsync(listener.Port))
        {
            var verdict = await Within.Await(TcpRingAuthentication.AnswerAsync(intruder, token is null ? null : SharedToken.From(token), default), "the verdict");
            Assert.Equal(expected == StatusCode.Unauthenticated ? TcpRingVerdict.Unauthenticated : TcpRingVerdict.PermissionDenied, verdict);
            Assert.Equal(0, await Within.Await(intruder.ReceiveAsync(new byte[1], SocketFlags.None), "the listener to close the refused link"));
        }
        Assert.False(accepting.IsCompleted, "a refused connection must not become the predecessor's link");

        using var predecessor = await ConnectAsync(listener.Port);
        var accepted = await Within.Await(TcpRingAuthentication.AnswerAsync(predecessor, Token, default), "the real predecessor's verdict");
        using var link = await Within.Await(accepting, "the listener to accept the real predecessor");

        Assert.Equal(TcpRingVerdict.Accepted, accepted);
        Assert.Contains(logs.Messages, m => m.Contains(expected == StatusCode.Unauthenticated ? "no token" : "wrong token", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains("ring-auth-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TcpRing_SilentConnectionsBeforeThePredecessors_FormsWithinSecondsAndReduces()
    {
        var listeners = new[] { TcpRingListener.Start(new RingAddress("127.0.0.1", 0)), TcpRingListener.Start(new RingAddress("127.0.0.1", 0)) };
        var addresses = listeners.Select(l => $"127.0.0.1:{l.Port}").ToList();
        var silent = new List<Socket>();
        foreach (var listener in listeners)
        {
            for (int i = 0; i < 3; i++)
            {
                silent.Add(await ConnectAsync(listener.Port)); // connected (in the backlog) before either rank starts; never says a word
            }
        }
        var options = listeners.Select((_, r) => new RingOptions { Addresses = addresses, Rank = r, Token = Token }).ToArray();
        Assert.Equal(TimeSpan.FromSeconds(5), options[0].HandshakeTimeout);

        var ranks = await Within.Await(Task.WhenAll(listeners.Select((l, r) => TcpRingCollectives.ConnectAsync(options[r], l, null, default))),
            "the ring to form beside 3 silent connections per rank, before their 5 s handshake deadline", TimeSpan.FromSeconds(4));

        await AssertAllReduceWorksAsync(ranks);
        foreach (var socket in silent)
        {
            Assert.Equal(ChallengeLength, await Within.Await(ReceiveUntilClosedAsync(socket), "the listener to close a silent connection"));
            socket.Dispose();
        }
    }

    [Fact]
    public async Task TcpListener_SilentConnectionAndNoPredecessor_SilentOneClosedAfterHandshakeTimeoutAndNamedInTheError()
    {
        var logs = new LogCollector();
        using var listener = TcpRingListener.Start(new RingAddress("127.0.0.1", 0));
        var options = new RingOptions { Addresses = ["127.0.0.1:1", $"127.0.0.1:{listener.Port}"], Rank = 1, Token = Token, HandshakeTimeout = TimeSpan.FromSeconds(1) };
        using var silent = await ConnectAsync(listener.Port);
        var accepting = listener.AcceptPredecessorAsync(1, RingNeighbour.Of(options, 0), options, TimeSpan.FromSeconds(4), logs.CreateLogger("ring"), default);

        Assert.Equal(ChallengeLength, await Within.Await(ReceiveUntilClosedAsync(silent), "the listener to close the silent connection after 1 s", TimeSpan.FromSeconds(3)));
        Assert.False(accepting.IsCompleted, "a timed-out handshake must not end the wait for the predecessor");
        var error = await Within.Await(Assert.ThrowsAsync<RingPeerException>(() => accepting), "the wait for the predecessor to end at 4 s");

        Assert.Contains("did not connect within 4 s. It refused 1 connection(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("no answer to the token challenge within 1 s", error.Message, StringComparison.Ordinal);
        Assert.Contains(logs.Messages, m => m.Contains("no answer to the token challenge within 1 s", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Groups.RingKinds), MemberType = typeof(Groups))]
    public async Task Ring_SameTokenOnEveryRank_FormsAndReduces(string kind)
    {
        var ranks = await Within.Await(LoopbackRing.StartAsync(Groups.Transport(kind), 3, o => o.Token = Token), "the ring to form");

        await AssertAllReduceWorksAsync(ranks);
    }

    [Theory]
    [MemberData(nameof(Groups.RingKinds), MemberType = typeof(Groups))]
    public async Task Ring_RankWithAnotherToken_StartFailsWithPermissionDenied(string kind)
    {
        var errors = await StartMismatchedAsync(kind, [Token, OtherToken]);

        Assert.Contains(errors, e => e is RingAuthenticationException { Status: StatusCode.PermissionDenied });
    }

    [Theory]
    [MemberData(nameof(Groups.RingKinds), MemberType = typeof(Groups))]
    public async Task Ring_RankWithoutToken_StartFailsWithUnauthenticated(string kind)
    {
        var errors = await StartMismatchedAsync(kind, [Token, null]);

        Assert.Contains(errors, e => e is RingAuthenticationException { Status: StatusCode.Unauthenticated, PeerRank: 0 });
    }

    /// <summary>A 2-rank ring whose ranks hold <paramref name="tokens"/>; every rank must fail (none may hang).</summary>
    private static async Task<Exception[]> StartMismatchedAsync(string kind, SharedToken?[] tokens)
    {
        var transport = Groups.Transport(kind);
        var loopback = new RingAddress("127.0.0.1", 0);
        var listeners = new List<IAsyncDisposable>();
        for (int r = 0; r < tokens.Length; r++)
        {
            listeners.Add(transport == RingTransport.Grpc
                ? await RingPeerServer.StartAsync(loopback, 1024, TimeSpan.FromSeconds(15), tokens[r], null, default)
                : TcpRingListener.Start(loopback));
        }
        var addresses = listeners.Select(l => $"127.0.0.1:{(l is RingPeerServer s ? s.Port : ((TcpRingListener)l).Port)}").ToList();
        var starts = listeners.Select((l, r) =>
        {
            var options = new RingOptions { Addresses = addresses, Rank = r, Token = tokens[r], ConnectTimeout = TimeSpan.FromSeconds(5) };
            return l is RingPeerServer server
                ? CaptureAsync(GrpcRingCollectives.ConnectAsync(options, server, null, default))
                : CaptureAsync(TcpRingCollectives.ConnectAsync(options, (TcpRingListener)l, null, default));
        });
        var errors = await Within.Await(Task.WhenAll(starts), "every rank to give up");
        foreach (var listener in listeners)
        {
            await listener.DisposeAsync();
        }
        Assert.All(errors, e => Assert.NotNull(e));
        return errors!;
    }

    private static async Task AssertAllReduceWorksAsync(IReadOnlyList<RingCollectives> ranks)
    {
        var tensors = ranks.Select(r => full(5, (float)(r.Rank + 1))).ToArray();
        await Within.OnAllRanks(ranks, c => c.AllReduceAsync(tensors[c.Rank], ReduceOp.Sum), "the all-reduce");
        float expected = ranks.Count * (ranks.Count + 1) / 2f;
        Assert.All(tensors, t => Assert.Equal(Enumerable.Repeat(expected, 5), t.data<float>().ToArray()));
        foreach (var rank in ranks)
        {
            await rank.DisposeAsync();
        }
    }

    /// <summary>"LEAPAUTH" and the 32-byte challenge: all a connection that never answers receives.</summary>
    private const int ChallengeLength = 8 + TcpRingAuthentication.ChallengeBytes;

    /// <summary>Reads until the other side closes; returns how many bytes came.</summary>
    private static async Task<int> ReceiveUntilClosedAsync(Socket socket)
    {
        var buffer = new byte[256];
        int total = 0;
        while (true)
        {
            int received;
            try
            {
                received = await socket.ReceiveAsync(buffer, SocketFlags.None);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                return total;
            }
            if (received == 0)
            {
                return total;
            }
            total += received;
        }
    }

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await Within.Await(socket.ConnectAsync("127.0.0.1", port), "the connection");
        return socket;
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

    private sealed class LogCollector : ILoggerFactory
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Collector(Messages);

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        private sealed class Collector(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue(formatter(state, exception));
        }
    }
}
