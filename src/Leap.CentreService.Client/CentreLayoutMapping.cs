using Leap.Contracts.V1;
using Leap.Core.Statistics;

namespace Leap.CentreService;

/// <summary>Conversions between <see cref="CentreLayout"/> (and its tracker settings) and centre.proto's Initialise messages, used by both sides.</summary>
public static class CentreLayoutMapping
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
}
