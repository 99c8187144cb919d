using System.Globalization;

namespace Leap.CentreService.Tests.Support;

/// <summary>Reads samples from a Prometheus text-format scrape.</summary>
public static class PrometheusText
{
    /// <summary>The value of the series written exactly as <paramref name="series"/> (name, or name{labels}); fails naming it when absent.</summary>
    public static double Value(string scrape, string series) =>
        TryValue(scrape, series) ?? throw new Xunit.Sdk.XunitException($"Series '{series}' is not in the scrape:{Environment.NewLine}{scrape}");

    /// <summary>The value of <paramref name="series"/>, or null when the scrape does not have it.</summary>
    public static double? TryValue(string scrape, string series)
    {
        ArgumentNullException.ThrowIfNull(scrape);
        foreach (string line in scrape.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }
        return null;
    }
}
