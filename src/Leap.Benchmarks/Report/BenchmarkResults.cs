using System.Text.Json;

namespace Leap.Benchmarks.Report;

/// <summary>The JSON files under a results directory (docs/bench by default), read on demand by name pattern.</summary>
public sealed class BenchmarkResults(string directory)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = false };

    public string Directory { get; } = directory;

    /// <summary>Every file matching <paramref name="pattern"/> (e.g. <c>allreduce-*.json</c>), deserialised, by file name.</summary>
    public IReadOnlyList<(string File, T Value)> All<T>(string pattern)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }
        return System.IO.Directory.GetFiles(Directory, pattern)
            .Order(StringComparer.Ordinal)
            .Select(path => (Path.GetFileName(path), Read<T>(path)))
            .ToList();
    }

    public T? One<T>(string fileName) where T : class
    {
        string path = Path.Combine(Directory, fileName);
        return File.Exists(path) ? Read<T>(path) : null;
    }

    private static T Read<T>(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path}: empty JSON document.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a {typeof(T).Name} result ({e.Message}).", e);
        }
    }
}
