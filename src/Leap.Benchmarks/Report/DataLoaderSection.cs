using System.Globalization;
using System.Text;
using Leap.Benchmarks.DataLoader;

namespace Leap.Benchmarks.Report;

/// <summary>
/// Our input pipeline against PyTorch's DataLoader on LFW and Market-1501, and the data-wait share of a ResNet-18
/// training run (docs/bench/data-loader.json, written by `leap bench data`); targets: ratio >= 1.0, share <= 5 %.
/// </summary>
public sealed class DataLoaderSection : IBenchmarkSection
{
    /// <summary>Above this share of its time waiting for decoded batches, our consumer is limited by the decode threads.</summary>
    private const double DecodeBoundWait = 0.5;

    public string Title => "Input pipeline vs PyTorch's DataLoader";

    public void Render(BenchmarkResults results, StringBuilder markdown)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(markdown);
        var c = CultureInfo.InvariantCulture;
        var r = results.One<DataBenchReport>(DataBenchReport.FileName);
        markdown.AppendLine("Ours: each data set packed by `IdentityFolderPacker` into a temporary .rec (files unchanged), read by the trainer's own path: `RunData` (every class kept, 2 images per class held out), `PrefetchingBatches` (decode, resize, normalise on the decode threads, batches queued), then the trainer's `BatchAugmentation` (random flip, zero-pad and random crop on the batch tensor) on the consuming thread, as `LocalStep` applies it. PyTorch: `tests/reference/bench_torch_dataloader.py` (Debian's python3-torch, torchvision and PIL) on the same training images: PIL decode, `Resize`, `RandomHorizontalFlip`, `Pad` + `RandomCrop`, `ToTensor`, `Normalize` (same mean and std) in a `DataLoader` with as many worker processes as our decode threads, the same batch size and number of batches. Both produce [B, 3, H, W] float tensors; img/s is measured after the warm-up batches; rounds alternate (ours, PyTorch, ours, ...) and each side's fastest round is shown.");
        markdown.AppendLine();
        if (r is null)
        {
            markdown.AppendLine("No results yet: run `leap bench data` (needs ../shared/data), then `leap bench report`.");
            return;
        }

        markdown.AppendLine(c, $"Command: `{r.Command}`, then `leap bench report`. Run: {r.StartedUtc:yyyy-MM-dd HH:mm} UTC, 1-minute load average {r.LoadAverage:0.0} at the start and {r.LoadAverageEnd:0.0} at the end, on {r.ProcessorCount} cores.");
        markdown.AppendLine();
        markdown.AppendLine("| data set | stored -> batch tensor | training images | B | decode threads / workers | ours img/s (rounds) | PyTorch img/s (rounds) | ratio | least CPU ms/img ours / PyTorch | ratio (CPU) |");
        markdown.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var set in r.Sets)
        {
            var o = set.BestOurs;
            string shape = string.Join("x", o.Shape);
            markdown.AppendLine(c, $"| {set.Dataset} | {set.StoredSize} JPEG -> [{shape}] | {o.Images:N0} of {set.SourceImages:N0} ({set.Classes:N0} classes) | {o.Batch} | {o.Workers} | {Rounds(set.Ours)} | {(set.PyTorch.Count == 0 ? "—" : Rounds(set.PyTorch))} | {Ratio(set.Ratio)} | {set.OursCpuSecondsPerImage * 1e3:0.00} / {(set.PyTorchCpuSecondsPerImage is double t ? (t * 1e3).ToString("0.00", c) : "—")} | {Ratio(set.CpuRatio)} |");
        }

        markdown.AppendLine();
        markdown.AppendLine("Ratio = our img/s / PyTorch's (target >= 1.0); ratio (CPU) = PyTorch's least CPU seconds per image over the rounds (main process + workers) / ours (whole process) (>= 1.0: we spend no more CPU per image). Where the time goes, per image on one thread (codec = JPEG bytes to 8-bit pixels: SkiaSharp for us, PIL for PyTorch; decode = ours: read the record + codec + conversion to float CHW; prepared = ours: decode + resize + normalise, PyTorch: decode + every transform, augmentation included), and on our consuming thread per batch:");
        markdown.AppendLine();
        markdown.AppendLine("| data set | side | codec ms | decode ms | prepared ms | consumer waited | batch tensor ms/batch | augmentation ms/batch | full GCs |");
        markdown.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var set in r.Sets)
        {
            var o = set.BestOurs;
            markdown.AppendLine(c, $"| {set.Dataset} | ours | {o.CodecSecondsPerImage * 1e3:0.00} | {o.DecodeSecondsPerImage * 1e3:0.00} | {o.SampleSecondsPerImage * 1e3:0.00} | {o.WaitFraction:P0} | {o.BatchSecondsPerBatch * 1e3:0.0} | {o.AugmentSecondsPerBatch * 1e3:0.0} | {o.Gen2Collections} |");
            if (set.BestPyTorch is { } t)
            {
                markdown.AppendLine(c, $"| {set.Dataset} | PyTorch | {t.CodecSecondsPerImage * 1e3:0.00} | {t.DecodeSecondsPerImage * 1e3:0.00} | {t.SampleSecondsPerImage * 1e3:0.00} | — | — | (in the workers) | — |");
            }
        }

        markdown.AppendLine();
        foreach (var set in r.Sets)
        {
            markdown.AppendLine(Verdict(set));
            markdown.AppendLine();
        }

        RenderTraining(r.Training, r.Sets.FirstOrDefault(s => s.Dataset == r.Training?.Dataset), markdown);
    }

    /// <summary>The comparison of one set in words: met or missed, and what limited our side in that run.</summary>
    public static string Verdict(DataLoaderComparison set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var c = CultureInfo.InvariantCulture;
        var o = set.BestOurs;
        string limit = o.WaitFraction >= DecodeBoundWait
            ? string.Create(c, $"our consumer waited {o.WaitFraction:P0} of the time for decoded batches, so the {o.Workers} decode threads are the limit ({o.SampleSecondsPerImage * 1e3:0.00} ms per prepared image on one thread, of which the codec {o.CodecSecondsPerImage * 1e3:0.00} ms)")
            : string.Create(c, $"our consumer waited only {o.WaitFraction:P0} of the time, so the consuming thread is the limit: {o.AugmentSecondsPerBatch * 1e3:0.0} ms of batch augmentation and {o.BatchSecondsPerBatch * 1e3:0.0} ms of batch-tensor creation per batch of {o.Batch}");
        if (set.Ratio is not double ratio)
        {
            return string.Create(c, $"{set.Dataset}: {set.Reference} Ours: {o.ImagesPerSecond:0} img/s; {limit}.");
        }

        string head = ratio >= DataLoaderComparison.TargetRatio
            ? string.Create(c, $"{set.Dataset}: target met, ours is {ratio:0.00}x PyTorch's throughput; ")
            : string.Create(c, $"{set.Dataset}: target missed, ours is {ratio:0.00}x PyTorch's throughput; ");
        var t = set.BestPyTorch!;
        return head + limit + string.Create(c,
            $". PyTorch's workers spend {t.CpuSecondsPerImage * 1e3:0.00} ms of CPU per image against {t.SampleSecondsPerImage * 1e3:0.00} ms for one image on one thread: the rest is the DataLoader's own cost (pickling samples to the main process, collation into the batch, worker scheduling).");
    }

    private static void RenderTraining(DataWaitResult? t, DataLoaderComparison? loader, StringBuilder markdown)
    {
        var c = CultureInfo.InvariantCulture;
        markdown.AppendLine("Data wait in training: the same packed set through the real trainer in-process (`RunData`, `PrefetchingBatches`, `TrainingSession`, `LocalStep` with the batch augmentation, the `Trainer` loop with the centre-refresh and logging hooks), plain CosFace (the cheapest step, so the share is not flattered by a slower one). Share = sum of `StepOutcome.DataWait` / sum of `StepOutcome.Elapsed` over the timed steps (the figure the trainer logs as \"data wait\" and exports as `leap_train_data_wait_seconds`).");
        markdown.AppendLine();
        if (t is null)
        {
            markdown.AppendLine("No training run in this result (`--train-steps 0`).");
            return;
        }

        markdown.AppendLine("| data set | backbone | method | B | image | augmentation | decode threads / prefetch | torch threads | timed steps (after warm-up) | ms/step | CPU s/step | data wait | longest wait ms | target |");
        markdown.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        markdown.AppendLine(c, $"| {t.Dataset} | {t.Backbone} | {t.Method} | {t.Batch} | {t.Width}x{t.Height} | flip + pad-crop {t.PadCrop} | {t.DecodeThreads} / {t.PrefetchBatches} | {t.Threads} | {t.Steps} (after {t.WarmupSteps}) | {t.SecondsPerStep * 1e3:0} | {t.CpuSecondsPerStep:0.00} | {t.Share:P2} | {t.MaxWaitSeconds * 1e3:0.0} | <= {DataWaitResult.TargetShare:P0}: {(t.Share <= DataWaitResult.TargetShare ? "met" : "missed")} |");
        markdown.AppendLine();
        if (loader is not null)
        {
            // Load-independent bound: the decode threads' work per batch against the step, from the one-image profile above.
            double decode = t.Batch * loader.BestOurs.SampleSecondsPerImage / t.DecodeThreads;
            markdown.AppendLine(c, $"The step time depends on the machine's load (see the training-step section for ResNet-18 on a quieter machine), and a slower step lowers the share. A bound that does not: preparing one batch of {t.Batch} takes about {decode * 1e3:0.0} ms on the {t.DecodeThreads} decode threads ({t.Batch} x {loader.BestOurs.SampleSecondsPerImage * 1e3:0.00} ms per prepared {t.Dataset} image / {t.DecodeThreads}), {decode / t.SecondsPerStep:P1} of this run's step, so the queue stays ahead of any ResNet-18 step slower than about {decode / DataWaitResult.TargetShare * 1e3:0} ms.");
            markdown.AppendLine();
        }

        markdown.AppendLine(t.Share <= DataWaitResult.TargetShare
            ? "The decode threads keep the queue ahead of a ResNet-18 step on the CPU: a batch is decoded in a fraction of the step, so the step rarely waits. The decode threads still take CPU from the step's own torch threads on the same cores; that cost shows in ms/step, not in the wait."
            : "The step waited longer than the target: the decode threads could not keep the queue ahead of the step on this machine (they share its cores with the step's torch threads and with the machine's other load); more decode threads, a deeper prefetch or images stored at the training size would shorten the wait.");
    }

    private static string Rounds(IReadOnlyList<LoaderTiming> rounds) =>
        string.Join(" / ", rounds.Select(t => t.ImagesPerSecond.ToString("0", CultureInfo.InvariantCulture)));

    private static string Ratio(double? ratio) => ratio is double r ? r.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "—";
}
