using System.Globalization;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace Leap.Reporting;

/// <summary>Training curves from metrics.jsonl, every run overlaid: loss, learning rate, validation accuracy, cloud classes.</summary>
public static class TrainingCurvesFigure
{
    private static readonly OxyColor[] Palette =
    [
        OxyColor.FromRgb(31, 119, 180), OxyColor.FromRgb(214, 39, 40), OxyColor.FromRgb(44, 160, 44), OxyColor.FromRgb(148, 103, 189),
    ];

    public static IReadOnlyList<PlotModel> Panels(IReadOnlyList<RunAnalysis> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        int longest = runs.Select(r => r.Metrics.Train.Count).DefaultIfEmpty(0).Max();
        int window = Math.Max(1, longest / 50);
        var loss = Panel("training loss", string.Create(CultureInfo.InvariantCulture, $"moving average over {window} steps"), "loss");
        var rate = Panel("learning rate", null, "learning rate");
        var accuracy = Panel("validation", "solid: verification accuracy; dashed: tail-class accuracy", "accuracy");
        accuracy.Axes[1].Minimum = 0;
        accuracy.Axes[1].Maximum = 1.05;
        accuracy.Legends[0].LegendPosition = LegendPosition.RightMiddle;
        var cloud = Panel("LEAP feature cloud", null, "classes with a cloud");
        for (int r = 0; r < runs.Count; r++)
        {
            var run = runs[r];
            var colour = Palette[r % Palette.Length];
            var train = run.Metrics.Train;
            loss.Series.Add(Line(run.Label, colour, MovingAverage(train, window)));
            rate.Series.Add(Line(run.Label, colour, train.Select(p => new DataPoint(p.Step, p.LearningRate))));
            cloud.Series.Add(Line(run.Label, colour, train.Select(p => new DataPoint(p.Step, p.CloudClasses))));
            var validation = run.Metrics.Validation;
            var verification = Line($"{run.Label}: verification", colour, validation.Select(p => new DataPoint(p.Step, p.VerificationAccuracy)));
            verification.MarkerType = MarkerType.Circle;
            var tail = Line($"{run.Label}: tail classes", colour, validation.Select(p => new DataPoint(p.Step, p.TailClassAccuracy)));
            tail.MarkerType = MarkerType.Triangle;
            tail.LineStyle = LineStyle.Dash;
            accuracy.Series.Add(verification);
            accuracy.Series.Add(tail);
        }
        return [loss, rate, accuracy, cloud];
    }

    private static PlotModel Panel(string title, string? subtitle, string yTitle)
    {
        var model = FigureCanvas.Panel(title, subtitle);
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "step", Minimum = 0 });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = yTitle });
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.TopRight, LegendBackground = OxyColor.FromAColor(220, OxyColors.White), LegendBorder = OxyColors.Gray, LegendFontSize = 10 });
        return model;
    }

    private static LineSeries Line(string title, OxyColor colour, IEnumerable<DataPoint> points)
    {
        var series = new LineSeries { Title = title, Color = colour, StrokeThickness = 1.5, MarkerFill = colour };
        series.Points.AddRange(points.Where(p => double.IsFinite(p.Y)));
        return series;
    }

    private static IEnumerable<DataPoint> MovingAverage(IReadOnlyList<TrainPoint> points, int window)
    {
        double sum = 0;
        var finite = points.Where(p => double.IsFinite(p.Loss)).ToArray();
        for (int i = 0; i < finite.Length; i++)
        {
            sum += finite[i].Loss;
            if (i >= window)
            {
                sum -= finite[i - window].Loss;
            }
            yield return new DataPoint(finite[i].Step, sum / Math.Min(i + 1, window));
        }
    }
}
