using Grpc.Core;
using Leap.CentreService.Client;
using Leap.Contracts.V1;
using Spectre.Console;

namespace Leap.Cli.Rendering;

/// <summary>
/// `leap stats --watch`: subscribes to WatchSummary and redraws a live table (or prints one JSON document per line)
/// for every new summary version, until the token is cancelled (Ctrl-C) or the service ends the stream.
/// </summary>
public static class CentreStatsWatch
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Returns only when the service stopped answering after the first summary was shown (it ended the stream, or the
    /// connection broke: UNAVAILABLE/INTERNAL), with why; cancellation and a failure of the first query surface as exceptions.
    /// </summary>
    public static async Task<string> RunAsync(CentreServiceClient client, CentreStatsQuery query, bool json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(query);
        // A unary query first: it has a deadline, so an unreachable service fails fast (the stream has none).
        var first = await query.FetchAsync(null, cancellationToken).ConfigureAwait(false);
        using var call = client.Raw.WatchSummary(
            new WatchSummaryRequest { Summary = query.SummaryRequest, MinIntervalMs = (int)MinInterval.TotalMilliseconds },
            cancellationToken: cancellationToken);
        var updates = NewerThan(first.Summary.Version, call.ResponseStream.ReadAllAsync(cancellationToken));
        try
        {
            await ShowAsync(first, updates, query, json, cancellationToken).ConfigureAwait(false);
            return "it ended the watch";
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested && e.StatusCode is StatusCode.Unavailable or StatusCode.Internal)
        {
            return e.Status.DebugException?.Message ?? e.Status.Detail; // the transport's reason, without gRPC's exception type prefix
        }
    }

    private static async Task ShowAsync(CentreStats first, IAsyncEnumerable<SummaryReply> updates, CentreStatsQuery query, bool json,
        CancellationToken cancellationToken)
    {
        if (json)
        {
            Console.Out.WriteLine(query.Json(first, indented: false));
            Console.Out.Flush();
            await foreach (var summary in updates.ConfigureAwait(false))
            {
                Console.Out.WriteLine(query.Json(await query.FetchAsync(summary, cancellationToken).ConfigureAwait(false), indented: false));
                Console.Out.Flush();
            }
            return;
        }
        await AnsiConsole.Live(query.Render(first)).StartAsync(async live =>
        {
            live.Refresh(); // Live draws only on Refresh
            await foreach (var summary in updates.ConfigureAwait(false))
            {
                live.UpdateTarget(query.Render(await query.FetchAsync(summary, cancellationToken).ConfigureAwait(false)));
                live.Refresh();
            }
        }).ConfigureAwait(false);
    }

    /// <summary>Skips summaries already shown (the stream starts with the current one, which the first query showed).</summary>
    private static async IAsyncEnumerable<SummaryReply> NewerThan(long version, IAsyncEnumerable<SummaryReply> summaries)
    {
        await foreach (var summary in summaries.ConfigureAwait(false))
        {
            if (summary.Version > version)
            {
                version = summary.Version;
                yield return summary;
            }
        }
    }
}
