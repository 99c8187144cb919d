using System.Runtime.ExceptionServices;
using Leap.Data.Transforms;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leap.Data.Sources;

/// <summary>
/// Prepares the samples of one batch into one contiguous float buffer on a bounded number of threads; the result does
/// not depend on the thread count. A corrupt sample follows <see cref="CorruptDataPolicy"/>: Throw (default) fails
/// naming the file; Skip logs and counts it and puts a substitute in its row (the caller's choice, e.g. the next sample
/// of the same class), so the batch keeps its size and every rank still sees the same global batch.
/// </summary>
public sealed partial class BatchDecoder
{
    /// <summary>Substitutes tried for one corrupt sample before giving up.</summary>
    public const int MaxSubstitutes = 16;

    private readonly SamplePreprocessor _preprocessor;
    private readonly ParallelOptions _parallel;
    private readonly CorruptDataPolicy _policy;
    private readonly ILogger _logger;

    public BatchDecoder(SamplePreprocessor preprocessor, int threads, CorruptDataPolicy policy = CorruptDataPolicy.Throw, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(preprocessor);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _preprocessor = preprocessor;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        _policy = policy;
        _logger = logger ?? NullLogger.Instance;
    }

    public SamplePreprocessor Preprocessor => _preprocessor;

    /// <summary>Samples skipped as corrupt (under <see cref="CorruptDataPolicy.Skip"/>), by location.</summary>
    public SkippedItems<string> Skipped { get; } = new();

    /// <summary>
    /// Prepares <paramref name="indices"/> (source sample ids) into rows of <paramref name="destination"/>; returns the
    /// sample id each row really holds (differs from the request only for a substituted corrupt sample).
    /// </summary>
    /// <param name="substitute">Under Skip: the sample to try instead of a corrupt one; null means no substitute (then a corrupt sample throws).</param>
    /// <param name="augmentation">
    /// The training step's per-sample augmentation (null = none), keyed by the sample id each row really holds, so a row's
    /// bytes depend only on (seed, step, sample), not on the thread count or the row's position.
    /// </param>
    /// <exception cref="InvalidDataException">A sample is corrupt and is not substituted (Throw, no substitute, or every substitute corrupt); names the file.</exception>
    public int[] Decode(IReadOnlyList<int> indices, float[] destination, Func<int, int>? substitute = null, StepAugmentation? augmentation = null)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(destination);
        int row = _preprocessor.RowSize;
        if (destination.LongLength < (long)indices.Count * row)
        {
            throw new ArgumentException($"{destination.Length} floats cannot hold {indices.Count} rows of {row}.", nameof(destination));
        }

        var used = new int[indices.Count];
        try
        {
            Parallel.For(0, indices.Count, _parallel, i => used[i] = DecodeOne(indices[i], destination.AsSpan(i * row, row), substitute, augmentation));
        }
        catch (AggregateException e)
        {
            // Rethrow a failed sample's own exception (the InvalidDataException naming its file), not Parallel's wrapper.
            ExceptionDispatchInfo.Throw(e.Flatten().InnerExceptions[0]);
        }

        return used;
    }

    private int DecodeOne(int index, Span<float> destination, Func<int, int>? substitute, StepAugmentation? augmentation)
    {
        int current = index;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                _preprocessor.Prepare(current, destination, augmentation);
                return current;
            }
            catch (InvalidDataException e) when (_policy == CorruptDataPolicy.Skip && substitute is not null && attempt < MaxSubstitutes)
            {
                string where = _preprocessor.Source.Locate(current);
                Skipped.Add(where, e.Message);
                current = substitute(current);
                SkippedSample(_logger, where, _preprocessor.Source.Locate(current), Skipped.Count, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped corrupt sample {Sample} (substitute {Substitute}; {Count} skipped so far): {Reason}")]
    private static partial void SkippedSample(ILogger logger, string sample, string substitute, int count, string reason);
}
