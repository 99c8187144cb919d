using Leap.CentreService.Client;
using Leap.Contracts.V1;
using Spectre.Console.Rendering;

namespace Leap.Cli.Rendering;

/// <summary>What one `leap stats` screen shows: a summary, or the summary's moment plus the statistics of some classes.</summary>
public sealed record CentreStats(SummaryReply Summary, ClassStatisticsReply? Classes);

/// <summary>What `leap stats` asks the centre service for (the summary, or the given classes) and how it prints the answer.</summary>
public sealed class CentreStatsQuery(CentreServiceClient client, string service, IReadOnlyList<int> classIds, int histogramBins)
{
    public SummaryRequest SummaryRequest => new() { HistogramBins = histogramBins };

    /// <summary>The statistics now, or at <paramref name="summary"/> when the summary is already known (a watch update).</summary>
    public async Task<CentreStats> FetchAsync(SummaryReply? summary, CancellationToken cancellationToken)
    {
        summary ??= await client.GetSummaryAsync(SummaryRequest, cancellationToken).ConfigureAwait(false);
        var classes = classIds.Count == 0 ? null : await client.GetClassStatisticsAsync(classIds, cancellationToken).ConfigureAwait(false);
        return new CentreStats(summary, classes);
    }

    public string Json(CentreStats stats, bool indented)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return stats.Classes is { } classes
            ? CentreStatsJson.Classes(classes, service, indented)
            : CentreStatsJson.Summary(stats.Summary, service, indented);
    }

    public IRenderable Render(CentreStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return stats.Classes is { } classes ? ClassStatisticsTable.Build(classes, service) : CentreSummaryView.Build(stats.Summary, service);
    }
}
