using System.CommandLine;
using System.Globalization;
using Leap.Benchmarks.CentreLoad;
using Leap.Benchmarks.DataLoader;
using Leap.Launch;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

namespace Leap.Cli.Commands;

/// <summary>
/// <c>leap bench data [--data ../shared/data] [--batch 64] [--batches 100] [--decode-threads 2] ...</c>: our training
/// input path (the packed .rec through RunData's prefetching batches and the trainer's batch augmentation) against
/// PyTorch's DataLoader (tests/reference/bench_torch_dataloader.py, same images, sizes, augmentation, batch and worker
/// count) on LFW and Market-1501, then the data-wait share of a ResNet-18 training run on LFW; writes
/// docs/bench/data-loader.json. The sets are packed into a temporary folder that is deleted afterwards.
/// </summary>
public static class BenchDataCommand
{
    public static Command Create()
    {
        var shared = new DataBenchOptions();
        var python = new Option<string>("--python") { Description = "Interpreter with torch and torchvision for the reference.", DefaultValueFactory = _ => "/usr/bin/python3" };
        var noReference = new Option<bool>("--no-reference") { Description = "Skip the PyTorch DataLoader." };
        var output = new Option<FileInfo?>("--out") { Description = $"JSON result (default {DataBenchReport.DefaultPath})." };
        var command = new Command("data", "Input pipeline: our loader vs PyTorch's DataLoader (img/s) on LFW and Market-1501, and the data-wait share of a ResNet-18 run.")
        {
            python, noReference, output,
        };
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
            string scratch = Directory.CreateTempSubdirectory("leap-bench-data-").FullName;
            using var serilog = LoggingSetup.Create(Path.Combine(scratch, "bench-data.log"), console: true);
            using var loggers = new SerilogLoggerFactory(serilog);
            try
            {
                var benchmark = new DataLoaderBenchmark(settings, scratch, loggers);
                var sets = new List<DataLoaderComparison>();
                foreach (var set in DataBenchSet.All)
                {
                    var comparison = await benchmark.CompareAsync(set, parse.GetValue(noReference) ? null : parse.GetValue(python),
                        timing => Console.WriteLine(Line(timing)), cancellation).ConfigureAwait(false);
                    if (comparison.PyTorch.Count == 0)
                    {
                        Console.WriteLine(comparison.Reference);
                    }
                    if (comparison.Ratio is double ratio)
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{set.Name}: ours / pytorch img/s = {ratio:0.00}x (fastest rounds)"));
                    }
                    sets.Add(comparison);
                }

                DataWaitResult? training = null;
                if (settings.TrainSteps > 0)
                {
                    training = benchmark.MeasureDataWait(DataBenchSet.Lfw, cancellation);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"training {training.Backbone} {training.Method} B={training.Batch} {training.Width}x{training.Height}: {training.Steps} timed steps, {training.SecondsPerStep * 1e3:0} ms/step, data wait {training.Share:P2} (max {training.MaxWaitSeconds * 1e3:0.0} ms)"));
                }

                var report = new DataBenchReport(started, load, CentreLoadBenchReport.CurrentLoadAverage() ?? 0, Environment.ProcessorCount,
                    settings.CommandLine(), sets, training);
                string path = parse.GetValue(output)?.FullName ?? Path.GetFullPath(DataBenchReport.DefaultPath);
                report.Write(path);
                Console.WriteLine($"wrote {path}");
                return ExitCode.Completed;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCode.Failed;
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        });
        return command;
    }

    internal static string Line(LoaderTiming t)
    {
        var c = CultureInfo.InvariantCulture;
        string line = string.Create(c,
            $"{t.Implementation,-8} {t.Dataset} B={t.Batch} workers={t.Workers} [{string.Join(", ", t.Shape)}]: {t.ImagesPerSecond:0} img/s, cpu {t.CpuSecondsPerImage * 1e3:0.00} ms/img (one image: codec {t.CodecSecondsPerImage * 1e3:0.00} ms, decode {t.DecodeSecondsPerImage * 1e3:0.00} ms, prepared {t.SampleSecondsPerImage * 1e3:0.00} ms)");
        return t.Implementation != "leap" ? line : line + string.Create(c,
            $"; waited {t.WaitFraction:P0}, batch {t.BatchSecondsPerBatch * 1e3:0.0} ms, augment {t.AugmentSecondsPerBatch * 1e3:0.0} ms per batch, {t.Gen2Collections} gen2 GCs");
    }
}
