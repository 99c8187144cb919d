using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Leap.Data.RecordIo;

/// <summary>
/// Random access to an MXNet / InsightFace indexed RecordIO pair (train.rec + train.idx). The index is read at open;
/// each <see cref="Read"/> reads only the bytes of one record, so memory stays bounded by the largest record. Reads
/// are positional and may run concurrently from several threads.
/// </summary>
public sealed class RecordIoReader : IDisposable
{
    private readonly RecordIoFile _file;
    private readonly RecordIoReaderOptions _options;
    private readonly ILogger _logger;

    private RecordIoReader(RecordIoFile file, RecordIoIndex index, RecordIoReaderOptions options, ILogger logger)
    {
        _file = file;
        Index = index;
        _options = options;
        _logger = logger;
    }

    public string RecPath => _file.Path;
    public RecordIoIndex Index { get; }

    /// <summary>Keys skipped as corrupt by <see cref="TryRead"/> / <see cref="ReadAll"/> under <see cref="CorruptDataPolicy.Skip"/>.</summary>
    public SkippedItems<long> Skipped { get; } = new();

    /// <param name="recPath">The .rec file.</param>
    /// <param name="idxPath">The .idx file; null means <paramref name="recPath"/> with the extension .idx.</param>
    public static RecordIoReader Open(
        string recPath, string? idxPath = null, RecordIoReaderOptions? options = null, ILogger<RecordIoReader>? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(recPath);
        options ??= new RecordIoReaderOptions();
        options.Validate();
        RecordIoIndex index = RecordIoIndex.Read(idxPath ?? Path.ChangeExtension(recPath, ".idx"));
        var file = new RecordIoFile(recPath, options.MaxRecordBytes);
        return new RecordIoReader(file, index, options, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <summary>Reads record <paramref name="key"/>; a corrupt record always throws <see cref="InvalidDataException"/>.</summary>
    /// <exception cref="KeyNotFoundException">The index has no such key.</exception>
    public ImageRecord Read(long key)
    {
        long offset = Index.OffsetOf(key);
        byte[] payload = _file.ReadRecord(offset, key, out _);
        ImageRecordHeader header = ImageRecordHeader.TryParse(payload, out string? problem)
            ?? throw _file.Error(offset + RecordIoFormat.PartHeaderSize, $"record {key}: {problem}");
        return new ImageRecord(key, offset, header, payload[header.EncodedSize..]);
    }

    /// <summary>
    /// Reads only the header of record <paramref name="key"/> (its first 24 bytes and label array), not the image:
    /// a label scan over millions of records touches a few dozen bytes each. Corrupt data throws.
    /// </summary>
    public ImageRecordHeader ReadHeader(long key)
    {
        long offset = Index.OffsetOf(key);
        byte[]? prefix = _file.ReadWholeRecordPrefix(offset, key, ImageRecordHeader.FixedSize);
        if (prefix is null)
        {
            return Read(key).Header;
        }

        if (prefix.Length == ImageRecordHeader.FixedSize)
        {
            uint flag = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
            long wanted = ImageRecordHeader.FixedSize + (4L * flag);
            if (flag > 0 && wanted <= _options.MaxRecordBytes)
            {
                prefix = _file.ReadWholeRecordPrefix(offset, key, (int)wanted)!;
            }
        }

        return ImageRecordHeader.TryParse(prefix, out string? problem)
            ?? throw _file.Error(offset + RecordIoFormat.PartHeaderSize, $"record {key}: {problem}");
    }

    /// <summary>
    /// The class label (from each record's own header) of every image key, in <see cref="ImageKeys"/> order, reading
    /// headers only. The input of <see cref="Sampling.IdentityBatchSampler"/> and <see cref="LongTailSplitBuilder"/>.
    /// </summary>
    public int[] ReadImageLabels() => ImageKeys().Select(key => ReadHeader(key).ClassLabel()).ToArray();

    /// <summary>
    /// Reads record <paramref name="key"/> following <see cref="RecordIoReaderOptions.OnCorruptRecord"/>: under
    /// Throw a corrupt record throws; under Skip it is logged, added to <see cref="Skipped"/> and false is returned.
    /// </summary>
    public bool TryRead(long key, [NotNullWhen(true)] out ImageRecord? record)
    {
        if (_options.OnCorruptRecord == CorruptDataPolicy.Throw)
        {
            record = Read(key);
            return true;
        }

        try
        {
            record = Read(key);
            return true;
        }
        catch (InvalidDataException e)
        {
            Skipped.Add(key, e.Message);
            RecordIoLog.SkippedRecord(_logger, key, RecPath, Skipped.Count, e.Message);
            record = null;
            return false;
        }
    }

    /// <summary>Streams every record in index order (or just <paramref name="keys"/>), skipping corrupt ones per the policy.</summary>
    public IEnumerable<ImageRecord> ReadAll(IEnumerable<long>? keys = null)
    {
        foreach (long key in keys ?? Index.Keys)
        {
            if (TryRead(key, out ImageRecord? record))
            {
                yield return record;
            }
        }
    }

    /// <summary>
    /// The InsightFace header in record 0, or null when there is no key 0 or its flag is 0 (a plain .rec in which
    /// every record is an image). A record 0 whose labels are not a valid key range throws.
    /// </summary>
    public InsightFaceHeader? ReadInsightFaceHeader()
    {
        if (!Index.Contains(0))
        {
            return null;
        }

        ImageRecord zero = Read(0);
        if (zero.Header.Flag == 0)
        {
            return null;
        }

        IReadOnlyList<float> labels = zero.Header.Labels;
        if (labels.Count < 2 || !IsKey(labels[0]) || !IsKey(labels[1]) || labels[0] < 1 || labels[1] < labels[0])
        {
            throw _file.Error(zero.Offset,
                $"record 0 labels [{string.Join(", ", labels)}] are not an identity key range [start, end) with 1 <= start <= end");
        }

        return new InsightFaceHeader((int)labels[0], (int)labels[1]);
    }

    /// <summary>
    /// The image keys: 1..a-1 when record 0 is an InsightFace header, otherwise every key of the index in file order.
    /// </summary>
    public IReadOnlyList<long> ImageKeys() =>
        ReadInsightFaceHeader() is { } header ? header.ImageKeys().ToArray() : Index.Keys;

    /// <summary>The class ranges of an InsightFace .rec, one per identity record; empty for a plain .rec.</summary>
    public IReadOnlyList<IdentityKeyRange> ReadIdentityRanges()
    {
        if (ReadInsightFaceHeader() is not { } header)
        {
            return [];
        }

        var ranges = new List<IdentityKeyRange>(header.IdentityCount);
        foreach (long key in header.IdentityKeys())
        {
            ImageRecord identity = Read(key);
            IReadOnlyList<float> labels = identity.Header.Labels;
            if (labels.Count < 2 || !IsKey(labels[0]) || !IsKey(labels[1]) || labels[1] < labels[0])
            {
                throw _file.Error(identity.Offset,
                    $"identity record {key} labels [{string.Join(", ", labels)}] are not an image key range [start, end)");
            }

            ranges.Add(new IdentityKeyRange(ranges.Count, (long)labels[0], (long)labels[1]));
        }

        return ranges;
    }

    private static bool IsKey(float value) => value >= 0 && value == MathF.Floor(value) && value <= (1 << 24);

    public void Dispose() => _file.Dispose();
}
