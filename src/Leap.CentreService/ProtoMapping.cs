using Google.Protobuf;
using Leap.Contracts.V1;
using Leap.Core.Statistics;

namespace Leap.CentreService;

/// <summary>Conversions between the wire messages of centre.proto and the store's types.</summary>
public static class ProtoMapping
{
    public static CentreTrackerSettingsMessage ToMessage(this CentreTrackerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new CentreTrackerSettingsMessage
        {
            Variant = settings.Variant switch
            {
                LeapVariant.None => CentreLeapVariant.None,
                LeapVariant.Vanilla => CentreLeapVariant.Vanilla,
                LeapVariant.Full => CentreLeapVariant.Full,
                _ => CentreLeapVariant.Unspecified,
            },
            HeadThreshold = settings.HeadThreshold,
            CentreLearningRate = settings.CentreLearningRate,
            UpdateRule = settings.UpdateRule == CentreUpdateRule.PaperEquation4 ? CentreUpdateRuleKind.CentreUpdateRulePaperEquation4 : CentreUpdateRuleKind.CentreUpdateRuleCentreLoss,
            MemoryMultiplier = settings.MemoryMultiplier,
            RefreshInterval = settings.RefreshInterval,
        };
    }

    /// <summary>The settings of a message; an unspecified variant or rule maps to an undefined value the layout check reports.</summary>
    public static CentreTrackerSettings ToSettings(this CentreTrackerSettingsMessage? message)
    {
        message ??= new CentreTrackerSettingsMessage();
        var variant = message.Variant switch
        {
            CentreLeapVariant.None => LeapVariant.None,
            CentreLeapVariant.Vanilla => LeapVariant.Vanilla,
            CentreLeapVariant.Full => LeapVariant.Full,
            _ => (LeapVariant)(-1),
        };
        var rule = message.UpdateRule switch
        {
            CentreUpdateRuleKind.CentreUpdateRuleCentreLoss => CentreUpdateRule.CentreLoss,
            CentreUpdateRuleKind.CentreUpdateRulePaperEquation4 => CentreUpdateRule.PaperEquation4,
            _ => (CentreUpdateRule)(-1),
        };
        int interval = message.RefreshInterval == 0 ? 1 : message.RefreshInterval;
        return new CentreTrackerSettings(variant, message.HeadThreshold, message.CentreLearningRate, rule, interval, message.MemoryMultiplier);
    }

    public static InitialiseRequest ToRequest(this CentreLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var request = new InitialiseRequest { Dimension = layout.Dimension, Settings = layout.Settings.ToMessage() };
        request.SamplesPerClass.AddRange(layout.SamplesPerClass);
        return request;
    }

    public static CentreLayout ToLayout(this InitialiseRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new CentreLayout(request.SamplesPerClass, request.Dimension, request.Settings.ToSettings());
    }

    public static RawTensor ToRaw(this TensorBytes? tensor) => tensor is null
        ? new RawTensor([], "", ReadOnlyMemory<byte>.Empty)
        : new RawTensor(tensor.Shape.ToArray(), tensor.Dtype, tensor.Data.Memory);

    public static CentrePush ToPush(this PushRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new CentrePush(request.RequestId, request.Step, request.Features.ToRaw(), request.Labels.ToRaw());
    }

    public static SummaryReply ToReply(this CentreSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var reply = new SummaryReply
        {
            Initialised = summary.Layout is not null,
            ClassCount = summary.Layout?.ClassCount ?? 0,
            Dimension = summary.Layout?.Dimension ?? 0,
            HeadClasses = summary.HeadClasses,
            TailClasses = summary.TailClasses,
            CloudClasses = summary.CloudClasses,
            OverallVariance = summary.OverallVariance,
            Settings = summary.Layout?.Settings.ToMessage(),
            Head = ToMessage(summary.Head),
            Tail = ToMessage(summary.Tail),
            Pushes = summary.Pushes,
            LastStep = summary.LastStep,
            Version = summary.Version,
        };
        reply.HistogramEdges.AddRange(summary.HistogramEdges);
        reply.HistogramCounts.AddRange(summary.HistogramCounts);
        return reply;
    }

    public static SummaryOptions ToOptions(this SummaryRequest? request) => request is null
        ? new SummaryOptions()
        : new SummaryOptions(request.HistogramBins, request.HasHistogramMin ? request.HistogramMin : null, request.HasHistogramMax ? request.HistogramMax : null);

    private static VarianceStatistics ToMessage(VarianceSummary s) =>
        new() { Seen = s.Seen, Mean = s.Mean, Min = s.Min, Max = s.Max };

    internal static TensorBytes Float64(double[] values, params long[] shape)
    {
        var tensor = new TensorBytes { Dtype = "float64", Data = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Shape.AddRange(shape);
        return tensor;
    }
}
