using Grpc.Core;
using Leap.Contracts.V1;
using Microsoft.Extensions.Options;

namespace Leap.CentreService;

/// <summary>
/// The CentreService RPCs: message mapping only, every decision is the injected <see cref="ICentreStore"/>'s. Bound by
/// <see cref="Leap.Security.StrictRequestMethodProvider{TService}"/> (not derived from the generated base class) so a
/// request that does not parse answers INVALID_ARGUMENT.
/// </summary>
public sealed class CentreGrpcService(ICentreStore store, IOptions<CentreServiceOptions> options, TimeProvider time, CentreServiceMetrics metrics)
{
    public Task<InitialiseReply> Initialise(InitialiseRequest request, ServerCallContext context)
    {
        var result = store.Initialise(request.ToLayout());
        return Task.FromResult(new InitialiseReply { Created = result.Created, ClassCount = result.Layout.ClassCount, Dimension = result.Layout.Dimension });
    }

    public async Task<PushReply> Push(PushRequest request, ServerCallContext context)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await store.PushAsync(request.ToPush(), context.CancellationToken).ConfigureAwait(false);
        metrics.PushSeconds.Observe(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        metrics.Pushes.WithLabels(result.Duplicate ? "duplicate" : "applied").Inc();
        if (!result.Duplicate)
        {
            metrics.PushRows.Inc(result.Rows);
        }
        return new PushReply { Sequence = result.Sequence, Duplicate = result.Duplicate, Rows = result.Rows, ClassesUpdated = result.ClassesUpdated };
    }

    public Task<CloudStatisticsReply> GetCloudStatistics(CloudStatisticsRequest request, ServerCallContext context)
    {
        var view = store.GetCloudStatistics(request.ClassIds);
        metrics.StatisticsReads.Inc();
        var reply = new CloudStatisticsReply
        {
            OverallVariance = view.OverallVariance,
            Pushes = view.Pushes,
            LastStep = view.LastStep,
            CloudClassCount = view.CloudClassCount,
        };
        reply.ClassIds.AddRange(view.ClassIds);
        reply.ClassVariance.AddRange(view.ClassVariance);
        reply.AlphaStd.AddRange(view.AlphaStd);
        reply.AngleCount.AddRange(view.AngleCount);
        reply.SamplesPerClass.AddRange(view.SamplesPerClass);
        return Task.FromResult(reply);
    }

    public Task<ClassStatisticsReply> GetClassStatistics(ClassStatisticsRequest request, ServerCallContext context)
    {
        var report = store.GetClassStatistics(request.ClassIds);
        var reply = new ClassStatisticsReply { OverallVariance = report.OverallVariance };
        reply.Classes.AddRange(report.Classes.Select(c => new ClassStatistics
        {
            ClassId = c.ClassId,
            Samples = c.Samples,
            Head = c.Head,
            AngleCount = c.AngleCount,
            AngleCapacity = c.AngleCapacity,
            MeanAngle = c.MeanAngle,
            Variance = c.Variance,
            Cloud = c.Cloud,
            AlphaStd = c.AlphaStd,
            CentreInitialised = c.CentreInitialised,
        }));
        return Task.FromResult(reply);
    }

    public Task<SummaryReply> GetSummary(SummaryRequest request, ServerCallContext context) =>
        Task.FromResult(store.GetSummary(request.ToOptions()).ToReply());

    /// <summary>Sends the summary, waits for an update, then for the rest of the interval since the last send (updates coalesce).</summary>
    public async Task WatchSummary(WatchSummaryRequest request, IServerStreamWriter<SummaryReply> responseStream, ServerCallContext context)
    {
        var interval = TimeSpan.FromMilliseconds(Math.Max(0, request.MinIntervalMs));
        if (interval < options.Value.MinWatchInterval)
        {
            interval = options.Value.MinWatchInterval;
        }
        var summaryOptions = request.Summary.ToOptions();
        var cancellation = context.CancellationToken;
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                long sentAt = time.GetTimestamp();
                var summary = store.GetSummary(summaryOptions);
                await responseStream.WriteAsync(summary.ToReply(), cancellation).ConfigureAwait(false);
                await store.WaitForChangeAsync(summary.Version, cancellation).ConfigureAwait(false);
                var remaining = interval - time.GetElapsedTime(sentAt);
                if (remaining > TimeSpan.Zero)
                {
                    await Task.Delay(remaining, time, cancellation).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
    }

    public Task<CentresReply> GetCentres(CentresRequest request, ServerCallContext context)
    {
        var view = store.GetCentres(request.ClassIds);
        var reply = new CentresReply { Centres = ProtoMapping.Float64(view.Values, view.ClassIds.Length, view.Dimension) };
        reply.ClassIds.AddRange(view.ClassIds);
        reply.Initialised.AddRange(view.Initialised);
        return Task.FromResult(reply);
    }
}
