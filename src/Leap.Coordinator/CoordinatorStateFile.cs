using System.Text.Json;
using System.Text.Json.Serialization;
using Leap.Security;

namespace Leap.Coordinator;

/// <summary>
/// What survives a coordinator restart: the last generation number (so generations stay unique and a stale worker's
/// generation can never match a new one) and the latest committed checkpoint. One small JSON file per job, replaced
/// atomically (write a temporary file, flush it to disk, rename over the old one).
/// </summary>
public sealed class CoordinatorStateFile
{
    public CoordinatorStateFile(string stateDirectory, string jobId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        Path = System.IO.Path.GetFullPath(System.IO.Path.Combine(stateDirectory, $"{jobId}.coordinator.json"));
    }

    public string Path { get; }

    /// <summary>The saved state, or an empty one (generation 0, no checkpoint) when the file does not exist.</summary>
    public PersistedJobState Load()
    {
        if (!File.Exists(Path))
        {
            return new PersistedJobState(0, null);
        }
        using var stream = File.OpenRead(Path);
        return JsonSerializer.Deserialize(stream, CoordinatorStateJsonContext.Default.PersistedJobState)
            ?? throw new InvalidDataException($"The coordinator state file {Path} is empty.");
    }

    public void Save(PersistedJobState state)
    {
        OwnerOnlyDirectory.Create(System.IO.Path.GetDirectoryName(Path)!);
        string temporary = $"{Path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, state, CoordinatorStateJsonContext.Default.PersistedJobState);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, Path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}

/// <summary>The content of the state file.</summary>
public sealed record PersistedJobState(long LastGeneration, CommittedCheckpoint? LatestCommitted);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PersistedJobState))]
internal sealed partial class CoordinatorStateJsonContext : JsonSerializerContext;
