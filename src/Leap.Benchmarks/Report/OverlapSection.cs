using System.Globalization;
using System.Text;
using Leap.Benchmarks.Overlap;

namespace Leap.Benchmarks.Report;

/// <summary>The data-parallel step with and without the overlapped gradient all-reduce (docs/bench/overlap-*.json).</summary>
public sealed class OverlapSection : IBenchmarkSection
{
    public string Title => "Overlapped gradient all-reduce";

    public void Render(BenchmarkResults results, StringBuilder markdown)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(markdown);
        var c = CultureInfo.InvariantCulture;
        var reports = results.All<OverlapBenchReport>("overlap-*.json").Select(r => r.Value).ToList();
        markdown.AppendLine("Command: `leap bench overlap --backbone ResNet18 --workers 2 --batch 32 --image 112 --steps S --repeats R`, then `leap bench report`. N ranks of the data-parallel step run as threads of one process (torch threads = cores / N, as `leap launch` gives each worker) over a real TCP ring on 127.0.0.1, on synthetic images, CosFace without LEAP; runs alternate `Training:Distributed:OverlapGradients` = true and false, each from a fresh model and ring. With overlap the backbone's backward runs stage by stage (stem, residual stages, head) and each stage's gradients are all-reduced (25 MB buckets, one collective at a time) on a background task while the earlier stages' backward runs.");
        markdown.AppendLine();
        markdown.AppendLine("Step = rank 0's step wall time (mean over the timed steps of a run; the table gives the median over the runs). Exposed communication = the time rank 0's training thread waited for collectives: the all-gathers, dF's all-reduce and, without overlap, every gradient all-reduce; with overlap, instead of the last, the wait for the gradient all-reduces the backward did not hide. Share = exposed communication / step. Background all-reduce = the time the overlapped gradient all-reduces were in flight.");
        markdown.AppendLine();
        if (reports.Count == 0)
        {
            markdown.AppendLine("No results yet: run `leap bench overlap`.");
            return;
        }
        markdown.AppendLine("| backbone | N | threads / worker | global batch | image | C, D | steps (warm-up) per run | run (UTC), load 1 min start -> end | step, overlap | step, no overlap | no overlap / overlap | communication share, overlap | communication share, no overlap | background all-reduce / step, overlap | conditions |");
        markdown.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in reports)
        {
            markdown.AppendLine(c, $"| {r.Backbone} | {r.Workers} | {r.ThreadsPerWorker} | {r.Batch} | {r.Image} px | {r.Classes}, {r.Dimension} | {r.Steps} ({r.WarmupSteps}) x {r.Runs.Count(x => x.Overlap)} | {r.StartedUtc:yyyy-MM-dd HH:mm}, {r.LoadAverage:0.0} -> {r.LoadAverageEnd:0.0} | {r.StepSecondsOverlap * 1e3:0} ms | {r.StepSecondsNoOverlap * 1e3:0} ms | {r.Speedup:0.00}x | {r.ShareOverlap:P0} | {r.ShareNoOverlap:P0} | {r.Median(true, x => x.BackgroundAllReduceSeconds) * 1e3:0} ms | {r.ProcessorCount} logical CPUs; {(r.Note.Length == 0 ? "-" : r.Note)} |");
        }
        markdown.AppendLine();
        markdown.AppendLine("Every run:");
        markdown.AppendLine();
        markdown.AppendLine("| backbone | N | repeat | overlap | step (min) | exposed communication | share | gradient wait | background all-reduce |");
        markdown.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in reports)
        {
            foreach (var x in r.Runs)
            {
                markdown.AppendLine(c, $"| {r.Backbone} | {r.Workers} | {x.Repeat} | {(x.Overlap ? "on" : "off")} | {x.StepSeconds * 1e3:0} ms ({x.MinStepSeconds * 1e3:0}) | {x.ExposedCommunicationSeconds * 1e3:0} ms | {x.CommunicationShare:P0} | {x.GradientWaitSeconds * 1e3:0} ms | {x.BackgroundAllReduceSeconds * 1e3:0} ms |");
            }
        }
    }
}
