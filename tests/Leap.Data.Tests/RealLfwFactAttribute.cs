namespace Leap.Data.Tests;

/// <summary>
/// A fact that runs only where the shared LFW copy exists (../shared/data/lfw from the repository, or the folder
/// named by LEAP_SHARED_DATA); skipped elsewhere, so the default suite passes without it.
/// </summary>
public sealed class RealLfwFactAttribute : FactAttribute
{
    public const string SharedDataVariable = "LEAP_SHARED_DATA";

    public RealLfwFactAttribute()
    {
        if (FindLfw() is null)
        {
            Skip = $"LFW not found (set {SharedDataVariable} or place it at ../shared/data/lfw).";
        }
    }

    public static string? FindLfw()
    {
        string? configured = Environment.GetEnvironmentVariable(SharedDataVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            string lfw = Path.Combine(configured, "lfw");
            return Directory.Exists(lfw) ? lfw : null;
        }

        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data", "lfw");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
