using System.Globalization;
using System.Text.RegularExpressions;
using Leap.Security;
using Microsoft.Extensions.Options;

namespace Leap.Coordinator;

/// <summary>Reports every invalid <see cref="CoordinatorOptions"/> value at once, naming the key and the allowed range.</summary>
public sealed partial class CoordinatorOptionsValidator : IValidateOptions<CoordinatorOptions>
{
    public const int MaxWorldSize = 4096;
    public const int MaxGlobalBatchSize = 1 << 24;
    public static readonly TimeSpan MinHeartbeatDeadline = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxHeartbeatDeadline = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinHeartbeatInterval = TimeSpan.FromMilliseconds(100);

    public ValidateOptionsResult Validate(string? name, CoordinatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string s = CoordinatorOptions.SectionName;

        if (!JobIdPattern().IsMatch(options.JobId ?? ""))
        {
            failures.Add($"{s}:JobId must be 1 to 64 characters from [A-Za-z0-9._-] (was '{options.JobId}').");
        }
        if (options.WorldSize is < 1 or > MaxWorldSize)
        {
            failures.Add($"{s}:WorldSize must be between 1 and {MaxWorldSize} (was {options.WorldSize}).");
        }
        if (options.GlobalBatchSize is < 1 or > MaxGlobalBatchSize)
        {
            failures.Add($"{s}:GlobalBatchSize must be between 1 and {MaxGlobalBatchSize} (was {options.GlobalBatchSize}).");
        }
        else if (options.WorldSize >= 1 && options.GlobalBatchSize % options.WorldSize != 0)
        {
            failures.Add($"{s}:GlobalBatchSize must be a multiple of {s}:WorldSize {options.WorldSize} (was {options.GlobalBatchSize}).");
        }
        long minSamples = Math.Max(1, options.GlobalBatchSize);
        if (options.SampleCount < minSamples || options.SampleCount > int.MaxValue)
        {
            failures.Add($"{s}:SampleCount must be between {s}:GlobalBatchSize {minSamples} and {int.MaxValue} (was {options.SampleCount}).");
        }
        if (options.HeartbeatDeadline < MinHeartbeatDeadline || options.HeartbeatDeadline > MaxHeartbeatDeadline)
        {
            failures.Add($"{s}:HeartbeatDeadline must be between {Format(MinHeartbeatDeadline)} and {Format(MaxHeartbeatDeadline)} (was {Format(options.HeartbeatDeadline)}).");
        }
        var maxInterval = options.HeartbeatDeadline / 2;
        if (options.HeartbeatInterval < MinHeartbeatInterval || options.HeartbeatInterval > maxInterval)
        {
            failures.Add($"{s}:HeartbeatInterval must be between {Format(MinHeartbeatInterval)} and half of {s}:HeartbeatDeadline, {Format(maxInterval)} (was {Format(options.HeartbeatInterval)}).");
        }
        if (string.IsNullOrWhiteSpace(options.StateDirectory))
        {
            failures.Add($"{s}:StateDirectory must be a directory path (was empty).");
        }
        failures.AddRange(KestrelConnectionLimits.Problems(s, options.MaxConnections, options.IdleConnectionTimeout));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex JobIdPattern();
}
