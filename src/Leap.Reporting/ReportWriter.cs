using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leap.Reporting;

/// <summary>
/// Writes the figures of <c>leap report</c> into a folder — angles.png (Fig. 2/3), tsne.png (Fig. 1), curves.png — and
/// report.json with the numbers behind them (histogram counts per run and group, mean angles, t-SNE purity).
/// </summary>
public static class ReportWriter
{
    public const string AnglesFile = "angles.png";
    public const string TsneFile = "tsne.png";
    public const string CurvesFile = "curves.png";
    public const string JsonFile = "report.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<RunAnalysis> runs, int bins)
    {
        ArgumentNullException.ThrowIfNull(runs);
        Directory.CreateDirectory(directory);
        var histograms = AngleDistributionFigure.Histograms(runs, bins);
        string angles = Path.Combine(directory, AnglesFile);
        string tsne = Path.Combine(directory, TsneFile);
        string curves = Path.Combine(directory, CurvesFile);
        string json = Path.Combine(directory, JsonFile);
        FigureCanvas.SavePng(angles, AngleDistributionFigure.Panels(runs, histograms), columns: runs.Count);
        FigureCanvas.SavePng(tsne, TsneFigure.Panels(runs), columns: runs.Count, panelWidth: 640, panelHeight: 480);
        FigureCanvas.SavePng(curves, TrainingCurvesFigure.Panels(runs), columns: 2);
        var report = runs.Select((run, r) => new
        {
            run.Label,
            Directory = Path.GetRelativePath(Environment.CurrentDirectory, run.Directory),
            run.Step,
            run.FeatureCount,
            HeadFeatures = run.HeadAngles.Count,
            TailFeatures = run.TailAngles.Count,
            HeadMeanAngle = run.HeadAngles.Count == 0 ? double.NaN : run.HeadAngles.Average(),
            TailMeanAngle = run.TailAngles.Count == 0 ? double.NaN : run.TailAngles.Average(),
            AngleHistogram = new
            {
                histograms[r].Head.Minimum,
                histograms[r].Head.Maximum,
                HeadCounts = histograms[r].Head.Counts,
                TailCounts = histograms[r].Tail.Counts,
            },
            Tsne = new { PointCount = run.Tsne.Points.Count, ClassIds = run.Tsne.ClassIds.Distinct().Order(), run.Tsne.Purity },
            MetricsSteps = run.Metrics.Train.Count,
            ValidationPoints = run.Metrics.Validation.Count,
        });
        File.WriteAllText(json, JsonSerializer.Serialize(new { Runs = report, Figures = new[] { AnglesFile, TsneFile, CurvesFile } }, Json));
        return [angles, tsne, curves, json];
    }
}
