using System.Globalization;
using System.Text.RegularExpressions;

namespace Leap.Training.Tests;

/// <summary>
/// A worker's memory does not grow with the number of records: the same 2-worker launch (same classes, model, batch and
/// steps) over a generated 10k-record and a 200k-record .rec ends with peak resident sets within 10 % of each other
/// (each worker logs its VmHWM at the end). Holding the decoded set would cost 10k vs 200k x 3 KB.
/// </summary>
public sealed partial class StreamingMemoryTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-rss-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Launch_TwentyTimesMoreRecords_PeakResidentSetWithinTenPercent()
    {
        double small = PeakOfLaunch("small", perClass: 100);
        double large = PeakOfLaunch("large", perClass: 2000);
        output.WriteLine($"peak resident set per worker: {small:F1} MB over 10,000 records, {large:F1} MB over 200,000");

        Assert.True(Math.Abs(large - small) <= 0.10 * small,
            $"peak resident set {small:F1} MB over 10,000 records but {large:F1} MB over 200,000 (allowed: within 10 %)");
    }

    /// <summary>The larger of the two workers' logged peak resident sets, in MB.</summary>
    private double PeakOfLaunch(string name, int perClass)
    {
        string rec = RecFixture.Repeated(Path.Combine(_root, name + "-data"), classes: 100, perClass: perClass);
        string output = Path.Combine(_root, name);
        var (code, stdout, error) = LeapProcess.Run(TimeSpan.FromMinutes(5), "launch", "--workers", "2", "--no-centre-service",
            "--set", "Data:Format=RecordIo", "--set", $"Data:Path={rec}", "--set", "Data:HeadClasses=100", "--set", "Data:TailClasses=0",
            "--set", "Data:HoldOutPerClass=2", "--set", "Data:TestSamplesPerClass=2", "--set", "Evaluation:Pairs=100",
            "--set", "Steps=30", "--set", "BatchSize=64", "--set", "Checkpoint:EverySteps=0", "--set", "Checkpoint:Resume=false",
            "--set", $"OutputDirectory={output}");
        Assert.True(code == 0, $"launch over {100 * perClass} records: exit {code}\n{stdout}\n{error}");
        return Enumerable.Range(0, 2).Max(rank =>
        {
            string log = File.ReadAllText(Path.Combine(output, $"worker-rank{rank}.log"));
            var match = PeakLine().Match(log);
            Assert.True(match.Success, $"worker-rank{rank}.log of the {name} run has no peak-memory line");
            return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        });
    }

    [GeneratedRegex(@"Peak resident memory ([0-9.]+) MB")]
    private static partial Regex PeakLine();

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
