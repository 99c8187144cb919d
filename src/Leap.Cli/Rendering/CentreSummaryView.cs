using Leap.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Rendering;
using static Leap.Cli.Rendering.CentreStatsFormat;

namespace Leap.Cli.Rendering;

/// <summary>A centre service's <see cref="SummaryReply"/> as a table (head/tail, sigma^2, variant, cloud classes) and a sigma_i^2 bar chart.</summary>
public static class CentreSummaryView
{
    public static IRenderable Build(SummaryReply summary, string service)
    {
        ArgumentNullException.ThrowIfNull(summary);
        string title = Markup.Escape($"centre service {service}");
        if (!summary.Initialised)
        {
            return new Markup($"[bold]{title}[/]: [yellow]not initialised[/] (no layout yet: set CentreService:SamplesPerClass or wait for a worker's Initialise).");
        }
        var settings = summary.Settings ?? new CentreTrackerSettingsMessage();
        var table = new Table().Title(title).AddColumn("statistic").AddColumn(new TableColumn("value").RightAligned());
        Row(table, "classes (C) / dimension (D)", $"{Count(summary.ClassCount)} / {Count(summary.Dimension)}");
        Row(table, $"head classes (K_i > T = {Count(settings.HeadThreshold)})", Count(summary.HeadClasses));
        Row(table, "tail classes", Count(summary.TailClasses));
        Row(table, "LEAP variant", settings.Variant.ToString());
        Row(table, "steps per push (refresh interval)", Count(Math.Max(settings.RefreshInterval, 1)));
        Row(table, "overall σ²", Number(summary.OverallVariance));
        Row(table, "cloud classes", Count(summary.CloudClasses));
        Row(table, "head σ_i²: seen, mean [min, max]", Group(summary.Head));
        Row(table, "tail σ_i²: seen, mean [min, max]", Group(summary.Tail));
        Row(table, "pushes / last step", $"{Count(summary.Pushes)} / {Count(summary.LastStep)}");
        return new Rows(table, Histogram(summary));
    }

    /// <summary>One bar per bin of sigma_i^2 over the classes seen so far.</summary>
    public static IRenderable Histogram(SummaryReply summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (summary.HistogramCounts.Count == 0 || summary.HistogramCounts.Sum() == 0)
        {
            return new Markup("[grey]σ_i² histogram: no class has angles in memory yet.[/]");
        }
        var chart = new BarChart().Label("σ_i² histogram (classes per bin)").Width(72);
        var edges = summary.HistogramEdges;
        for (int i = 0; i < summary.HistogramCounts.Count; i++)
        {
            string close = i == summary.HistogramCounts.Count - 1 ? "]" : ")";
            chart.AddItem(Markup.Escape($"[{Number(edges[i])}, {Number(edges[i + 1])}{close}"), summary.HistogramCounts[i], Color.SteelBlue);
        }
        return chart;
    }

    private static string Group(VarianceStatistics? group) => group is null || group.Seen == 0
        ? "0"
        : $"{Count(group.Seen)}, {Number(group.Mean)} [{Number(group.Min)}, {Number(group.Max)}]";

    private static void Row(Table table, string statistic, string value) => table.AddRow(Markup.Escape(statistic), Markup.Escape(value));
}
