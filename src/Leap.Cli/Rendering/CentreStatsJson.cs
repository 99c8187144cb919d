using System.Text.Json;
using Leap.Contracts.V1;

namespace Leap.Cli.Rendering;

/// <summary>`leap stats --json`: the summary or the per-class statistics as JSON (camelCase; NaN, i.e. "not seen yet", as null).</summary>
public static class CentreStatsJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    private static readonly JsonSerializerOptions OneLine = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Indented for one-off output, one line per document for <c>--watch</c>.</summary>
    public static string Summary(SummaryReply summary, string service, bool indented)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var settings = summary.Settings;
        var document = new SummaryDocument(
            service, summary.Initialised, summary.ClassCount, summary.Dimension, settings?.Variant.ToString(), settings?.HeadThreshold,
            summary.HeadClasses, summary.TailClasses, summary.CloudClasses, Finite(summary.OverallVariance),
            Group(summary.Head), Group(summary.Tail),
            new HistogramDocument(summary.HistogramEdges.ToArray(), summary.HistogramCounts.ToArray()),
            summary.Pushes, summary.LastStep, summary.Version);
        return JsonSerializer.Serialize(document, indented ? Indented : OneLine);
    }

    public static string Classes(ClassStatisticsReply reply, string service, bool indented)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var document = new ClassesDocument(service, Finite(reply.OverallVariance), reply.Classes.Select(c => new ClassDocument(
            c.ClassId, c.Samples, c.Head, c.AngleCount, c.AngleCapacity, Finite(c.MeanAngle), Finite(c.Variance), c.Cloud,
            Finite(c.AlphaStd), c.CentreInitialised)).ToArray());
        return JsonSerializer.Serialize(document, indented ? Indented : OneLine);
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static GroupDocument Group(VarianceStatistics? group) =>
        new(group?.Seen ?? 0, Finite(group?.Mean ?? double.NaN), Finite(group?.Min ?? double.NaN), Finite(group?.Max ?? double.NaN));

    private sealed record SummaryDocument(
        string Service, bool Initialised, int ClassCount, int Dimension, string? Variant, int? HeadThreshold, int HeadClasses,
        int TailClasses, int CloudClasses, double? OverallVariance, GroupDocument Head, GroupDocument Tail, HistogramDocument Histogram,
        long Pushes, long LastStep, long Version);

    private sealed record GroupDocument(int Seen, double? Mean, double? Min, double? Max);

    private sealed record HistogramDocument(double[] Edges, long[] Counts);

    private sealed record ClassesDocument(string Service, double? OverallVariance, ClassDocument[] Classes);

    private sealed record ClassDocument(
        int ClassId, int Samples, bool Head, int AngleCount, int AngleCapacity, double? MeanAngle, double? Variance, bool Cloud,
        double? AlphaStd, bool CentreInitialised);
}
