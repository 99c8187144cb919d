using System.CommandLine;
using System.Globalization;
using Leap.Benchmarks.Quality;
using Leap.Launch;
using Leap.Reporting;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap bench quality</c>: CosFace / ArcFace and their LEAP variants on LFW, Market-1501 and CUHK03 long-tailed
/// splits, each (split, method, seed) cached as JSON so the benchmark resumes; writes the report from the cache. Two
/// grids: v2 (default; ImageNet ResNet-18, the paper's recipe, docs/bench/quality-v2 -> docs/results.md) and v1 (the
/// first small-CNN grid, docs/bench/quality -> docs/results-v1.md).
/// Long-running: not part of any test suite.
/// </summary>
public static class BenchQualityCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Folder holding lfw/, market1501/ and cuhk03/.", DefaultValueFactory = _ => new DirectoryInfo("../shared/data") };
        var edition = new Option<string>("--grid") { Description = "v2: ImageNet ResNet-18 with the paper's recipe (docs/bench/quality-v2, docs/results.md); v1: the first small-CNN grid (docs/bench/quality, docs/results-v1.md).", DefaultValueFactory = _ => "v2" };
        edition.AcceptOnlyFromAmong("v1", "v2");
        var protocol = new Option<string>("--protocol") { Description = "lfw, market, cuhk03 or all (v2: lfw + market; v1: lfw + cuhk03).", DefaultValueFactory = _ => "all" };
        protocol.AcceptOnlyFromAmong("lfw", "market", "cuhk03", "all");
        var seeds = new Option<int>("--seeds") { Description = "Seeds 1..N per cell.", DefaultValueFactory = _ => 3 };
        var methods = new Option<string[]>("--methods") { Description = "Subset of CosFace, LEAP-CV, LEAP-CF, ArcFace, LEAP-AV, LEAP-AF (default: v2 CosFace, LEAP-CF, ArcFace, LEAP-AF; v1 all six), or the partial-FC variants CosFace-PFC0.1, CosFace-PFC0.3, LEAP-CF-PFC0.1, LEAP-CF-PFC0.3.", AllowMultipleArgumentsPerToken = true };
        var splits = new Option<string[]>("--splits") { Description = "Only these splits of the chosen protocols, by name (e.g. market-H20-S3); default: all of them.", AllowMultipleArgumentsPerToken = true };
        var steps = new Option<long?>("--budget-steps") { Description = "Training steps per LFW cell (same for every method); default: the grid's." };
        var reIdSteps = new Option<long?>("--reid-steps") { Description = "Training steps per re-ID cell (same for every method); default: the grid's." };
        var folds = new Option<int[]>("--lfw-folds") { Description = "LFW test folds (1-10) to run.", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [1] };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Results directory (one JSON per cell; committed, so the grid accumulates across runs and machines); default docs/bench/quality-v2 (v1: docs/bench/quality)." };
        var report = new Option<FileInfo?>("--report") { Description = "The generated Markdown report; default docs/results.md (v1: docs/results-v1.md). Learning curves go to docs/img/quality-curves.png beside it." };
        var reportOnly = new Option<bool>("--report-only") { Description = "Only regenerate the report from the cached cells." };
        var erasing = new Option<double?>("--random-erasing") { Description = "Re-ID cells: random erasing probability in [0, 1] (Augmentation:RandomErasing; fast-reid's recipes use 0.5); default: the grid's (v2: off)." };
        var reIdHeight = new Option<int?>("--reid-height") { Description = "Re-ID cells: input height in pixels (16-1024); default: the grid's (v2: 128)." };
        var reIdWidth = new Option<int?>("--reid-width") { Description = "Re-ID cells: input width in pixels (16-1024); default: the grid's (v2: 64)." };
        var facePadCrop = new Option<int?>("--face-pad-crop") { Description = "LFW cells: zero-pad by this many pixels (0-56; 0 = flip alone) then random crop, on top of the grid's random flip; default: the grid's (v2: 8)." };
        var probe = new Option<string?>("--probe") { Description = "A budget probe: run the chosen cells with this budget into <results directory>-probes/NAME (report NAME/report.md there), never into the grid; the grid's report sets each probe beside the grid's same cell." };
        var command = new Command("quality", "Long-running quality benchmark on ../shared/data (LFW pairs, Market-1501 and CUHK03 CMC/mAP); resumable.")
        {
            data, edition, protocol, seeds, methods, splits, steps, reIdSteps, folds, output, report, reportOnly, erasing, reIdHeight, reIdWidth, facePadCrop, probe,
        };
        // On a worker thread, as in TrainCommand: System.CommandLine waits for the returned task after Ctrl-C, so the
        // interrupted grid still writes its report.
        command.SetAction((parse, cancellation) => Task.Run(() => Run(
            parse.GetValue(data)!.FullName,
            parse.GetValue(edition) == "v1",
            parse.GetValue(protocol)!,
            parse.GetValue(seeds),
            parse.GetValue(methods) ?? [],
            parse.GetValue(splits) ?? [],
            parse.GetValue(steps),
            parse.GetValue(reIdSteps),
            parse.GetValue(folds) ?? [1],
            parse.GetValue(output)?.FullName,
            parse.GetValue(report)?.FullName,
            parse.GetValue(reportOnly),
            new BudgetChange(parse.GetValue(erasing), parse.GetValue(reIdHeight), parse.GetValue(reIdWidth), parse.GetValue(facePadCrop), parse.GetValue(probe)),
            Environment.GetCommandLineArgs(),
            cancellation), CancellationToken.None));
        return command;
    }

    /// <summary>The command's changes to the grid's budget, and the probe they are run as.</summary>
    private sealed record BudgetChange(double? RandomErasing, int? ReIdHeight, int? ReIdWidth, int? FacePadCrop, string? Probe)
    {
        /// <summary>What is wrong with the changes, naming the option and its allowed values; null when they are fine.</summary>
        public string? Error()
        {
            bool changes = RandomErasing is not null || ReIdHeight is not null || ReIdWidth is not null || FacePadCrop is not null;
            if (changes && Probe is null)
            {
                // Run into the grid's directory they would overwrite its cells with another recipe.
                return "--random-erasing, --reid-height, --reid-width and --face-pad-crop change the grid's budget: run them as a probe (--probe NAME), which keeps its cells apart from the grid's.";
            }

            if (FacePadCrop is < 0 or > 56)
            {
                return string.Create(CultureInfo.InvariantCulture, $"--face-pad-crop {FacePadCrop}: allowed [0, 56] pixels.");
            }

            if (RandomErasing is double p && (!(p >= 0 && p <= 1) || Math.Round(p, 3) != p))
            {
                return string.Create(CultureInfo.InvariantCulture, $"--random-erasing {p}: allowed [0, 1] with at most 3 decimals.");
            }

            if (ReIdHeight is < 16 or > 1024)
            {
                return string.Create(CultureInfo.InvariantCulture, $"--reid-height {ReIdHeight}: allowed [16, 1024] pixels.");
            }

            return ReIdWidth is < 16 or > 1024 ? string.Create(CultureInfo.InvariantCulture, $"--reid-width {ReIdWidth}: allowed [16, 1024] pixels.") : null;
        }
    }

    /// <summary>The second grid's default methods: each margin and its full LEAP variant (the vanilla ones when the budget allows, by --methods).</summary>
    private static readonly string[] V2Methods = ["CosFace", "LEAP-CF", "ArcFace", "LEAP-AF"];

    private static int Run(string dataDirectory, bool v1, string protocolName, int seedCount, string[] methodNames, string[] splitNames, long? steps, long? reIdSteps, int[] lfwFolds,
        string? outputDirectory, string? reportPath, bool reportOnly, BudgetChange change, string[] commandLine, CancellationToken cancellation)
    {
        outputDirectory ??= Path.GetFullPath(Path.Combine("docs", "bench", v1 ? "quality" : "quality-v2"));
        string gridDirectory = outputDirectory;
        if (change.Probe is { } probeName)
        {
            try
            {
                outputDirectory = QualityBudgetProbes.DirectoryOf(gridDirectory, probeName);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCode.InvalidConfiguration;
            }

            reportPath ??= Path.Combine(outputDirectory, "report.md");
        }

        reportPath ??= Path.GetFullPath(Path.Combine("docs", v1 ? "results-v1.md" : "results.md"));
        QualityMethod[] methods;
        try
        {
            methods = methodNames.Length == 0 ? [.. v1 ? QualityMethod.All : V2Methods.Select(QualityMethod.Parse)] : methodNames.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries)).Select(QualityMethod.Parse).ToArray();
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCode.InvalidConfiguration;
        }

        if (seedCount < 1 || steps < 1 || reIdSteps < 1)
        {
            Console.Error.WriteLine("error: --seeds, --budget-steps and --reid-steps must be at least 1.");
            return ExitCode.InvalidConfiguration;
        }

        if (change.Error() is string invalid)
        {
            Console.Error.WriteLine($"error: {invalid}");
            return ExitCode.InvalidConfiguration;
        }

        if (change.FacePadCrop is not null && (v1 || protocolName is not ("lfw" or "all")))
        {
            // The first grid's faces are not flipped, so its recipe has no augmentation to add the pad-crop to.
            Console.Error.WriteLine("error: --face-pad-crop changes the v2 grid's LFW cells only: use it with --grid v2 and --protocol lfw or all.");
            return ExitCode.InvalidConfiguration;
        }

        QualityBudget edition = v1 ? QualityBudget.V1 : QualityBudget.V2;
        var budget = edition with
        {
            Steps = steps ?? edition.Steps,
            ReIdSteps = reIdSteps ?? edition.ReIdSteps,
            ReIdRandomErasing = change.RandomErasing ?? edition.ReIdRandomErasing,
            ReIdHeight = change.ReIdHeight ?? edition.ReIdHeight,
            ReIdWidth = change.ReIdWidth ?? edition.ReIdWidth,
            FacePadCrop = change.FacePadCrop ?? edition.FacePadCrop,
        };
        bool lfw = protocolName is "lfw" or "all";
        bool market = protocolName is "market" || (protocolName is "all" && !v1);
        bool cuhk = protocolName is "cuhk03" || (protocolName is "all" && v1);
        IReadOnlyList<QualitySplit>[] protocolSplits =
            [market ? Market1501QualityProtocol.AllSplits : [], lfw ? LfwQualityProtocol.SplitsFor(lfwFolds) : [], cuhk ? Cuhk03QualityProtocol.AllSplits : []];
        if (splitNames.Length > 0)
        {
            var unknown = splitNames.Where(n => !protocolSplits.Any(p => p.Any(s => s.Name == n))).ToArray();
            if (unknown.Length > 0)
            {
                Console.Error.WriteLine($"error: --splits {string.Join(", ", unknown)}: no such split in --protocol {protocolName}; choose from {string.Join(", ", protocolSplits.SelectMany(p => p).Select(s => s.Name))}.");
                return ExitCode.InvalidConfiguration;
            }

            protocolSplits = [.. protocolSplits.Select(p => (IReadOnlyList<QualitySplit>)[.. p.Where(s => splitNames.Contains(s.Name))])];
        }

        var grid = QualityGrid.Interleave(
            protocolSplits,
            methods, [.. Enumerable.Range(1, seedCount).Select(s => (long)s)]);
        var cache = new QualityResultCache(outputDirectory);
        string shownCommand = "leap bench quality " + string.Join(' ', commandLine.Skip(3).Where(a => a != "--report-only"));
        void WriteReport()
        {
            string reportDirectory = Path.GetDirectoryName(reportPath)!;
            Directory.CreateDirectory(reportDirectory);
            var results = cache.LoadAll();
            string? figure = null;
            var panels = QualityCurveFigure.Panels(results.Where(r => grid.Splits.Any(s => s.Name == r.Split)).ToList(), QualityReportWriter.HeadlineMetric);
            if (panels.Count > 0)
            {
                string name = Path.GetFileNameWithoutExtension(reportPath) == "results" ? "quality-curves.png" : $"quality-curves-{Path.GetFileNameWithoutExtension(reportPath)}.png";
                Directory.CreateDirectory(Path.Combine(reportDirectory, "img"));
                FigureCanvas.SavePng(Path.Combine(reportDirectory, "img", name), panels, columns: 2);
                figure = $"img/{name}";
            }

            var probes = change.Probe is null ? QualityBudgetProbes.Load(gridDirectory) : [];
            File.WriteAllText(reportPath, QualityReportWriter.Render(grid, results, shownCommand.TrimEnd(), dataDirectory, budget, figure, probes));
        }

        if (reportOnly)
        {
            WriteReport();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {reportPath} from {cache.LoadAll().Count} cached cells."));
            return ExitCode.Completed;
        }

        Directory.CreateDirectory(outputDirectory);
        using var serilog = LoggingSetup.Create(Path.Combine(outputDirectory, "bench-quality.log"), console: true);
        using var loggers = new SerilogLoggerFactory(serilog);
        var log = loggers.CreateLogger("Leap.BenchQuality");
        LfwQualityProtocol? lfwProtocol = null;
        Cuhk03QualityProtocol? cuhkProtocol = null;
        Market1501QualityProtocol? marketProtocol = null;
        try
        {
            var trainer = new QualityCellTrainer(budget, Path.Combine(outputDirectory, "scratch"), loggers);
            IQualityProtocol ProtocolOf(QualitySplit split) => QualityReportWriter.ProtocolOf(split.Name) switch
            {
                "lfw" => lfwProtocol ??= new LfwQualityProtocol(Path.Combine(dataDirectory, "lfw"), lfwFolds, budget),
                "market" => marketProtocol ??= new Market1501QualityProtocol(Path.Combine(dataDirectory, "market1501"), budget),
                _ => cuhkProtocol ??= new Cuhk03QualityProtocol(Path.Combine(dataDirectory, "cuhk03"), budget),
            };
            var benchmark = new QualityBenchmark(cache, ProtocolOf, trainer.Run, budget, WriteReport, log, trainer.DiscardCheckpoints);
            int computed = benchmark.Run(grid, cancellation);
            WriteReport();
            log.LogInformation("{Computed} cells computed; report written to {Report}", computed, reportPath);
            return cancellation.IsCancellationRequested ? ExitCode.Interrupted : ExitCode.Completed;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or ArgumentException)
        {
            log.LogError(e, "Quality benchmark failed");
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCode.Failed;
        }
        finally
        {
            lfwProtocol?.Dispose();
            cuhkProtocol?.Dispose();
            marketProtocol?.Dispose();
        }
    }
}
