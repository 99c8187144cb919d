using System.CommandLine;
using System.Globalization;
using Leap.Benchmarks.CentreLoad;
using Leap.Benchmarks.Step;
using Leap.Core.Margins;
using Leap.Core.Statistics;
using Leap.Launch;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap bench leap-overhead [model options] [--rounds 3]</c>: step time of LEAP-CF and LEAP-AF against plain CosFace
/// and ArcFace with the same model and batch. The four trainers are built once and stepped in interleaved rounds
/// (each round: --steps timed steps of every method), so load changes during the run hit all of them alike; writes
/// docs/bench/leap-overhead.json.
/// </summary>
public static class BenchLeapOverheadCommand
{
    private static readonly (MarginKind Margin, LeapVariant Variant)[] Methods =
        [(MarginKind.CosFace, LeapVariant.None), (MarginKind.CosFace, LeapVariant.Full), (MarginKind.ArcFace, LeapVariant.None), (MarginKind.ArcFace, LeapVariant.Full)];

    public static Command Create()
    {
        var shared = new StepBenchOptions();
        var rounds = new Option<int>("--rounds") { Description = "Interleaved rounds of --steps timed steps per method.", DefaultValueFactory = _ => 3 };
        var output = new Option<FileInfo?>("--out") { Description = "JSON result (default docs/bench/leap-overhead.json)." };
        var command = new Command("leap-overhead", "Step time of LEAP-CF / LEAP-AF vs CosFace / ArcFace, same model and batch (target <= 5%).") { rounds, output };
        shared.AddTo(command);
        command.SetAction(parse =>
        {
            var (settings, errors) = shared.Read(parse);
            int roundCount = parse.GetValue(rounds);
            if (roundCount is < 1 or > 1000)
            {
                errors = [.. errors, $"--rounds = {roundCount} is out of range; allowed [1, 1000]."];
                settings = null;
            }
            if (settings is null)
            {
                errors.ToList().ForEach(e => Console.Error.WriteLine($"error: {e}"));
                return ExitCode.InvalidConfiguration;
            }
            var started = DateTimeOffset.UtcNow;
            double load = CentreLoadBenchReport.CurrentLoadAverage() ?? 0;
            TorchSharp.torch.set_num_threads(settings.Threads);
            string scratch = Directory.CreateTempSubdirectory("leap-bench-overhead-").FullName;
            var probes = new List<TrainerStepProbe>();
            try
            {
                probes.AddRange(Methods.Select(m => new TrainerStepProbe(settings, m.Margin, m.Variant, scratch)));
                for (int s = 0; s < settings.WarmupSteps; s++)
                {
                    probes.ForEach(p => p.Run(warmUp: true));
                }
                for (int r = 0; r < roundCount; r++)
                {
                    foreach (var probe in probes)
                    {
                        for (int s = 0; s < settings.Steps; s++)
                        {
                            probe.Run(warmUp: false);
                        }
                    }
                }
                var report = new LeapOverheadReport(started, load, CentreLoadBenchReport.CurrentLoadAverage() ?? 0, Environment.ProcessorCount, roundCount,
                    probes.Select(p => p.Timing(load)).ToList());
                report.Methods.ToList().ForEach(t => Console.WriteLine(BenchStepCommand.Line(t) + string.Create(CultureInfo.InvariantCulture, $", hooks {t.HookSeconds * 1e3:0.0} ms, cloud samples {t.CloudSampleFraction:P0}")));
                foreach (var (leap, baseline) in new[] { ("LEAP-CF", "CosFace"), ("LEAP-AF", "ArcFace") })
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{leap} / {baseline} step time - 1 = {report.Overhead(leap, baseline):P1} (target <= {LeapOverheadReport.TargetOverhead:P0})"));
                }
                string path = parse.GetValue(output)?.FullName ?? Path.GetFullPath(LeapOverheadReport.DefaultPath);
                report.Write(path);
                Console.WriteLine($"wrote {path}");
                return ExitCode.Completed;
            }
            finally
            {
                probes.ForEach(p => p.Dispose());
                Directory.Delete(scratch, recursive: true);
            }
        });
        return command;
    }
}
