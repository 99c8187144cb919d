using System.Diagnostics.CodeAnalysis;
using Leap.Data.Images;
using Leap.Data.RecordIo;
using Leap.Data.Transforms;

namespace Leap.Data;

/// <summary>A decoded, transformed training sample and its class.</summary>
public sealed record LabelledImage(int SampleIndex, long Key, int Label, ImageBuffer Image);

/// <summary>
/// The image records of a .rec as a sample-indexed dataset: sample i is the i-th image key
/// (<see cref="RecordIoReader.ImageKeys"/>), its label comes from the record header, its pixels from the decoder,
/// then the transform keyed by (seed, epoch, i). Safe to call from several threads.
/// </summary>
public sealed class RecordIoImageDataset
{
    private readonly RecordIoReader _reader;
    private readonly ImageDecoder _decoder;
    private readonly IImageTransform? _transform;
    private readonly long[] _keys;
    private readonly int[] _labels;

    /// <param name="reader">The open .rec; its corrupt-record policy applies to <see cref="TryGet"/>.</param>
    /// <param name="decoder">Its corrupt-image policy applies to <see cref="TryGet"/>.</param>
    /// <param name="transform">Applied after decoding; null keeps the decoded buffer.</param>
    /// <param name="augmentationSeed">Seed of the transform's randomness.</param>
    public RecordIoImageDataset(RecordIoReader reader, ImageDecoder decoder, IImageTransform? transform, long augmentationSeed)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(decoder);
        _reader = reader;
        _decoder = decoder;
        _transform = transform;
        AugmentationSeed = augmentationSeed;
        _keys = reader.ImageKeys().ToArray();
        _labels = _keys.Select(k => reader.ReadHeader(k).ClassLabel()).ToArray();
    }

    public long AugmentationSeed { get; }
    public int Count => _keys.Length;

    /// <summary>Label of every sample, read once from the record headers.</summary>
    public IReadOnlyList<int> Labels => _labels;

    /// <summary>
    /// Reads, decodes and transforms sample <paramref name="index"/> for <paramref name="epoch"/>. False when the
    /// record or image is corrupt and the reader's or decoder's policy is Skip (it is then in their Skipped list).
    /// </summary>
    public bool TryGet(int index, int epoch, [NotNullWhen(true)] out LabelledImage? sample)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        sample = null;
        long key = _keys[index];
        if (!_reader.TryRead(key, out ImageRecord? record)
            || !_decoder.TryDecode(record.Image, $"{_reader.RecPath}#{key}", out ImageBuffer? image))
        {
            return false;
        }

        if (_transform is not null)
        {
            image = _transform.Apply(image, new AugmentationKey(AugmentationSeed, epoch, index));
        }

        sample = new LabelledImage(index, key, _labels[index], image);
        return true;
    }
}
