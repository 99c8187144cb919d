using System.Globalization;
using Leap.Security;
using Microsoft.Extensions.Options;

namespace Leap.CentreService;

/// <summary>Reports every invalid <see cref="CentreServiceOptions"/> value at once, naming the key and the allowed range.</summary>
public sealed class CentreServiceOptionsValidator : IValidateOptions<CentreServiceOptions>
{
    public const int MaxPartitions = 4096;
    public const int MaxDedupeWindow = 10_000_000;
    public const int MaxHistogramBins = 4096;
    public const int MaxPushRowsLimit = 10_000_000;
    public const int MinReceiveMessageBytes = 1 << 20;
    public static readonly TimeSpan MinSnapshotInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxSnapshotInterval = TimeSpan.FromDays(1);
    public static readonly TimeSpan MaxWatchInterval = TimeSpan.FromHours(1);
    public const long MinSnapshotLogBytes = 1 << 20;
    public const long MinMaxStateBytes = 1 << 20;
    public const long MaxMaxStateBytes = 1L << 40;
    /// <summary>Recovery reads a segment into memory, so a segment stays well under 2 GiB.</summary>
    public const long MaxSnapshotLogBytes = 1L << 30;

    public ValidateOptionsResult Validate(string? name, CentreServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string s = CentreServiceOptions.SectionName;

        if (string.IsNullOrWhiteSpace(options.StateDirectory))
        {
            failures.Add($"{s}:StateDirectory must be a directory path (was empty).");
        }
        if (options.SamplesPerClass is null || options.SamplesPerClass.Length == 0)
        {
            if (options.Dimension != 0)
            {
                failures.Add($"{s}:Dimension must be 0 (layout from the Initialise RPC) unless {s}:SamplesPerClass is set (was {options.Dimension}).");
            }
        }
        else
        {
            var layout = options.Layout()!;
            failures.AddRange(layout.Problems($"{s}:"));
            if (layout.StateBytes > options.MaxStateBytes)
            {
                failures.Add($"{s}:SamplesPerClass/Dimension/MemoryMultiplier need {layout.StateBytes:0} bytes of state, more than {s}:MaxStateBytes = {options.MaxStateBytes}.");
            }
        }
        if (options.Partitions is < 1 or > MaxPartitions)
        {
            failures.Add($"{s}:Partitions must be between 1 and {MaxPartitions} (was {options.Partitions}).");
        }
        if (options.DedupeWindow is < 1 or > MaxDedupeWindow)
        {
            failures.Add($"{s}:DedupeWindow must be between 1 and {MaxDedupeWindow} (was {options.DedupeWindow}).");
        }
        if (options.SnapshotInterval < MinSnapshotInterval || options.SnapshotInterval > MaxSnapshotInterval)
        {
            failures.Add($"{s}:SnapshotInterval must be between {Format(MinSnapshotInterval)} and {Format(MaxSnapshotInterval)} (was {Format(options.SnapshotInterval)}).");
        }
        if (options.MaxStateBytes is < MinMaxStateBytes or > MaxMaxStateBytes)
        {
            failures.Add($"{s}:MaxStateBytes must be between {MinMaxStateBytes} and {MaxMaxStateBytes} (was {options.MaxStateBytes}).");
        }
        if (options.SnapshotLogBytes is < MinSnapshotLogBytes or > MaxSnapshotLogBytes)
        {
            failures.Add($"{s}:SnapshotLogBytes must be between {MinSnapshotLogBytes} and {MaxSnapshotLogBytes} (was {options.SnapshotLogBytes}).");
        }
        if (options.MinWatchInterval < TimeSpan.Zero || options.MinWatchInterval > MaxWatchInterval)
        {
            failures.Add($"{s}:MinWatchInterval must be between {Format(TimeSpan.Zero)} and {Format(MaxWatchInterval)} (was {Format(options.MinWatchInterval)}).");
        }
        if (options.HistogramBins is < 1 or > MaxHistogramBins)
        {
            failures.Add($"{s}:HistogramBins must be between 1 and {MaxHistogramBins} (was {options.HistogramBins}).");
        }
        if (options.MaxPushRows is < 1 or > MaxPushRowsLimit)
        {
            failures.Add($"{s}:MaxPushRows must be between 1 and {MaxPushRowsLimit} (was {options.MaxPushRows}).");
        }
        if (options.MaxReceiveMessageBytes < MinReceiveMessageBytes)
        {
            failures.Add($"{s}:MaxReceiveMessageBytes must be between {MinReceiveMessageBytes} and {int.MaxValue} (was {options.MaxReceiveMessageBytes}).");
        }
        failures.AddRange(KestrelConnectionLimits.Problems(s, options.MaxConnections, options.IdleConnectionTimeout));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
