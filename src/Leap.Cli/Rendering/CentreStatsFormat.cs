using System.Globalization;

namespace Leap.Cli.Rendering;

/// <summary>How `leap stats` prints numbers: invariant culture, six significant digits, NaN as "n/a".</summary>
internal static class CentreStatsFormat
{
    public static string Number(double value) => double.IsNaN(value) ? "n/a" : value.ToString("G6", CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}
