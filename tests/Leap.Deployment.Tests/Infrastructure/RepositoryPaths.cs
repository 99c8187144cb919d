namespace Leap.Deployment.Tests.Infrastructure;

/// <summary>Paths in the repository under test, found by walking up from the test assembly to Leap.Distributed.sln.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string K8s => Path.Combine(Root, "k8s");

    public static string Overlay(string name) => Path.Combine(K8s, "overlays", name);

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Every *.yaml / *.yml file under k8s/, relative to the repository root, sorted.</summary>
    public static IReadOnlyList<string> K8sYamlFiles() =>
        Directory.EnumerateFiles(K8s, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Root, f))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Leap.Distributed.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"Leap.Distributed.sln not found above {AppContext.BaseDirectory}.");
    }
}
