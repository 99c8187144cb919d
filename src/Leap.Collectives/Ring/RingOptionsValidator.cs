using Microsoft.Extensions.Options;

namespace Leap.Collectives.Ring;

/// <summary>Checks <see cref="RingOptions"/>, naming each bad key (e.g. "Ring:Addresses:2").</summary>
public sealed class RingOptionsValidator : IValidateOptions<RingOptions>
{
    public ValidateOptionsResult Validate(string? name, RingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Failures(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every failure.</summary>
    public static void ThrowIfInvalid(RingOptions options)
    {
        var result = new RingOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(RingOptions.SectionName, typeof(RingOptions), result.Failures);
        }
    }

    private static IEnumerable<string> Failures(RingOptions o)
    {
        const string S = RingOptions.SectionName;
        if (o.Addresses is null || o.Addresses.Count == 0)
        {
            yield return $"{S}:{nameof(o.Addresses)} must list the host:port of every rank (at least one).";
            yield break;
        }

        for (var r = 0; r < o.Addresses.Count; r++)
        {
            if (!RingAddress.TryParse(o.Addresses[r], out _, out var why))
            {
                yield return $"{S}:{nameof(o.Addresses)}:{r} = '{o.Addresses[r]}' is not host:port ({why}).";
            }
        }

        var duplicates = o.Addresses.GroupBy(a => a, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key);
        foreach (var duplicate in duplicates)
        {
            yield return $"{S}:{nameof(o.Addresses)} lists '{duplicate}' more than once; every rank needs its own port.";
        }

        if (o.Rank < 0 || o.Rank >= o.Addresses.Count)
        {
            yield return $"{S}:{nameof(o.Rank)} = {o.Rank} must be in [0, {o.Addresses.Count}) (one rank per address).";
        }

        if (o.ChunkBytes < RingOptions.MinChunkBytes || o.ChunkBytes > RingOptions.MaxChunkBytes)
        {
            yield return $"{S}:{nameof(o.ChunkBytes)} = {o.ChunkBytes} must be in [{RingOptions.MinChunkBytes}, {RingOptions.MaxChunkBytes}].";
        }

        if (o.SmallAllReduceBytes < 0 || o.SmallAllReduceBytes > RingOptions.MaxSmallAllReduceBytes)
        {
            yield return $"{S}:{nameof(o.SmallAllReduceBytes)} = {o.SmallAllReduceBytes} must be in [0, {RingOptions.MaxSmallAllReduceBytes}] (0 = always reduce-scatter + all-gather).";
        }

        foreach (var (key, value) in new[]
                 {
                     (nameof(o.ConnectTimeout), o.ConnectTimeout),
                     (nameof(o.ExchangeTimeout), o.ExchangeTimeout),
                     (nameof(o.HandshakeTimeout), o.HandshakeTimeout),
                     (nameof(o.KeepAliveInterval), o.KeepAliveInterval),
                 })
        {
            if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(1))
            {
                yield return $"{S}:{key} = {value} must be positive and at most a day.";
            }
        }
    }
}
