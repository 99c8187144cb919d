using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// The benchmark's results on disk, one JSON file per cell (<see cref="QualityCell.RelativePath"/>), written
/// atomically (temporary file, then rename) so an interrupted run never leaves half a result. A cell whose file
/// exists with the requested recipe (steps and augmentation) is not recomputed: rerunning the benchmark resumes where it stopped.
/// </summary>
public sealed class QualityResultCache
{
    // A natural split has no tail classes, so its cells' tail spread is NaN: written as the JSON string "NaN".
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public QualityResultCache(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = root;
    }

    public string Root { get; }

    public string PathOf(QualityCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return Path.Combine(Root, cell.RelativePath);
    }

    /// <summary>The cached result of <paramref name="cell"/> trained with <paramref name="recipe"/>, if any.</summary>
    public QualityCellResult? TryLoad(QualityCell cell, QualityRecipe recipe)
    {
        string path = PathOf(cell);
        if (!File.Exists(path))
        {
            return null;
        }

        QualityCellResult? result = Read(path);
        return result is not null && result.Cell == cell && result.Recipe == recipe ? result : null;
    }

    public void Save(QualityCellResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string path = PathOf(result.Cell);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(result, Json));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The cached result, or runs <paramref name="run"/>, saves and returns its result.</summary>
    public (QualityCellResult Result, bool Computed) GetOrRun(QualityCell cell, QualityRecipe recipe, Func<QualityCellResult> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (TryLoad(cell, recipe) is { } cached)
        {
            return (cached, false);
        }

        QualityCellResult result = run();
        if (result.Cell != cell || result.Recipe != recipe)
        {
            throw new InvalidOperationException($"The run for {cell} ({recipe}) returned {result.Cell} ({result.Recipe}).");
        }

        Save(result);
        return (result, true);
    }

    /// <summary>Every readable result under the root (unreadable or partial files are ignored).</summary>
    public IReadOnlyList<QualityCellResult> LoadAll() =>
        !Directory.Exists(Root)
            ? []
            : Directory.EnumerateFiles(Root, "seed-*.json", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal)
                .Select(Read)
                .OfType<QualityCellResult>()
                .ToArray();

    private static QualityCellResult? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<QualityCellResult>(File.ReadAllText(path), Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
