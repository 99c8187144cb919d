using System.Net;
using Grpc.Net.Client;
using Leap.Coordinator.Client;
using Leap.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Leap.Coordinator.Tests.Infrastructure;

/// <summary>How a test host serves requests.</summary>
internal enum Transport
{
    /// <summary>Kestrel on 127.0.0.1, port 0, HTTP/2 over a real socket (functional tier).</summary>
    Kestrel,
    /// <summary>The in-memory ASP.NET Core test server (integration tier).</summary>
    InMemory,
}

/// <summary>
/// A coordinator host exactly as production wires it (<c>AddCoordinator</c> + <c>MapCoordinator</c>), on a fake
/// clock, with the job state wrapped in a <see cref="SignallingJobState"/>. Disposing it fails the test if the host
/// logged an error.
/// </summary>
internal sealed class CoordinatorTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<GrpcChannel> _channels = [];
    private readonly HttpMessageHandler? _inMemoryHandler;

    private CoordinatorTestHost(WebApplication app, FakeTimeProvider time, ErrorLogRecorder logs, Transport transport, int metricsPort = 0)
    {
        _app = app;
        MetricsAddress = metricsPort == 0 ? null : new Uri($"http://127.0.0.1:{metricsPort}/metrics");
        Time = time;
        Logs = logs;
        if (transport == Transport.InMemory)
        {
            Address = new Uri("http://localhost");
            _inMemoryHandler = ((TestServer)app.Services.GetRequiredService<IServer>()).CreateHandler();
        }
        else
        {
            Address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses
                .Single(a => metricsPort == 0 || new Uri(a).Port != metricsPort));
        }
    }

    /// <summary>Pass as the token of <see cref="CreateClient"/> to send none.</summary>
    public const string? NoToken = null;

    public Uri Address { get; }

    /// <summary>Prometheus /metrics over HTTP/1.1 (a host started with serveMetrics), else null.</summary>
    public Uri? MetricsAddress { get; }
    public FakeTimeProvider Time { get; }
    public ErrorLogRecorder Logs { get; }
    public SignallingJobState Job => _app.Services.GetRequiredService<SignallingJobState>();

    /// <summary>
    /// Builds and starts a host; start-up failures (invalid options) propagate. With <paramref name="serveMetrics"/> the
    /// host gets its own Prometheus registry and serves it on a second, HTTP/1.1 loopback port (as <c>leap coordinator</c>
    /// does with Metrics:Port).
    /// </summary>
    public static async Task<CoordinatorTestHost> StartAsync(IDictionary<string, string?> settings,
        Transport transport = Transport.Kestrel, Action<IServiceCollection>? configureServices = null, bool serveMetrics = false)
    {
        int metricsPort = serveMetrics ? FreeLoopbackPort() : 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        var logs = new ErrorLogRecorder();
        builder.Logging.ClearProviders().AddProvider(logs);
        if (transport == Transport.InMemory)
        {
            builder.WebHost.UseTestServer();
        }
        else
        {
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
                if (metricsPort != 0)
                {
                    kestrel.Listen(IPAddress.Loopback, metricsPort, listen => listen.Protocols = HttpProtocols.Http1);
                }
            });
        }
        if (serveMetrics)
        {
            builder.Services.AddSingleton(Prometheus.Metrics.NewCustomRegistry());
        }
        var time = new FakeTimeProvider();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton(sp => new SignallingJobState(sp.GetRequiredService<JobState>()));
        builder.Services.AddSingleton<IJobState>(sp => sp.GetRequiredService<SignallingJobState>());
        configureServices?.Invoke(builder.Services);
        builder.Services.AddCoordinator(builder.Configuration);

        var app = builder.Build();
        app.MapCoordinator();
        if (metricsPort != 0)
        {
            Prometheus.MetricServerMiddlewareExtensions.MapMetrics(app, "/metrics", app.Services.GetRequiredService<Prometheus.CollectorRegistry>())
                .RequireHost($"*:{metricsPort}");
        }
        try
        {
            await app.StartAsync().Within("the coordinator host to start");
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new CoordinatorTestHost(app, time, logs, transport, metricsPort);
    }

    /// <summary>One scrape of <see cref="MetricsAddress"/> (Prometheus text format).</summary>
    public async Task<string> ScrapeAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(MetricsAddress ?? throw new InvalidOperationException("The host was started without serveMetrics."))
            .Within("a /metrics scrape");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A worker's client over a new channel (each client is a distinct worker instance), sending
    /// <paramref name="token"/> (default: <see cref="TestOptions.Token"/>; <see cref="NoToken"/> sends none).
    /// </summary>
    public WorkerCoordinatorClient CreateClient(CoordinatorClientOptions? options = null, TimeProvider? time = null, string? token = TestOptions.Token)
    {
        var channel = GrpcChannel.ForAddress(Address, new GrpcChannelOptions { HttpHandler = _inMemoryHandler, DisposeHttpClient = false });
        _channels.Add(channel);
        var security = token is null ? ClientSecurity.None : new ClientSecurity(SharedToken.From(token));
        return new WorkerCoordinatorClient(security.CallInvoker(channel), options ?? new CoordinatorClientOptions
        {
            MaxAttempts = 3,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            RetryMaxDelay = TimeSpan.FromMilliseconds(50),
            CallTimeout = TimeSpan.FromSeconds(10),
        }, time, Logs.CreateLogger<WorkerCoordinatorClient>());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
        await _app.StopAsync().Within("the coordinator host to stop");
        await _app.DisposeAsync();
        Logs.AssertNoErrors();
    }
}
