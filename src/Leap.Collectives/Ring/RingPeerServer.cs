using System.Net;
using Leap.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Leap.Collectives.Ring;

/// <summary>
/// Kestrel (HTTP/2 cleartext) hosting one rank's <see cref="RingPeerService"/>. With a token, every call (Ping and Link)
/// must carry it (<see cref="SharedTokenAuthInterceptor"/>): a refused Link never reaches the inbox.
/// </summary>
internal sealed class RingPeerServer : IAsyncDisposable
{
    private const int FlowControlWindowBytes = 16 << 20;
    private const int ReceiveBlockBytes = 256 << 10;
    private const int RetainedReceiveBlocks = 64;
    private readonly WebApplication _app;

    private RingPeerServer(WebApplication app, RingInbox inbox, int port)
    {
        _app = app;
        Inbox = inbox;
        Port = port;
    }

    public RingInbox Inbox { get; }

    /// <summary>The bound port (the real one when started on port 0).</summary>
    public int Port { get; }

    /// <summary>Listens on <paramref name="listen"/>: an IP literal binds that address, "localhost" both loopbacks, any other host name all interfaces.</summary>
    public static async Task<RingPeerServer> StartAsync(RingAddress listen, int chunkBytes, TimeSpan keepAlive, SharedToken? token,
        ILoggerFactory? loggerFactory, CancellationToken cancellation)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null; // a link idles between collectives
            kestrel.Limits.Http2.InitialConnectionWindowSize = FlowControlWindowBytes;
            kestrel.Limits.Http2.InitialStreamWindowSize = FlowControlWindowBytes;
            kestrel.Limits.Http2.KeepAlivePingDelay = keepAlive;
            kestrel.Limits.Http2.KeepAlivePingTimeout = keepAlive;
            Action<ListenOptions> http2 = o => o.Protocols = HttpProtocols.Http2;
            if (IPAddress.TryParse(listen.Host, out var ip))
            {
                kestrel.Listen(ip, listen.Port, http2);
            }
            else if (string.Equals(listen.Host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                kestrel.ListenLocalhost(listen.Port, http2);
            }
            else
            {
                kestrel.ListenAnyIP(listen.Port, http2);
            }
        });

        // Kestrel's 4 KiB blocks made it read a 1 MiB frame in ~500 receive calls (strace); 256 KiB blocks take ~16 KiB
        // (one HTTP/2 DATA frame, all the client sends per call) or more per call. Measured in docs/benchmarks.md.
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>>(new LargeBlockMemoryPoolFactory(ReceiveBlockBytes, RetainedReceiveBlocks));

        var inbox = new RingInbox();
        builder.Services.AddSingleton(inbox);
        builder.Services.AddSingleton(new SharedTokenAuthInterceptor(token,
            (loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger<SharedTokenAuthInterceptor>()));
        builder.Services.AddGrpc(o =>
        {
            o.Interceptors.Add<SharedTokenAuthInterceptor>();
            o.MaxReceiveMessageSize = GrpcMessageLimits.RingFrame(chunkBytes);
            o.MaxSendMessageSize = GrpcMessageLimits.RingFrame(chunkBytes);
            o.EnableDetailedErrors = true;
        });
        var app = builder.Build();
        app.MapGrpcService<RingPeerService>();
        try
        {
            await app.StartAsync(cancellation).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            inbox.Dispose();
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RingPeerServer(app, inbox, new Uri(bound).Port);
    }

    public async ValueTask DisposeAsync()
    {
        Inbox.Stop();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Inbox.Dispose();
    }
}
