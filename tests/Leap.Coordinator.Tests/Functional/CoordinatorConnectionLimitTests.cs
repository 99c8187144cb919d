using System.Diagnostics;
using System.Net.Sockets;
using Leap.Coordinator.Client;
using Leap.Coordinator.Tests.Infrastructure;

namespace Leap.Coordinator.Tests.Functional;

/// <summary>
/// Connection limits (Coordinator:MaxConnections, IdleConnectionTimeout) on Kestrel at 127.0.0.1: raw TCP connections
/// that never send a byte cannot hold the coordinator's memory or file descriptors.
/// </summary>
public sealed class CoordinatorConnectionLimitTests : IDisposable
{
    private const int MaxConnections = 16;
    private const int IdleConnections = 200;
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(2);
    private readonly TemporaryDirectory _state = new();

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task IdleConnections_FarMoreThanMaxConnections_ExcessClosedAtOnceRestAfterIdleTimeoutAndCoordinatorStillAnswers()
    {
        var settings = TestOptions.Settings(_state.Path, worldSize: 1);
        settings["Coordinator:MaxConnections"] = $"{MaxConnections}";
        settings["Coordinator:IdleConnectionTimeout"] = IdleTimeout.ToString();
        await using var host = await CoordinatorTestHost.StartAsync(settings);
        var clock = Stopwatch.StartNew();
        var sockets = new List<Socket>();
        try
        {
            for (int i = 0; i < IdleConnections; i++)
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                await socket.ConnectAsync("127.0.0.1", host.Address.Port).Within("a raw connection");
            }
            var connected = clock.Elapsed;

            var closedAt = await Task.WhenAll(sockets.Select(s => ClosedAtAsync(s, clock))).Within("the coordinator to close every idle connection");

            Assert.True(connected < IdleTimeout, $"opening {IdleConnections} connections took {connected}; the test needs less than {IdleTimeout}");
            Assert.Equal(IdleConnections - MaxConnections, closedAt.Count(t => t < IdleTimeout)); // beyond the limit: closed on accept
            Assert.All(closedAt, t => Assert.True(t < IdleTimeout + TimeSpan.FromSeconds(5), $"a connection stayed open {t}")); // the rest: idle timeout
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }

        var worker = await host.CreateClient(new CoordinatorClientOptions { MaxAttempts = 1, CallTimeout = TimeSpan.FromSeconds(10) })
            .RegisterAsync(TestOptions.JobId, 1, "127.0.0.1:30001").Within("a registration after the flood");
        Assert.Equal((0, 1L), (worker.Rank, worker.Generation));
    }

    /// <summary>When the server closed <paramref name="socket"/> (end of stream or reset), on <paramref name="clock"/>.</summary>
    private static async Task<TimeSpan> ClosedAtAsync(Socket socket, Stopwatch clock)
    {
        var buffer = new byte[1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None) > 0)
            {
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
        }
        return clock.Elapsed;
    }
}
