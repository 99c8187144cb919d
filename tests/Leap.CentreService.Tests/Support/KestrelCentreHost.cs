using System.Globalization;
using Grpc.Net.Client;
using Leap.CentreService.Client;
using Leap.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Leap.CentreService.Tests.Support;

/// <summary>
/// The centre service on Kestrel at 127.0.0.1, port 0 (HTTPS when Tls:* settings are given), with a real gRPC channel
/// to it whose client sends <see cref="TestAuth.Token"/>. Services registered by the optional callback come before the
/// centre service's own (e.g. an <see cref="ICentreStore"/> replaces the real one behind the gRPC service).
/// </summary>
public sealed class KestrelCentreHost : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly WebApplication _app;

    private KestrelCentreHost(WebApplication app, string address, CollectingLoggerProvider log, ClientSecurity security)
    {
        _app = app;
        Address = address;
        Log = log;
        Channel = security.CreateChannel(new Uri(address), GrpcMessageLimits.CentreService);
        Invoker = security.CallInvoker(Channel);
        Client = new CentreServiceClient(Invoker, maxRetries: 2, attemptTimeout: Timeout);
    }

    public string Address { get; }
    public CollectingLoggerProvider Log { get; }
    public GrpcChannel Channel { get; }

    /// <summary>Calls through <see cref="Channel"/> carrying the token.</summary>
    public Grpc.Core.CallInvoker Invoker { get; }
    public CentreServiceClient Client { get; }
    public CentreStore Store => _app.Services.GetRequiredService<CentreStore>();

    public static async Task<KestrelCentreHost> StartAsync(string stateDirectory, CentreLayout? layout = null,
        IDictionary<string, string?>? settings = null, TimeProvider? time = null, ClientSecurity? security = null,
        Action<IServiceCollection>? services = null)
    {
        var config = new Dictionary<string, string?>
        {
            ["Auth:Token"] = TestAuth.Token,
            ["CentreService:StateDirectory"] = stateDirectory,
            ["CentreService:Partitions"] = "4",
            ["CentreService:MinWatchInterval"] = "00:00:00",
        };
        if (layout is not null)
        {
            for (int c = 0; c < layout.ClassCount; c++)
            {
                config[$"CentreService:SamplesPerClass:{c}"] = layout.SamplesPerClass[c].ToString(CultureInfo.InvariantCulture);
            }
            config["CentreService:Dimension"] = layout.Dimension.ToString(CultureInfo.InvariantCulture);
            config["CentreService:Variant"] = layout.Settings.Variant.ToString();
            config["CentreService:HeadThreshold"] = layout.Settings.HeadThreshold.ToString(CultureInfo.InvariantCulture);
            config["CentreService:CentreLearningRate"] = layout.Settings.CentreLearningRate.ToString("R", CultureInfo.InvariantCulture);
            config["CentreService:UpdateRule"] = layout.Settings.UpdateRule.ToString();
            config["CentreService:MemoryMultiplier"] = layout.Settings.MemoryMultiplier.ToString(CultureInfo.InvariantCulture);
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }
        var log = new CollectingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.ClearProviders().AddProvider(log);
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, o =>
        {
            o.Protocols = HttpProtocols.Http2;
            o.UseConfiguredTls();
        }));
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }
        services?.Invoke(builder.Services);
        builder.Services.AddCentreService(builder.Configuration);
        var app = builder.Build();
        app.MapCentreService();
        await app.StartAsync().WaitAsync(Timeout);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new KestrelCentreHost(app, address, log, security ?? TestAuth.Security);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync().WaitAsync(Timeout);
        await _app.DisposeAsync();
    }
}
