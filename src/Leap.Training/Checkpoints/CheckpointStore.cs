using System.Globalization;
using System.Text.Json;
using Leap.Security;

namespace Leap.Training.Checkpoints;

/// <summary>
/// Checkpoint directories <c>step-NNNNNNNNN</c> under a root. A checkpoint is written into a temporary sibling
/// directory and renamed into place only when complete, so a crash (or a full disk) mid-write leaves the previous
/// checkpoints valid; a directory without <c>meta.json</c> is never considered.
/// </summary>
public sealed class CheckpointStore(string root, int keep)
{
    public const string MetaFile = "meta.json";
    private const string Prefix = "step-";

    public string Root { get; } = root;

    /// <summary>Writes a checkpoint by calling <paramref name="writeFiles"/> on an empty directory, then commits it.</summary>
    public string Save(long step, CheckpointMeta meta, Action<string> writeFiles)
    {
        ArgumentNullException.ThrowIfNull(writeFiles);
        OwnerOnlyDirectory.Create(Root);
        string final = Path.Combine(Root, Prefix + step.ToString("D9", CultureInfo.InvariantCulture));
        string temp = final + ".tmp-" + Guid.NewGuid().ToString("N");
        OwnerOnlyDirectory.Create(temp);
        try
        {
            writeFiles(temp);
            File.WriteAllText(Path.Combine(temp, MetaFile), JsonSerializer.Serialize(meta));
            if (Directory.Exists(final))
            {
                Directory.Delete(final, recursive: true);
            }
            Directory.Move(temp, final);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        Prune();
        return final;
    }

    /// <summary>The complete checkpoint of <paramref name="step"/>, or null.</summary>
    public (string Directory, CheckpointMeta Meta)? At(long step)
    {
        string dir = Path.Combine(Root, Prefix + step.ToString("D9", CultureInfo.InvariantCulture));
        return ReadMeta(dir) is { } meta ? (dir, meta) : null;
    }

    /// <summary>The meta.json of a checkpoint directory, or null when the directory is not a complete checkpoint.</summary>
    public static CheckpointMeta? ReadMeta(string directory)
    {
        string meta = Path.Combine(directory, MetaFile);
        return File.Exists(meta) ? JsonSerializer.Deserialize<CheckpointMeta>(File.ReadAllText(meta)) : null;
    }

    /// <summary>The newest complete checkpoint, or null.</summary>
    public (string Directory, CheckpointMeta Meta)? Latest()
    {
        if (!Directory.Exists(Root))
        {
            return null;
        }
        foreach (string dir in Complete().OrderByDescending(d => d, StringComparer.Ordinal))
        {
            var meta = JsonSerializer.Deserialize<CheckpointMeta>(File.ReadAllText(Path.Combine(dir, MetaFile)));
            if (meta is not null)
            {
                return (dir, meta);
            }
        }
        return null;
    }

    /// <summary>Steps of the complete checkpoints, ascending.</summary>
    public IReadOnlyList<long> CompleteSteps() => !Directory.Exists(Root)
        ? []
        : Complete()
            .Select(d => long.TryParse(Path.GetFileName(d)[Prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out long step) ? step : -1)
            .Where(step => step >= 0)
            .Order()
            .ToArray();

    private IEnumerable<string> Complete() => Directory.EnumerateDirectories(Root, Prefix + "*")
        .Where(d => !Path.GetFileName(d).Contains(".tmp-", StringComparison.Ordinal) && File.Exists(Path.Combine(d, MetaFile)));

    private void Prune()
    {
        foreach (string old in Complete().OrderByDescending(d => d, StringComparer.Ordinal).Skip(keep))
        {
            TryDelete(old);
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
