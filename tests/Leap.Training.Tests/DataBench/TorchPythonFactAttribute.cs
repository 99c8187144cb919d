using System.Diagnostics;

namespace Leap.Training.Tests.DataBench;

/// <summary>A fact that is skipped, saying why, when /usr/bin/python3 cannot import torch and torchvision (Debian's python3-torch).</summary>
public sealed class TorchPythonFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> Available = new(() =>
    {
        if (!File.Exists(Python))
        {
            return false;
        }

        using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import torch, torchvision, PIL"]) { RedirectStandardError = true, UseShellExecute = false });
        if (process is null)
        {
            return false;
        }

        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            return false;
        }

        return process.ExitCode == 0;
    });

    public TorchPythonFactAttribute()
    {
        if (!Available.Value)
        {
            Skip = $"{Python} cannot import torch, torchvision and PIL (apt-get install python3-torch python3-torchvision).";
        }
    }
}
