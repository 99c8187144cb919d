using System.Globalization;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace Leap.Reporting;

/// <summary>Paper Fig. 1: t-SNE of a few head classes (circles) and tail classes (triangles), one panel per run.</summary>
public static class TsneFigure
{
    private static readonly OxyColor[] Palette =
    [
        OxyColor.FromRgb(31, 119, 180), OxyColor.FromRgb(44, 160, 44), OxyColor.FromRgb(148, 103, 189),
        OxyColor.FromRgb(255, 127, 14), OxyColor.FromRgb(214, 39, 40), OxyColor.FromRgb(140, 86, 75),
        OxyColor.FromRgb(227, 119, 194), OxyColor.FromRgb(127, 127, 127), OxyColor.FromRgb(188, 189, 34), OxyColor.FromRgb(23, 190, 207),
    ];

    public static IReadOnlyList<PlotModel> Panels(IReadOnlyList<RunAnalysis> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var panels = new List<PlotModel>();
        foreach (var run in runs)
        {
            var layout = run.Tsne;
            var model = FigureCanvas.Panel(run.Label, string.Create(CultureInfo.InvariantCulture,
                $"t-SNE of {layout.Points.Count} training features; 2-D 10-NN class purity {layout.Purity:F2}"));
            model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "t-SNE 1" });
            model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "t-SNE 2" });
            var classes = layout.ClassIds.Distinct().OrderBy(c => layout.HeadClasses.Contains(c) ? 0 : 1).ThenBy(c => c).ToArray();
            for (int k = 0; k < classes.Length; k++)
            {
                int c = classes[k];
                bool head = layout.HeadClasses.Contains(c);
                var series = new ScatterSeries
                {
                    Title = string.Create(CultureInfo.InvariantCulture, $"{(head ? "head" : "tail")} class {c}"),
                    MarkerType = head ? MarkerType.Circle : MarkerType.Triangle,
                    MarkerSize = head ? 3 : 5,
                    MarkerFill = Palette[k % Palette.Length],
                    MarkerStroke = head ? OxyColors.Undefined : OxyColors.Black,
                    MarkerStrokeThickness = head ? 0 : 0.6,
                };
                for (int i = 0; i < layout.Points.Count; i++)
                {
                    if (layout.ClassIds[i] == c)
                    {
                        series.Points.Add(new ScatterPoint(layout.Points[i][0], layout.Points[i][1]));
                    }
                }
                model.Series.Add(series);
            }
            model.Legends.Add(new Legend { LegendPosition = LegendPosition.RightTop, LegendPlacement = LegendPlacement.Outside, LegendBorder = OxyColors.Gray });
            panels.Add(model);
        }
        return panels;
    }
}
