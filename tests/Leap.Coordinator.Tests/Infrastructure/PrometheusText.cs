using System.Globalization;

namespace Leap.Coordinator.Tests.Infrastructure;

/// <summary>Reads one sample from a Prometheus text-format scrape.</summary>
internal static class PrometheusText
{
    /// <summary>The value of the series written exactly as <paramref name="series"/> (name, or name{labels}); fails naming it when absent.</summary>
    public static double Value(string scrape, string series)
    {
        foreach (string line in scrape.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }
        throw new Xunit.Sdk.XunitException($"Series '{series}' is not in the scrape:{Environment.NewLine}{scrape}");
    }
}
