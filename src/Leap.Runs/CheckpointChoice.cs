using System.Globalization;

namespace Leap.Runs;

/// <summary>The <c>--checkpoint</c> of eval/report: <c>latest</c> or a completed step number.</summary>
public sealed record CheckpointChoice(long? Step)
{
    public static CheckpointChoice Latest { get; } = new((long?)null);

    /// <summary>Parses "latest" or a non-negative integer; null if the text is neither.</summary>
    public static CheckpointChoice? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Equals("latest", StringComparison.OrdinalIgnoreCase))
        {
            return Latest;
        }
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long step) ? new CheckpointChoice(step) : null;
    }

    public override string ToString() => Step is long s ? s.ToString(CultureInfo.InvariantCulture) : "latest";
}
