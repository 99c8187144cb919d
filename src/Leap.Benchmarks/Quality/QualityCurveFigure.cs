using Leap.Reporting;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// The quality benchmark's learning curves: per split, the headline test metric and the training loss of every cell
/// that recorded a curve (the baselines' first seed), against the training step.
/// </summary>
public static class QualityCurveFigure
{
    private static readonly OxyColor[] Palette =
    [
        OxyColor.FromRgb(31, 119, 180), OxyColor.FromRgb(214, 39, 40), OxyColor.FromRgb(44, 160, 44), OxyColor.FromRgb(148, 103, 189),
        OxyColor.FromRgb(255, 127, 14), OxyColor.FromRgb(140, 86, 75),
    ];

    /// <summary>Two panels per split that has a curve (metric, loss); empty when no cell has one.</summary>
    public static IReadOnlyList<PlotModel> Panels(IReadOnlyList<QualityCellResult> results, Func<string, string> headlineMetricOf)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(headlineMetricOf);
        var panels = new List<PlotModel>();
        foreach (var split in results.Where(r => r.Curve is { Count: > 1 }).GroupBy(r => r.Split).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            string metric = headlineMetricOf(split.Key);
            var score = Panel($"{split.Key}: test {metric}", $"{metric} (%)");
            var loss = Panel($"{split.Key}: training loss", "mean loss since the previous point");
            int colour = 0;
            foreach (QualityCellResult cell in split.OrderBy(r => r.Method, StringComparer.Ordinal).ThenBy(r => r.Seed))
            {
                var c = Palette[colour++ % Palette.Length];
                string label = $"{cell.Method}, seed {cell.Seed}";
                score.Series.Add(Line(label, c, cell.Curve!.Where(p => p.Metrics.ContainsKey(metric)).Select(p => new DataPoint(p.Step, p.Metrics[metric] * 100))));
                loss.Series.Add(Line(label, c, cell.Curve!.Select(p => new DataPoint(p.Step, p.Loss))));
            }

            panels.Add(score);
            panels.Add(loss);
        }

        return panels;
    }

    private static PlotModel Panel(string title, string yTitle)
    {
        var model = FigureCanvas.Panel(title);
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "step", Minimum = 0 });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = yTitle });
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.RightMiddle, LegendBackground = OxyColor.FromAColor(220, OxyColors.White), LegendBorder = OxyColors.Gray, LegendFontSize = 10 });
        return model;
    }

    private static LineSeries Line(string title, OxyColor colour, IEnumerable<DataPoint> points)
    {
        var series = new LineSeries { Title = title, Color = colour, StrokeThickness = 1.5, MarkerType = MarkerType.Circle, MarkerFill = colour };
        series.Points.AddRange(points.Where(p => double.IsFinite(p.Y)));
        return series;
    }
}
