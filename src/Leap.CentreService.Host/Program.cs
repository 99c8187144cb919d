using Leap.CentreService;
using Leap.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Serilog;

// The centre service as a process. Prints "LEAP_CENTRE_LISTENING <address>" once it accepts calls (port 0 works).
// Needs the shared token (LEAP_AUTH_TOKEN or LEAP_AUTH_TOKEN_FILE) unless Auth:Disabled=true; TLS with Tls:CertificateFile/KeyFile.
var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddAuthEnvironment();
builder.Configuration.AddCommandLine(args); // the command line stays the highest precedence
builder.Host.UseSerilog((context, logger) => logger
    .ReadFrom.Configuration(context.Configuration)
    .Enrich.FromLogContext()
    .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture));
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint =>
{
    endpoint.Protocols = HttpProtocols.Http2;
    endpoint.UseConfiguredTls();
}));
builder.Services.AddCentreService(builder.Configuration);

var app = builder.Build();
app.MapCentreService();
await app.StartAsync().ConfigureAwait(false);
foreach (string address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
{
    Console.Out.WriteLine($"LEAP_CENTRE_LISTENING {address}");
}
Console.Out.Flush();
await app.WaitForShutdownAsync().ConfigureAwait(false);
await Log.CloseAndFlushAsync().ConfigureAwait(false);
