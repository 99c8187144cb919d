using System.CommandLine;
using System.Globalization;
using Leap.Benchmarks.CentreLoad;
using Leap.Benchmarks.Overlap;
using Leap.Launch;
using Leap.Training.Modeling;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap bench overlap [--backbone ResNet18] [--workers 2] [--batch 32] [--image 112] [--steps 6] [--repeats 2]</c>:
/// the data-parallel step with and without the gradient all-reduce overlapped with a staged backward
/// (Training:Distributed:OverlapGradients), N ranks in this process over a loopback TCP ring; step time and the share
/// of it spent waiting for communication. Writes docs/bench/overlap-&lt;backbone&gt;-w&lt;N&gt;.json.
/// </summary>
public static class BenchOverlapCommand
{
    public static Command Create()
    {
        var backbone = new Option<BackboneKind>("--backbone") { Description = "The backbone.", DefaultValueFactory = _ => BackboneKind.ResNet18 };
        var workers = new Option<int>("--workers") { Description = "Ranks (threads of this process, one ring).", DefaultValueFactory = _ => 2 };
        var batch = new Option<int>("--batch") { Description = "Global batch (split over the ranks).", DefaultValueFactory = _ => 32 };
        var classes = new Option<int>("--classes") { Description = "Classifier rows (split over the ranks).", DefaultValueFactory = _ => 1000 };
        var dimension = new Option<int>("--dim") { Description = "Embedding size.", DefaultValueFactory = _ => 512 };
        var image = new Option<int>("--image") { Description = "Input height and width in pixels.", DefaultValueFactory = _ => 112 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first, per run.", DefaultValueFactory = _ => 2 };
        var steps = new Option<int>("--steps") { Description = "Timed steps per run.", DefaultValueFactory = _ => 6 };
        var repeats = new Option<int>("--repeats") { Description = "Interleaved repeats of (overlap on, overlap off).", DefaultValueFactory = _ => 2 };
        var note = new Option<string>("--note") { Description = "Conditions of the run, shown in the report (e.g. other load paused).", DefaultValueFactory = _ => "" };
        var output = new Option<FileInfo?>("--out") { Description = "JSON result (default docs/bench/overlap-<backbone>-w<N>.json)." };
        var command = new Command("overlap", "Step time with and without the gradient all-reduce overlapped with backward, and the communication share of the step.")
        {
            backbone, workers, batch, classes, dimension, image, warmup, steps, repeats, note, output,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var errors = new List<string>();
            var range = new OptionRangeCheck(parse, errors);
            var settings = new OverlapBenchSettings(parse.GetValue(backbone), range.Checked(workers, 2, 8), range.Checked(batch, 2, 4096), range.Checked(classes, 8, 1_000_000),
                range.Checked(dimension, 2, 8192), range.Checked(image, 16, 1024), range.Checked(warmup, 0, 1000), range.Checked(steps, 1, 100_000), range.Checked(repeats, 1, 100));
            if (settings.Batch % settings.Workers != 0)
            {
                errors.Add($"{batch.Name} = {settings.Batch} must be divisible by {workers.Name} = {settings.Workers}.");
            }
            if (errors.Count > 0)
            {
                errors.ForEach(e => Console.Error.WriteLine($"error: {e}"));
                return ExitCode.InvalidConfiguration;
            }
            var started = DateTimeOffset.UtcNow;
            double load = CentreLoadBenchReport.CurrentLoadAverage() ?? 0;
            TorchSharp.torch.set_num_threads(settings.ThreadsPerWorker);
            string scratch = Directory.CreateTempSubdirectory("leap-bench-overlap-").FullName;
            IReadOnlyList<OverlapRun> runs;
            try
            {
                using var measurement = new OverlapMeasurement(settings, scratch);
                runs = await measurement.RunAllAsync(run => Console.WriteLine(Line(run)), cancellation).ConfigureAwait(false);
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
            var report = new OverlapBenchReport(started, load, CentreLoadBenchReport.CurrentLoadAverage() ?? 0, Environment.ProcessorCount,
                settings.Backbone.ToString(), settings.Workers, settings.ThreadsPerWorker, settings.Batch, settings.Classes, settings.Dimension,
                settings.Image, settings.WarmupSteps, settings.Steps, "TCP ring on 127.0.0.1", parse.GetValue(note) ?? "", runs);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"median step: overlap {report.StepSecondsOverlap * 1e3:0} ms, without {report.StepSecondsNoOverlap * 1e3:0} ms ({report.Speedup:0.00}x); communication share {report.ShareOverlap:P0} vs {report.ShareNoOverlap:P0}"));
            string path = parse.GetValue(output)?.FullName ?? Path.GetFullPath(Path.Combine("docs", "bench", OverlapBenchReport.FileName(settings.Backbone.ToString(), settings.Workers)));
            report.Write(path);
            Console.WriteLine($"wrote {path}");
            return ExitCode.Completed;
        });
        return command;
    }

    private static string Line(OverlapRun r) => string.Create(CultureInfo.InvariantCulture,
        $"overlap {(r.Overlap ? "on " : "off")} repeat {r.Repeat}: {r.StepSeconds * 1e3:0} ms/step (min {r.MinStepSeconds * 1e3:0}), exposed communication {r.ExposedCommunicationSeconds * 1e3:0} ms ({r.CommunicationShare:P0}), background all-reduce {r.BackgroundAllReduceSeconds * 1e3:0} ms, gradient wait {r.GradientWaitSeconds * 1e3:0} ms");
}
