using System.CommandLine;
using System.Globalization;
using Leap.Benchmarks;
using Leap.Benchmarks.CentreLoad;
using Leap.Benchmarks.Job;
using Leap.Launch;
using Leap.Runs.Configuration;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap bench job [--workers 2 4] [--steps 300] [--repeats 3] [--variant Full|None] [--model quickstart|resnet18]</c>:
/// distributed job throughput on this box. Per repeat, back to back: `leap launch --workers N` of the quick-start job
/// (configs/quickstart.json; with --model resnet18 its ResNet-18 112 px version),
/// `leap train` of the same job in one process, and the PyTorch DDP peer (tests/reference/bench_ddp_job.py); writes
/// docs/bench/job[-&lt;model&gt;]-w&lt;N&gt;-&lt;variant&gt;.json with every repeat and their medians.
/// </summary>
public static class BenchJobCommand
{
    public const string ConfigPath = "configs/quickstart.json";

    public static Command Create()
    {
        var shared = new JobBenchOptions();
        var python = new Option<string>("--python") { Description = "Interpreter with torch for the DDP peer.", DefaultValueFactory = _ => "/usr/bin/python3" };
        var noReference = new Option<bool>("--no-reference") { Description = "Skip the PyTorch DDP peer." };
        var output = new Option<FileInfo?>("--out") { Description = "JSON result (default docs/bench/job-w<N>-<variant>.json); only with a single --workers value." };
        var command = new Command("job", "Distributed job throughput (img/s): leap launch vs leap train vs PyTorch DDP, interleaved repeats.") { python, noReference, output };
        shared.AddTo(command);
        command.SetAction(async (parse, cancellation) =>
        {
            var (settings, errors) = shared.Read(parse);
            if (settings is not null && settings.Workers.Count > 1 && parse.GetValue(output) is not null)
            {
                (settings, errors) = (null, ["--out names one file; give a single --workers value with it."]);
            }
            if (settings is null)
            {
                errors.ToList().ForEach(e => Console.Error.WriteLine($"error: {e}"));
                return ExitCode.InvalidConfiguration;
            }
            string? config = ReferenceScript.Find(ConfigPath);
            if (config is null)
            {
                Console.Error.WriteLine($"error: {ConfigPath} not found in {Environment.CurrentDirectory} or above; run from the repository.");
                return ExitCode.InvalidConfiguration;
            }
            string dataPath = TrainingConfigLoader.Load(config, []).Data.Path;
            if (!Directory.Exists(dataPath) || Directory.GetFiles(dataPath, "train-images-idx3-ubyte*").Length == 0)
            {
                Console.Error.WriteLine($"error: the quick-start data (Fashion-MNIST IDX files) is not in {dataPath}; install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist, or ./leap quickstart does it).");
                return ExitCode.InvalidConfiguration;
            }
            string scratch = Directory.CreateTempSubdirectory("leap-bench-job-").FullName;
            try
            {
                return await RunAsync(settings, config, dataPath, scratch, parse.GetValue(noReference) ? null : parse.GetValue(python)!, parse.GetValue(output)?.FullName, cancellation).ConfigureAwait(false);
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine($"bench job: {e.Message}");
                return ExitCode.Failed;
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(JobBenchSettings settings, string config, string dataPath, string scratch, string? python, string? output, CancellationToken cancellation)
    {
        var (peer, note) = python is null
            ? (null, "PyTorch DDP peer skipped (--no-reference).")
            : await DdpJobReference.FindAsync(settings, python, dataPath, scratch, cancellation).ConfigureAwait(false);
        if (peer is null)
        {
            Console.WriteLine(note);
        }
        var runner = new JobRunner(settings, config, scratch);
        foreach (int workers in settings.Workers)
        {
            var started = DateTimeOffset.UtcNow;
            double load = CentreLoadBenchReport.CurrentLoadAverage() ?? 0;
            string? refusal = peer is null ? null : DdpJobReference.Refusal(workers, settings.Batch);
            var repeats = new List<JobRepeat>();
            for (int r = 1; r <= settings.Repeats; r++)
            {
                var launch = await runner.LaunchAsync(workers, r, cancellation).ConfigureAwait(false);
                Console.WriteLine(Line(workers, r, settings, launch));
                var train = await runner.TrainAsync(workers, r, cancellation).ConfigureAwait(false);
                Console.WriteLine(Line(workers, r, settings, train));
                JobRun? ddp = null;
                if (peer is not null && refusal is null)
                {
                    ddp = await peer.RunAsync(workers, r, cancellation).ConfigureAwait(false);
                    Console.WriteLine(Line(workers, r, settings, ddp));
                }
                repeats.Add(new JobRepeat(r, launch, train, ddp));
            }
            var report = new JobBenchReport(started, load, CentreLoadBenchReport.CurrentLoadAverage() ?? 0, Environment.ProcessorCount, workers,
                JobBenchSettings.ThreadsPerWorker(workers), settings.Variant.ToString(), settings.Batch, settings.Steps, settings.WarmupSteps,
                JobBenchSettings.EvaluationPairs, repeats, refusal ?? (peer is null ? note : peer.Note)) 
            {
                Model = settings.Model.Name,
                NativeHeap = settings.NativeHeap,
                Classifier = settings.ClassifierName,
            };
            Console.WriteLine(Summary(report));
            string path = output ?? Path.GetFullPath(JobBenchReport.DefaultPath(workers, report.Variant, report.Model, settings.RetainNativeHeap, settings.ClassifierName));
            report.Write(path);
            Console.WriteLine($"wrote {path}");
        }
        return ExitCode.Completed;
    }

    private static string Line(int workers, int repeat, JobBenchSettings settings, JobRun run) => string.Create(CultureInfo.InvariantCulture,
        $"{settings.Model.Name} N={workers} {settings.Variant} repeat {repeat}/{settings.Repeats} {run.Implementation,-11}: {run.ImagesPerSecond:0.0} img/s (median after step {settings.WarmupSteps}), {run.CpuSecondsPerStep:0.000} CPU s/step, {run.WallSeconds:0} s");

    private static string Summary(JobBenchReport r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Model} N={r.Workers} {r.Variant} classifier {r.Classifier} ({r.ClassifierUsed}): median launch {r.LaunchImagesPerSecond:0.0} img/s, train {r.TrainImagesPerSecond:0.0}, DDP {(r.DdpImagesPerSecond is double d ? d.ToString("0.0", CultureInfo.InvariantCulture) : "—")}; launch/train {r.LaunchOverTrain:0.00}x{(r.LaunchOverDdp is double x ? $", launch/DDP {x:0.00}x" : "")}");
}
