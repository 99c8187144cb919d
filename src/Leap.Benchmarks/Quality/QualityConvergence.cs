using System.Globalization;
using System.Text;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// The report's reading of the learning curves: per baseline cell scored during training, the headline metric at each
/// scored step and the training loss before it, whether the curve is flat at the end of the budget (changed by less
/// than <see cref="FlatPoints"/> over the last interval), falling (it peaked earlier) or still rising, and where it ends against issue #12's targets. A flat or falling curve below a target says that more steps
/// of this budget will not reach it.
/// </summary>
public static class QualityConvergence
{
    public const double FlatPoints = 1.0;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Issue #12's target (percent) for a split's baseline, or null where it sets none: Market &lt;H20, S5&gt; and LFW's natural (uncut) training sets.</summary>
    public static double? TargetPercent(string split) => split switch
    {
        "market-H20-S5" => 50,
        _ when split.StartsWith("lfw", StringComparison.Ordinal) && split.EndsWith("natural", StringComparison.Ordinal) => 85,
        _ => null,
    };

    public static void Append(StringBuilder md, IReadOnlyList<QualityCellResult> found)
    {
        ArgumentNullException.ThrowIfNull(md);
        ArgumentNullException.ThrowIfNull(found);
        var curves = found.Where(r => r.Curve is { Count: >= 2 }).OrderBy(r => r.Split, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal).ThenBy(r => r.Seed).ToList();
        if (curves.Count == 0)
        {
            return;
        }
        md.AppendLine();
        md.AppendLine("## Does the budget converge?");
        md.AppendLine();
        md.AppendLine(Invariant, $"Each baseline cell scored during training: the headline metric (%) at every scored step, the mean training loss of the steps before it, and the change over the last interval; \"flat\" = less than {FlatPoints:0.#} point. Targets are issue #12's (Market <H20, S5> rank-1 >= 50 %, LFW accuracy >= 85 % on the natural training set).");
        md.AppendLine();
        md.AppendLine("| split | method | seed | headline by step | training loss by step | last interval | verdict |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var cell in curves)
        {
            string metric = QualityReportWriter.HeadlineMetric(cell.Split);
            var points = cell.Curve!.Where(p => p.Metrics.ContainsKey(metric)).ToList();
            if (points.Count < 2)
            {
                continue;
            }
            string byStep = string.Join(", ", points.Select(p => string.Create(Invariant, $"{p.Step}: {p.Metrics[metric] * 100:0.0}")));
            string losses = string.Join(", ", points.Select(p => string.Create(Invariant, $"{p.Step}: {p.Loss:0.###}")));
            double last = points[^1].Metrics[metric] * 100;
            double change = last - (points[^2].Metrics[metric] * 100);
            md.AppendLine(Invariant, $"| {cell.Split} | {cell.Method} | {cell.Seed} | {byStep} | {losses} | {change:+0.0;-0.0;0.0} ({points[^2].Step} -> {points[^1].Step}) | {Verdict(cell.Split, metric, points)}{SeedMean(found, cell, metric)} |");
        }
    }

    /// <summary>Where the target is set and other seeds of the cell's split and method finished: their mean against it.</summary>
    private static string SeedMean(IReadOnlyList<QualityCellResult> found, QualityCellResult cell, string metric)
    {
        double[] values = [.. found.Where(r => r.Split == cell.Split && r.Method == cell.Method && r.Metrics.ContainsKey(metric)).Select(r => r.Metrics[metric] * 100)];
        if (TargetPercent(cell.Split) is not double target || values.Length < 2)
        {
            return "";
        }

        double mean = values.Average();
        return string.Create(Invariant, $". Over its {values.Length} seeds the mean is {mean:0.00} %: the {target:0} % target {(mean >= target ? "is met" : "is missed")}");
    }

    private static string Verdict(string split, string metric, IReadOnlyList<QualityCurvePoint> points)
    {
        double last = points[^1].Metrics[metric] * 100;
        double change = last - (points[^2].Metrics[metric] * 100);
        double loss = points[^1].Loss;
        QualityCurvePoint peak = points.MaxBy(p => p.Metrics[metric])!;
        double peakValue = peak.Metrics[metric] * 100;
        bool flat = Math.Abs(change) < FlatPoints;
        bool falling = change <= -FlatPoints;
        bool lossFell = loss < points[^2].Loss;
        // A fall is overfitting only when the model kept fitting its training set meanwhile; one interval's fall can
        // also be noise (about 1.6 points of accuracy on LFW's 600 pairs).
        string shape = flat ? string.Create(Invariant, $"flat at {last:0.0} %")
            : falling ? string.Create(Invariant, $"falling ({change:+0.0;-0.0} points in the last interval) from its peak of {peakValue:0.0} % at step {peak.Step}{(lossFell ? string.Create(Invariant, $" while the training loss fell to {loss:0.###}: overfitting, or noise") : "")}")
            : string.Create(Invariant, $"still moving ({change:+0.0;-0.0} points in the last interval)");
        if (TargetPercent(split) is not double target)
        {
            return shape;
        }
        if (last >= target)
        {
            return string.Create(Invariant, $"{shape}; target {metric} >= {target:0} % met");
        }
        if (falling)
        {
            // Not "a shorter budget would meet it": a shorter cosine schedule is not this run stopped early.
            return peakValue >= target
                ? string.Create(Invariant, $"{shape}; it was above the {target:0} % target at step {peak.Step} but not at the end")
                : string.Create(Invariant, $"{shape}; {target - peakValue:0.0} points below the {target:0} % target even at its peak: more steps of this budget will not reach it");
        }
        return flat
            ? string.Create(Invariant, $"{shape}, {target - last:0.0} points below the {target:0} % target with the training loss at {loss:0.###}: more steps of this budget will not reach it; data (images per identity), input size and backbone are what is left")
            : string.Create(Invariant, $"{shape}; {target - last:0.0} points below the {target:0} % target: a longer budget may close part of it");
    }
}
