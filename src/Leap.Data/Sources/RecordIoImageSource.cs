using Leap.Data.Images;
using Leap.Data.RecordIo;

namespace Leap.Data.Sources;

/// <summary>
/// An InsightFace / MXNet indexed RecordIO pair (<c>train.rec</c> + <c>train.idx</c>) as an image source. Labels come
/// from the identity records of an InsightFace header (one read per class, not per image) or, for a plain .rec, from
/// each record's header (a few dozen bytes per record); plain labels are renumbered 0..C-1 in ascending order. In
/// memory: the .idx (16 bytes per record) and one label per image. Each <see cref="Load"/> reads one record by its
/// offset and checks that its own header agrees with the index's label.
/// </summary>
public sealed class RecordIoImageSource : IImageSource
{
    private readonly RecordIoReader _reader;
    private readonly ImageDecoder _decoder;
    /// <summary>The key of each sample; null for an InsightFace .rec, whose image keys are 1..N (key = sample + 1).</summary>
    private readonly long[]? _keys;
    private readonly int[] _labels;
    private readonly Dictionary<int, int>? _renumbered;

    private RecordIoImageSource(RecordIoReader reader, ImageDecoder decoder, long[]? keys, int[] labels, int classCount, Dictionary<int, int>? renumbered)
    {
        _reader = reader;
        _decoder = decoder;
        _keys = keys;
        _labels = labels;
        _renumbered = renumbered;
        ClassCount = classCount;
        Description = $"{reader.RecPath}: {labels.Length} images of {classCount} classes";
    }

    /// <param name="recPath">The .rec; its .idx is the same path with the extension .idx.</param>
    /// <exception cref="FileNotFoundException">The .rec or .idx is missing.</exception>
    /// <exception cref="InvalidDataException">The index or header is corrupt, or the identity records disagree with the image keys.</exception>
    public static RecordIoImageSource Open(string recPath, ImageDecoder decoder, RecordIoReaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(recPath);
        ArgumentNullException.ThrowIfNull(decoder);
        if (!File.Exists(recPath))
        {
            throw new FileNotFoundException($"RecordIO file '{recPath}' does not exist (Data:Path). {DataLayoutHint.For(recPath)}", recPath);
        }

        string idx = Path.ChangeExtension(recPath, ".idx");
        if (!File.Exists(idx))
        {
            throw new FileNotFoundException($"RecordIO index '{idx}' (beside '{recPath}') does not exist; `leap pack` writes both.", idx);
        }

        var reader = RecordIoReader.Open(recPath, idx, options);
        try
        {
            return reader.ReadInsightFaceHeader() is { } header ? FromIdentityRecords(reader, idx, decoder, header) : FromRecordHeaders(reader, decoder);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    private static RecordIoImageSource FromIdentityRecords(RecordIoReader reader, string idx, ImageDecoder decoder, InsightFaceHeader header)
    {
        foreach (long key in header.ImageKeys().Concat(header.IdentityKeys()))
        {
            if (!reader.Index.Contains(key))
            {
                throw new InvalidDataException(
                    $"{reader.RecPath}: the header announces record key {key} but the index '{idx}' has no such key; " +
                    "the .idx is truncated or does not belong to this .rec.");
            }
        }

        int images = header.ImageCount;
        var labels = new int[images];
        Array.Fill(labels, -1);
        foreach (IdentityKeyRange range in reader.ReadIdentityRanges())
        {
            for (long key = range.Start; key < range.End; key++)
            {
                if (key < 1 || key > images || labels[key - 1] >= 0)
                {
                    throw new InvalidDataException(
                        $"{reader.RecPath}: identity record of class {range.ClassId} claims image key {key}, which is " +
                        (key < 1 || key > images ? $"outside the header's image keys 1..{images}" : "already claimed by another class") + ".");
                }

                labels[key - 1] = range.ClassId;
            }
        }

        int orphan = Array.IndexOf(labels, -1);
        if (orphan >= 0)
        {
            throw new InvalidDataException($"{reader.RecPath}: image key {orphan + 1} belongs to no identity record of the header.");
        }

        return new RecordIoImageSource(reader, decoder, null, labels, header.IdentityCount, null);
    }

    private static RecordIoImageSource FromRecordHeaders(RecordIoReader reader, ImageDecoder decoder)
    {
        long[] keys = reader.Index.Keys.ToArray();
        int[] raw = keys.Select(key => ClassLabel(reader.ReadHeader(key), $"{reader.RecPath}#{key}")).ToArray();
        var renumbered = raw.Distinct().Order().Select((label, id) => (label, id)).ToDictionary(x => x.label, x => x.id);
        return new RecordIoImageSource(reader, decoder, keys, raw.Select(l => renumbered[l]).ToArray(), renumbered.Count, renumbered);
    }

    public string Description { get; }
    public int Count => _labels.Length;
    public int ClassCount { get; }
    public IReadOnlyList<int> Labels => _labels;
    public string RecPath => _reader.RecPath;

    public string Locate(int index) => $"{_reader.RecPath}#{KeyOf(index)}";

    private long KeyOf(int index) => _keys is null ? index + 1L : _keys[index];

    public ImageBuffer Load(int index)
    {
        long key = KeyOf(index);
        ImageRecord record = _reader.Read(key);
        int label = ClassLabel(record.Header, Locate(index));
        int expected = _renumbered is null ? label : _renumbered.GetValueOrDefault(label, -1);
        if (expected != _labels[index])
        {
            throw new InvalidDataException(
                $"{Locate(index)}: the record's label {label} disagrees with the index, which puts it in class {_labels[index]}; " +
                "the .rec was modified after it was indexed or packed inconsistently.");
        }

        return _decoder.Decode(record.Image, Locate(index));
    }

    /// <summary>The record's class label; an invalid one (negative, fractional) throws naming <paramref name="where"/>.</summary>
    private static int ClassLabel(ImageRecordHeader header, string where)
    {
        try
        {
            return header.ClassLabel();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{where}: {e.Message}", e);
        }
    }

    public void Dispose() => _reader.Dispose();
}
