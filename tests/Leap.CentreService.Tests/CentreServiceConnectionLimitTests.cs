using System.Diagnostics;
using System.Net.Sockets;
using Leap.CentreService.Tests.Support;
using Leap.Core.Statistics;

namespace Leap.CentreService.Tests;

/// <summary>
/// Connection limits (CentreService:MaxConnections, IdleConnectionTimeout) on Kestrel at 127.0.0.1: raw TCP
/// connections that never send a byte cannot hold the service's memory or file descriptors.
/// </summary>
public sealed class CentreServiceConnectionLimitTests
{
    private const int MaxConnections = 16;
    private const int IdleConnections = 200;
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task IdleConnections_FarMoreThanMaxConnections_ExcessClosedAtOnceRestAfterIdleTimeoutAndServiceStillAnswers()
    {
        using var dir = new TempDirectory();
        var layout = TestData.SmallLayout(LeapVariant.Vanilla);
        await using var host = await KestrelCentreHost.StartAsync(dir.Path, layout, new Dictionary<string, string?>
        {
            ["CentreService:MaxConnections"] = $"{MaxConnections}",
            ["CentreService:IdleConnectionTimeout"] = IdleTimeout.ToString(),
        });
        int port = new Uri(host.Address).Port;
        var clock = Stopwatch.StartNew();
        var sockets = new List<Socket>();
        try
        {
            for (int i = 0; i < IdleConnections; i++)
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                await socket.ConnectAsync("127.0.0.1", port).WaitAsync(KestrelCentreHost.Timeout);
            }
            var connected = clock.Elapsed;

            var closedAt = await Task.WhenAll(sockets.Select(s => ClosedAtAsync(s, clock))).WaitAsync(KestrelCentreHost.Timeout);

            Assert.True(connected < IdleTimeout, $"opening {IdleConnections} connections took {connected}; the test needs less than {IdleTimeout}");
            Assert.Equal(IdleConnections - MaxConnections, closedAt.Count(t => t < IdleTimeout)); // beyond the limit: closed on accept
            Assert.All(closedAt, t => Assert.True(t < IdleTimeout + TimeSpan.FromSeconds(5), $"a connection stayed open {t}")); // the rest: idle timeout
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }

        var (ids, _, initialised) = await host.Client.GetCentresAsync().WaitAsync(KestrelCentreHost.Timeout);
        Assert.Equal(Enumerable.Range(0, layout.ClassCount), ids);
        Assert.All(initialised, Assert.False);
        host.Log.AssertNoErrors();
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
