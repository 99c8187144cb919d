using System.CommandLine;
using System.Globalization;
using Leap.Benchmarks.CentreLoad;
using Leap.Benchmarks.Step;
using Leap.Core.Margins;
using Leap.Core.Statistics;
using Leap.Launch;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap bench step [--backbone ResNet18|SmallCnn] [--batch 32] [--classes 10000] [--image 112] [--threads T] ...</c>:
/// training-step throughput of our single-process trainer (CosFace) and of the same model, batch, image size and
/// thread count in PyTorch (tests/reference/bench_torch_step.py, run right after with /usr/bin/python3); writes
/// docs/bench/step-&lt;backbone&gt;.json.
/// </summary>
public static class BenchStepCommand
{
    public static Command Create()
    {
        var shared = new StepBenchOptions();
        var python = new Option<string>("--python") { Description = "Interpreter with torch for the reference.", DefaultValueFactory = _ => "/usr/bin/python3" };
        var noReference = new Option<bool>("--no-reference") { Description = "Skip the PyTorch reference." };
        var output = new Option<FileInfo?>("--out") { Description = "JSON result (default docs/bench/step-<backbone>.json)." };
        var command = new Command("step", "Training-step throughput (img/s): our trainer vs PyTorch, same model, batch and threads.") { python, noReference, output };
        shared.AddTo(command);
        command.SetAction(async (parse, cancellation) =>
        {
            var (settings, errors) = shared.Read(parse);
            if (settings is null)
            {
                errors.ToList().ForEach(e => Console.Error.WriteLine($"error: {e}"));
                return ExitCode.InvalidConfiguration;
            }
            var started = DateTimeOffset.UtcNow;
            double load = CentreLoadBenchReport.CurrentLoadAverage() ?? 0;
            TorchSharp.torch.set_num_threads(settings.Threads);
            string scratch = Directory.CreateTempSubdirectory("leap-bench-step-").FullName;
            StepTiming ours;
            try
            {
                using var probe = new TrainerStepProbe(settings, MarginKind.CosFace, LeapVariant.None, scratch);
                for (int s = 0; s < settings.WarmupSteps + settings.Steps; s++)
                {
                    probe.Run(warmUp: s < settings.WarmupSteps);
                }
                ours = probe.Timing(load);
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
            Console.WriteLine(Line(ours));
            var (torch, note) = parse.GetValue(noReference)
                ? (null, "PyTorch reference skipped (--no-reference).")
                : await TorchStepReference.RunAsync(settings, parse.GetValue(python)!, cancellation).ConfigureAwait(false);
            Console.WriteLine(torch is null ? note : Line(torch));
            var report = new StepBenchReport(started, load, Environment.ProcessorCount, ours, torch, note);
            if (report.Ratio is double ratio)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ours / pytorch img/s = {ratio:0.00}x"));
            }
            string path = parse.GetValue(output)?.FullName ?? Path.GetFullPath(StepBenchReport.DefaultPath(settings.Backbone.ToString()));
            report.Write(path);
            Console.WriteLine($"wrote {path}");
            return ExitCode.Completed;
        });
        return command;
    }

    internal static string Line(StepTiming t) => string.Create(CultureInfo.InvariantCulture,
        $"{t.Implementation,-8} {t.Method,-8} {t.Backbone} B={t.Batch} C={t.Classes} {t.Image}px threads={t.Threads}: {t.MeanSeconds * 1e3:0.0} ms/step (min {t.MinSeconds * 1e3:0.0}), {t.ImagesPerSecond:0.0} img/s, cpu {t.CpuSecondsPerStep * 1e3:0} ms/step");
}
