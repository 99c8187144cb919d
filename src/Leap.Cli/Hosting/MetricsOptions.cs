using System.Globalization;
using System.Net;
using Leap.Runs.Configuration;
using Microsoft.Extensions.Configuration;

namespace Leap.Cli.Hosting;

/// <summary>
/// The <c>Metrics</c> section of a gRPC host (coordinator, centre service): <c>Metrics:Port</c> serves Prometheus
/// <c>/metrics</c> over HTTP/1.1 on a second Kestrel endpoint (the gRPC one speaks HTTP/2 cleartext only); 0 = off.
/// Set with <c>--set Metrics:Port=9464</c> or <c>LEAP_Metrics__Port</c>.
/// </summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";
    public const string PortKey = SectionName + ":Port";

    /// <summary>0 = no metrics endpoint; otherwise 1..65535, different from the gRPC port.</summary>
    public int Port { get; set; }

    /// <summary>Binds and validates the section; throws <see cref="ConfigurationException"/> naming every bad key.</summary>
    public static MetricsOptions Read(IConfiguration configuration, int grpcPort)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        var problems = ConfigurationKeyCheck.UnknownKeys(section, typeof(MetricsOptions)).Select(k => $"Unknown configuration key '{k}'.").ToList();
        var options = new MetricsOptions();
        string? port = section["Port"];
        if (port is not null)
        {
            if (!int.TryParse(port, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            {
                problems.Add($"{PortKey} must be an integer port number (was '{port}').");
            }
            else if (value is < 0 or > IPEndPoint.MaxPort)
            {
                problems.Add($"{PortKey} must be between 0 (off) and {IPEndPoint.MaxPort} (was {value}).");
            }
            else if (value != 0 && value == grpcPort)
            {
                problems.Add($"{PortKey} = {value} is the gRPC port; metrics need a port of their own.");
            }
            else
            {
                options.Port = value;
            }
        }
        return problems.Count > 0 ? throw new ConfigurationException(string.Join(Environment.NewLine, problems)) : options;
    }
}
