using System.Globalization;
using Leap.Evaluation;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace Leap.Reporting;

/// <summary>
/// Paper Fig. 2/3: per run, the density of the angle between each training feature and its class centre, head vs tail
/// classes, on shared bins and axes so runs compare side by side.
/// </summary>
public static class AngleDistributionFigure
{
    public static readonly OxyColor HeadColour = OxyColor.FromRgb(31, 119, 180);
    public static readonly OxyColor TailColour = OxyColor.FromRgb(255, 127, 14);

    /// <summary>Head and tail histograms of every run over the same bins, [0, largest angle of any run].</summary>
    public static IReadOnlyList<(Histogram Head, Histogram Tail)> Histograms(IReadOnlyList<RunAnalysis> runs, int bins)
    {
        ArgumentNullException.ThrowIfNull(runs);
        double maximum = runs.SelectMany(r => r.HeadAngles.Concat(r.TailAngles)).DefaultIfEmpty(1).Max();
        maximum = maximum > 0 ? maximum * 1.0001 : 1;
        return runs.Select(r => (Histogram.Of(r.HeadAngles, 0, maximum, bins), Histogram.Of(r.TailAngles, 0, maximum, bins))).ToArray();
    }

    public static IReadOnlyList<PlotModel> Panels(IReadOnlyList<RunAnalysis> runs, IReadOnlyList<(Histogram Head, Histogram Tail)> histograms)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(histograms);
        double top = histograms.SelectMany(h => Enumerable.Range(0, h.Head.BinCount).SelectMany(b => new[] { h.Head.Density(b), h.Tail.Density(b) })).Max() * 1.1;
        var panels = new List<PlotModel>();
        for (int r = 0; r < runs.Count; r++)
        {
            var run = runs[r];
            var (head, tail) = histograms[r];
            var model = FigureCanvas.Panel(run.Label, string.Create(CultureInfo.InvariantCulture,
                $"step {run.Step}; mean angle head {Mean(run.HeadAngles):F3}, tail {Mean(run.TailAngles):F3} rad"));
            model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "angle between feature and class centre (rad)", Minimum = 0, Maximum = head.Maximum });
            model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "density", Minimum = 0, Maximum = top > 0 ? top : 1 });
            model.Series.Add(Series($"head classes ({head.Total} features)", head, HeadColour));
            model.Series.Add(Series($"tail classes ({tail.Total} features)", tail, TailColour));
            model.Legends.Add(new Legend { LegendPosition = LegendPosition.TopRight, LegendBackground = OxyColor.FromAColor(220, OxyColors.White), LegendBorder = OxyColors.Gray });
            panels.Add(model);
        }
        return panels;
    }

    private static HistogramSeries Series(string title, Histogram histogram, OxyColor colour)
    {
        var series = new HistogramSeries { Title = title, FillColor = OxyColor.FromAColor(110, colour), StrokeColor = colour, StrokeThickness = 1 };
        for (int b = 0; b < histogram.BinCount; b++)
        {
            double start = histogram.Minimum + (b * histogram.BinWidth);
            series.Items.Add(new HistogramItem(start, start + histogram.BinWidth, histogram.Density(b) * histogram.BinWidth, (int)histogram.Counts[b]));
        }
        return series;
    }

    private static double Mean(IReadOnlyList<double> values) => values.Count == 0 ? double.NaN : values.Average();
}
