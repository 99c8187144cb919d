namespace Leap.Benchmarks;

/// <summary>Finds a committed reference script (tests/reference/...) in the current directory or the nearest one above it.</summary>
public static class ReferenceScript
{
    public static string? Find(string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
