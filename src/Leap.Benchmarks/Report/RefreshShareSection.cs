using System.Globalization;
using System.Text;
using Leap.Benchmarks.Refresh;

namespace Leap.Benchmarks.Report;

/// <summary>The refresh share of the training step with the centre service, per Leap:RefreshLag (docs/bench/refresh-lag*.json), against 5 %.</summary>
public sealed class RefreshShareSection : IBenchmarkSection
{
    private const double TargetShare = 0.05;

    public string Title => "Centre refresh share of the step";

    public void Render(BenchmarkResults results, StringBuilder markdown)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(markdown);
        var c = CultureInfo.InvariantCulture;
        var rows = results.All<RefreshShareReport>(RefreshShareReport.FilePattern).Select(r => r.Value).OrderBy(r => r.Lag).ToList();
        if (rows.Count == 0)
        {
            markdown.AppendLine("No results yet: run `leap bench refresh --lag 0 1`.");
            return;
        }
        var first = rows[0];
        markdown.AppendLine(c, $"Command: `leap bench refresh --lag {string.Join(' ', rows.Select(r => r.Lag))} --steps {first.TimedSteps}`: one worker's real training loop (`TrainingSession`, `LocalStep`, `CentreRefreshHook` over `CentreServiceSink`) against the centre service started in the same process on loopback, {first.Backbone} at batch {first.Batch}, {first.Image} px, D = {first.Dimension}, {first.Classes:N0} classes, one push every {first.RefreshInterval} steps; {first.WarmupSteps} warm-up steps, then {first.TimedSteps} timed. Refresh = the hook's time (buffering; at interval ends the push and pull, or with lag 1 only the wait for the refresh started an interval earlier and the gather of its statistics); share = refresh / (training step + refresh).");
        markdown.AppendLine();
        markdown.AppendLine("| lag | started (UTC) | load (1 min) | step ms | refresh ms/step | refresh share | pushes | target (<= 5 %) |");
        markdown.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            markdown.AppendLine(c, $"| {r.Lag} | {r.StartedUtc:yyyy-MM-dd HH:mm} | {r.LoadAverage:0.0} | {r.MeanStepMilliseconds:0.0} | {r.MeanRefreshMilliseconds:0.00} | {r.RefreshShare * 100:0.00} % | {r.Pushes} | {(r.RefreshShare <= TargetShare ? "met" : "missed")} |");
        }
        markdown.AppendLine();
        markdown.AppendLine("With lag 1 the push of an interval and the pull of its statistics run in the background while the next interval trains; on this 2-core machine they still take CPU from the training step (its time, not the hook's), so the step time column is the figure to compare for the total cost.");
    }
}
