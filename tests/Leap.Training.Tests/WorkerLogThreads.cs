using System.Globalization;
using System.Text.RegularExpressions;

namespace Leap.Training.Tests;

/// <summary>The torch intra-op thread count a worker states at start in its log file (`Torch intra-op threads: K`).</summary>
internal static class WorkerLogThreads
{
    public static int Read(string logFile)
    {
        // The worker may still be writing its log: read it without asking for exclusive access.
        using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        string text = new StreamReader(stream).ReadToEnd();
        var line = Regex.Match(text, @"Torch intra-op threads: (\d+) ", RegexOptions.CultureInvariant);
        Assert.True(line.Success, $"{logFile} states no intra-op thread count:\n{text}");
        return int.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
