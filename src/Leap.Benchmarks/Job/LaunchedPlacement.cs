using System.Text.RegularExpressions;

namespace Leap.Benchmarks.Job;

/// <summary>
/// The classifier placement a launch's workers resolved (Training:Distributed:Classifier = Auto decides per job), read
/// from the line each worker logs at start: "Classifier replicated on this rank: …" or "Classifier sharded on this rank: …".
/// </summary>
public static partial class LaunchedPlacement
{
    /// <returns>sharded or replicated; null when the log has no such line.</returns>
    /// <exception cref="InvalidOperationException">Workers of one launch logged different placements.</exception>
    public static string? Read(string logPath)
    {
        if (!File.Exists(logPath))
        {
            return null;
        }
        var found = File.ReadLines(logPath).Select(l => Line().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct().ToList();
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw new InvalidOperationException($"The workers in {logPath} logged different classifier placements: {string.Join(", ", found)}."),
        };
    }

    [GeneratedRegex(@"Classifier (sharded|replicated) on this rank", RegexOptions.CultureInvariant)]
    private static partial Regex Line();
}
