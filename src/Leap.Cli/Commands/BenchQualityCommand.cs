using System.CommandLine;
using System.Globalization;
using Leap.Cli.Benchmarks.Quality;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap bench quality</c>: CosFace / ArcFace and their LEAP variants on LFW and CUHK03 long-tailed splits, each
/// (split, method, seed) cached as JSON so the benchmark resumes; writes docs/results.md from the cache.
/// Long-running: not part of any test suite.
/// </summary>
public static class BenchQualityCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Folder holding lfw/ and cuhk03/.", DefaultValueFactory = _ => new DirectoryInfo("../shared/data") };
        var protocol = new Option<string>("--protocol") { Description = "lfw, cuhk03 or all.", DefaultValueFactory = _ => "all" };
        protocol.AcceptOnlyFromAmong("lfw", "cuhk03", "all");
        var seeds = new Option<int>("--seeds") { Description = "Seeds 1..N per cell.", DefaultValueFactory = _ => 3 };
        var methods = new Option<string[]>("--methods") { Description = "Subset of CosFace, LEAP-CV, LEAP-CF, ArcFace, LEAP-AV, LEAP-AF (default: all six), or the partial-FC variants CosFace-PFC0.1, CosFace-PFC0.3, LEAP-CF-PFC0.1, LEAP-CF-PFC0.3.", AllowMultipleArgumentsPerToken = true };
        var steps = new Option<long>("--budget-steps") { Description = "Training steps per LFW cell (same for every method).", DefaultValueFactory = _ => new QualityBudget().Steps };
        var reIdSteps = new Option<long>("--reid-steps") { Description = "Training steps per CUHK03 cell (same for every method).", DefaultValueFactory = _ => new QualityBudget().ReIdSteps };
        var folds = new Option<int[]>("--lfw-folds") { Description = "LFW test folds (1-10) to run.", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [1] };
        var output = new Option<DirectoryInfo>("--out") { Description = "Results directory (one JSON per cell; committed, so the grid accumulates across runs and machines).", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("docs", "bench", "quality")) };
        var report = new Option<FileInfo>("--report") { Description = "The generated Markdown report.", DefaultValueFactory = _ => new FileInfo("docs/results.md") };
        var reportOnly = new Option<bool>("--report-only") { Description = "Only regenerate the report from the cached cells." };
        var command = new Command("quality", "Long-running quality benchmark on ../shared/data (LFW pairs, CUHK03 CMC/mAP); resumable.")
        {
            data, protocol, seeds, methods, steps, reIdSteps, folds, output, report, reportOnly,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(Run(
            parse.GetValue(data)!.FullName,
            parse.GetValue(protocol)!,
            parse.GetValue(seeds),
            parse.GetValue(methods) ?? [],
            parse.GetValue(steps),
            parse.GetValue(reIdSteps),
            parse.GetValue(folds) ?? [1],
            parse.GetValue(output)!.FullName,
            parse.GetValue(report)!.FullName,
            parse.GetValue(reportOnly),
            Environment.GetCommandLineArgs(),
            cancellation)));
        return command;
    }

    private static int Run(string dataDirectory, string protocolName, int seedCount, string[] methodNames, long steps, long reIdSteps, int[] lfwFolds,
        string outputDirectory, string reportPath, bool reportOnly, string[] commandLine, CancellationToken cancellation)
    {
        QualityMethod[] methods;
        try
        {
            methods = methodNames.Length == 0 ? [.. QualityMethod.All] : methodNames.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries)).Select(QualityMethod.Parse).ToArray();
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }

        if (seedCount < 1 || steps < 1 || reIdSteps < 1)
        {
            Console.Error.WriteLine("error: --seeds, --budget-steps and --reid-steps must be at least 1.");
            return 2;
        }

        var budget = new QualityBudget(Steps: steps, ReIdSteps: reIdSteps);
        bool lfw = protocolName is "lfw" or "all";
        bool cuhk = protocolName is "cuhk03" or "all";
        var grid = QualityGrid.Interleave(
            [lfw ? LfwQualityProtocol.SplitsFor(lfwFolds) : [], cuhk ? Cuhk03QualityProtocol.AllSplits : []],
            methods, [.. Enumerable.Range(1, seedCount).Select(s => (long)s)]);
        var cache = new QualityResultCache(outputDirectory);
        string shownCommand = "leap bench quality " + string.Join(' ', commandLine.Skip(3).Where(a => a != "--report-only"));
        void WriteReport()
        {
            Directory.CreateDirectory(Path.GetDirectoryName(reportPath)!);
            File.WriteAllText(reportPath, QualityReportWriter.Render(grid, cache.LoadAll(), shownCommand.TrimEnd(), dataDirectory, budget));
        }

        if (reportOnly)
        {
            WriteReport();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {reportPath} from {cache.LoadAll().Count} cached cells."));
            return 0;
        }

        Directory.CreateDirectory(outputDirectory);
        using var serilog = LoggingSetup.Create(Path.Combine(outputDirectory, "bench-quality.log"), console: true);
        using var loggers = new SerilogLoggerFactory(serilog);
        var log = loggers.CreateLogger("Leap.BenchQuality");
        LfwQualityProtocol? lfwProtocol = null;
        Cuhk03QualityProtocol? cuhkProtocol = null;
        try
        {
            var trainer = new QualityCellTrainer(budget, Path.Combine(outputDirectory, "scratch"), loggers);
            IQualityProtocol ProtocolOf(QualitySplit split) => split.Fold is not null
                ? lfwProtocol ??= new LfwQualityProtocol(Path.Combine(dataDirectory, "lfw"), lfwFolds, budget)
                : cuhkProtocol ??= new Cuhk03QualityProtocol(Path.Combine(dataDirectory, "cuhk03"), budget);
            var benchmark = new QualityBenchmark(cache, ProtocolOf, trainer.Run, budget, WriteReport, log);
            int computed = benchmark.Run(grid, cancellation);
            WriteReport();
            log.LogInformation("{Computed} cells computed; report written to {Report}", computed, reportPath);
            return cancellation.IsCancellationRequested ? 130 : 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or ArgumentException)
        {
            log.LogError(e, "Quality benchmark failed");
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        finally
        {
            lfwProtocol?.Dispose();
            cuhkProtocol?.Dispose();
        }
    }
}
