using System.Xml.Linq;
using Leap.Deployment.Tests.Infrastructure;

namespace Leap.Deployment.Tests;

/// <summary>docs/architecture.md's table of project references matches the csproj files under src/, both ways.</summary>
public sealed class ProjectReferenceDiagramTests
{
    private const string Begin = "<!-- project-references:begin -->";
    private const string End = "<!-- project-references:end -->";

    [Fact]
    public void ArchitectureTable_ListsEveryProjectWithItsDirectReferences()
    {
        var documented = DocumentedReferences();
        var actual = Directory.EnumerateFiles(RepositoryPaths.Combine("src"), "*.csproj", SearchOption.AllDirectories)
            .ToDictionary(p => Path.GetFileNameWithoutExtension(p), ProjectReferences);

        var problems = new List<string>();
        foreach (var (project, references) in actual.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!documented.TryGetValue(project, out var listed))
            {
                problems.Add($"{project} has no row (references {Format(references)})");
            }
            else if (!listed.SetEquals(references))
            {
                problems.Add($"{project}: the table says {Format(listed)}, the csproj references {Format(references)}");
            }
        }
        problems.AddRange(documented.Keys.Except(actual.Keys).Select(p => $"{p} has a row but no csproj under src/"));

        Assert.True(problems.Count == 0, "docs/architecture.md is out of date:\n" + string.Join("\n", problems));
    }

    private static Dictionary<string, HashSet<string>> DocumentedReferences()
    {
        string text = File.ReadAllText(RepositoryPaths.Combine("docs", "architecture.md"));
        int begin = text.IndexOf(Begin, StringComparison.Ordinal);
        int end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"docs/architecture.md has no {Begin} ... {End} table");
        return text[(begin + Begin.Length)..end]
            .Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("| Leap.", StringComparison.Ordinal))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .ToDictionary(
                cells => cells[1],
                cells => cells[2] == "(none)"
                    ? new HashSet<string>(StringComparer.Ordinal)
                    : cells[2].Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal));
    }

    private static HashSet<string> ProjectReferences(string csproj) =>
        XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToHashSet(StringComparer.Ordinal);

    private static string Format(IEnumerable<string> names) =>
        names.Any() ? string.Join(", ", names.Order(StringComparer.Ordinal)) : "(none)";
}
