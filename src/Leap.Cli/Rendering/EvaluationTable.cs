using System.Globalization;
using Leap.Training.Engine;
using Spectre.Console;

namespace Leap.Cli.Rendering;

/// <summary>Prints an <see cref="EvaluationSummary"/> as a table.</summary>
public static class EvaluationTable
{
    public static void Write(IAnsiConsole console, EvaluationSummary summary, string title)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(summary);
        var table = new Table().Title(title).AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        string P(double v) => double.IsNaN(v) ? "n/a" : v.ToString("P2", CultureInfo.InvariantCulture);
        table.AddRow("test images", summary.TestImages.ToString(CultureInfo.InvariantCulture));
        table.AddRow("closed-set accuracy (all samples)", P(summary.Classification.OverallAccuracy));
        table.AddRow("mean class accuracy, head classes", P(summary.Classification.HeadMeanClassAccuracy));
        table.AddRow("mean class accuracy, tail classes", P(summary.Classification.TailMeanClassAccuracy));
        var acc = summary.Verification.Accuracy;
        table.AddRow("verification 10-fold accuracy", $"{P(acc.Mean)} ± {P(acc.StandardDeviation)}");
        foreach (var point in summary.Verification.TprAtFpr)
        {
            table.AddRow($"TPR @ FPR={point.TargetFpr:0e0}", point.Tpr is double tpr ? P(tpr) : "n/a");
        }
        table.AddRow("angular spread, head classes (rad)", summary.AngularSpread.Head.ToString());
        table.AddRow("angular spread, tail classes (rad)", summary.AngularSpread.Tail.ToString());
        foreach (var (name, value) in summary.Sets ?? new Dictionary<string, double>())
        {
            table.AddRow(Markup.Escape(name), value.ToString("G5", CultureInfo.InvariantCulture));
        }
        console.Write(table);
    }
}
