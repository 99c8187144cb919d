using Leap.Evaluation;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace Leap.Reporting;

/// <summary>A verification ROC curve (TPR against FPR, FPR on a log axis from 1e-4) as a PNG, for <c>leap verify</c>.</summary>
public static class RocFigure
{
    public static void Save(string path, IReadOnlyList<RocPoint> roc, string title, string subtitle)
    {
        ArgumentNullException.ThrowIfNull(roc);
        var panel = FigureCanvas.Panel(title, subtitle);
        panel.Axes.Add(new LogarithmicAxis { Position = AxisPosition.Bottom, Title = "false positive rate", Minimum = 1e-4, Maximum = 1, MajorGridlineStyle = LineStyle.Dot });
        panel.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "true positive rate", Minimum = 0, Maximum = 1.02, MajorGridlineStyle = LineStyle.Dot });
        var curve = new LineSeries { Title = "ROC", Color = OxyColor.FromRgb(31, 119, 180), StrokeThickness = 2 };
        // Points at FPR 0 have no place on a log axis; the curve starts at the first positive FPR.
        curve.Points.AddRange(roc.Where(p => p.FalsePositiveRate > 0).Select(p => new DataPoint(p.FalsePositiveRate, p.TruePositiveRate)));
        panel.Series.Add(curve);
        panel.Legends.Add(new Legend { LegendPosition = LegendPosition.RightBottom });
        FigureCanvas.SavePng(path, [panel], columns: 1);
    }
}
