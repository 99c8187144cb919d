using System.Globalization;

namespace Leap.Runs;

/// <summary>
/// <c>Checkpoint:Resume=false</c> on an output directory that already holds a run: the new run starts fresh and never
/// resumes the old one. Nothing is deleted: the old run's state (checkpoints, the coordinator's and the centre service's
/// state, metrics.jsonl, evaluations, TensorBoard events) is moved into <c>previous-YYYYMMDD-HHMMSS/</c> beside it.
/// </summary>
public static class FreshRunDirectory
{
    /// <summary>What a run leaves in its output directory that a later run would resume from or append to.</summary>
    public static readonly IReadOnlyList<string> StateEntries =
        ["checkpoints", "coordinator", "centre-service", "tensorboard", "metrics.jsonl", "evaluation.json", "longtail-manifest.json"];

    /// <returns>The folder the old run's state was moved to, or null when the directory held none.</returns>
    public static string? MoveAside(string outputDirectory, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        string[] present = StateEntries.Select(e => Path.Combine(outputDirectory, e)).Where(p => File.Exists(p) || Directory.Exists(p)).ToArray();
        if (present.Length == 0)
        {
            return null;
        }

        string target = Path.Combine(outputDirectory, "previous-" + now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        for (int n = 2; Directory.Exists(target); n++)
        {
            target = Path.Combine(outputDirectory, "previous-" + now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + n.ToString(CultureInfo.InvariantCulture));
        }

        Directory.CreateDirectory(target);
        foreach (string path in present)
        {
            string destination = Path.Combine(target, Path.GetFileName(path));
            if (Directory.Exists(path))
            {
                Directory.Move(path, destination);
            }
            else
            {
                File.Move(path, destination);
            }
        }

        return target;
    }
}
