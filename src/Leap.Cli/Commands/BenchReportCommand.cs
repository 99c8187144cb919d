using System.CommandLine;
using Leap.Benchmarks.Report;
using Leap.Launch;

namespace Leap.Cli.Commands;

/// <summary><c>leap bench report [--results docs/bench] [--out docs/benchmarks.md]</c>: regenerates the benchmarks document.</summary>
public static class BenchReportCommand
{
    public static Command Create()
    {
        var results = new Option<DirectoryInfo>("--results") { Description = "Directory of the JSON results.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("docs", "bench")) };
        var output = new Option<FileInfo>("--out") { Description = "Markdown to write.", DefaultValueFactory = _ => new FileInfo(Path.Combine("docs", "benchmarks.md")) };
        var command = new Command("report", "Write docs/benchmarks.md from the results the other bench commands wrote.") { results, output };
        command.SetAction(parse =>
        {
            var directory = parse.GetValue(results)!;
            var path = parse.GetValue(output)!;
            try
            {
                string text = BenchmarksDocument.Default.Render(new BenchmarkResults(Path.GetRelativePath(Environment.CurrentDirectory, directory.FullName)));
                Directory.CreateDirectory(path.DirectoryName!);
                File.WriteAllText(path.FullName, text);
            }
            catch (InvalidDataException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCode.Failed;
            }
            Console.WriteLine($"wrote {path.FullName}");
            return ExitCode.Completed;
        });
        return command;
    }
}
