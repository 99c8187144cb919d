using System.Diagnostics;

namespace Leap.CentreService.Tests.Support;

/// <summary>A tmpfs of a few hundred KiB mounted for one test, so "disk full" is real (ENOSPC from the kernel). Needs root.</summary>
public sealed class SmallFileSystem : IDisposable
{
    public SmallFileSystem(int kibibytes)
    {
        Directory.CreateDirectory(Path);
        Run("mount", $"-t tmpfs -o size={kibibytes}k,mode=0700 tmpfs {Path}");
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "leap-small-fs", Guid.NewGuid().ToString("N"));

    public static bool Available => OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/bin/mount");

    /// <summary>Fills the remaining space with one file (returned), so the next allocation of any size fails.</summary>
    public string FillUp()
    {
        string filler = System.IO.Path.Combine(Path, "filler");
        using var file = new FileStream(filler, FileMode.Create);
        var block = new byte[4096];
        try
        {
            while (true)
            {
                file.Write(block);
                file.Flush();
            }
        }
        catch (IOException)
        {
        }
        return filler;
    }

    public void Dispose()
    {
        Run("umount", $"-l {Path}");
        Directory.Delete(Path);
    }

    private static void Run(string command, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {arguments} failed ({process.ExitCode}): {error}");
        }
    }
}

/// <summary>A fact that needs <see cref="SmallFileSystem"/> (root on Linux, as in CI); skipped elsewhere, saying why.</summary>
public sealed class SmallFileSystemFactAttribute : FactAttribute
{
    public SmallFileSystemFactAttribute()
    {
        if (!SmallFileSystem.Available)
        {
            Skip = "Needs root on Linux to mount a small tmpfs (the disk-full test).";
        }
    }
}
