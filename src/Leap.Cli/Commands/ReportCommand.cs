using System.CommandLine;
using Leap.Evaluation;
using Leap.Launch;
using Leap.Reporting;
using Leap.Runs;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap report --run DIR [--compare DIR2 ...] --out DIR</c>: PNG figures of one run or of runs side by side (e.g.
/// baseline vs LEAP): angle-to-centre distributions of head vs tail training features (paper Fig. 2/3), a t-SNE of a
/// few head and tail classes (Fig. 1), training curves from metrics.jsonl; plus report.json with the numbers.
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var run = new Option<DirectoryInfo>("--run") { Description = "Run directory (OutputDirectory of leap train).", Required = true };
        var compare = new Option<DirectoryInfo[]>("--compare") { Description = "Further runs shown beside it (repeatable).", AllowMultipleArgumentsPerToken = false };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the PNGs and report.json.", Required = true };
        var checkpoint = new Option<string>("--checkpoint") { Description = "'latest' or a step, for every run.", DefaultValueFactory = _ => "latest" };
        var bins = new Option<int>("--bins") { Description = "Bins of the angle histograms.", DefaultValueFactory = _ => 40 };
        var classes = new Option<int>("--tsne-classes") { Description = "Head classes and tail classes in the t-SNE (each).", DefaultValueFactory = _ => 3 };
        var points = new Option<int>("--tsne-points") { Description = "At most this many samples per class in the t-SNE.", DefaultValueFactory = _ => 60 };
        var command = new Command("report", "Plot angle distributions (head vs tail), t-SNE and training curves of runs.")
        {
            run, compare, output, checkpoint, bins, classes, points,
        };
        command.SetAction(parse => Run(
            [parse.GetValue(run)!.FullName, .. (parse.GetValue(compare) ?? []).Select(d => d.FullName)],
            parse.GetValue(output)!.FullName, parse.GetValue(checkpoint), parse.GetValue(bins), parse.GetValue(classes), parse.GetValue(points)));
        return command;
    }

    public static int Run(IReadOnlyList<string> runDirectories, string outDirectory, string? checkpointText, int bins, int tsneClasses, int tsnePoints)
    {
        ArgumentNullException.ThrowIfNull(runDirectories);
        var problems = new List<string>();
        var choice = CheckpointChoice.TryParse(checkpointText);
        if (choice is null)
        {
            problems.Add($"--checkpoint must be 'latest' or a step number, got '{checkpointText}'.");
        }
        if (bins is < 2 or > 1000)
        {
            problems.Add($"--bins must be in 2..1000, got {bins}.");
        }
        if (tsneClasses < 1)
        {
            problems.Add($"--tsne-classes must be at least 1, got {tsneClasses}.");
        }
        if (tsnePoints is < 2 or > 500)
        {
            problems.Add($"--tsne-points must be in 2..500 (exact t-SNE is quadratic in the points), got {tsnePoints}.");
        }
        if (problems.Count > 0)
        {
            Console.Error.WriteLine(string.Join(Environment.NewLine, problems));
            return ExitCode.InvalidConfiguration;
        }
        return RunCommandExit.Guard(() =>
        {
            var analyses = new List<RunAnalysis>();
            foreach (string directory in runDirectories)
            {
                using var run = TrainedRun.Open(directory, choice!);
                Console.WriteLine($"Analysing {run.Method} in {run.Directory} (checkpoint {run.Checkpoint})");
                analyses.Add(RunAnalysis.Of(run, tsneClasses, tsnePoints, new TsneOptions()));
            }
            foreach (string file in ReportWriter.Write(outDirectory, analyses, bins))
            {
                Console.WriteLine($"wrote {file}");
            }
            return ExitCode.Completed;
        });
    }
}
