using System.Globalization;
using System.Text;

namespace Leap.Evaluation;

/// <summary>Plain-text rendering of a <see cref="VerificationReport"/>; unavailable TPR@FPR entries print as "n/a".</summary>
public static class VerificationReportFormatter
{
    public static string Format(VerificationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        CultureInfo inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        KFoldAccuracy acc = report.Accuracy;
        text.AppendLine(inv, $"{acc.FoldAccuracies.Length}-fold accuracy: {acc.Mean * 100:F2}% ± {acc.StandardDeviation * 100:F2}% (mean threshold {acc.MeanThreshold:F4})");
        text.AppendLine(inv, $"AUC: {report.Auc:F4}");
        foreach (TprAtFpr entry in report.TprAtFpr)
        {
            string value = entry.Tpr is { } tpr ? (tpr * 100).ToString("F2", inv) + "%" : "n/a";
            text.AppendLine(inv, $"TPR@FPR={entry.TargetFpr.ToString("0.#####E+0", inv)}: {value}");
        }

        return text.ToString();
    }
}
