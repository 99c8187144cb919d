using System.Globalization;
using System.Text.RegularExpressions;

namespace Leap.Cli.Configuration;

/// <summary>Durations as typed on a command line: <c>500ms</c>, <c>20s</c>, <c>2m</c>, <c>1h</c>, or a TimeSpan such as <c>00:00:20</c>.</summary>
public static partial class DurationText
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        text = text?.Trim() ?? "";
        var match = WithUnit().Match(text);
        if (match.Success)
        {
            double value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            double seconds = match.Groups[2].Value switch { "ms" => value / 1000, "s" => value, "m" => value * 60, _ => value * 3600 };
            if (seconds > TimeSpan.MaxValue.TotalSeconds / 2)
            {
                return false;
            }
            duration = TimeSpan.FromSeconds(seconds);
            return true;
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m|h)$")]
    private static partial Regex WithUnit();
}
