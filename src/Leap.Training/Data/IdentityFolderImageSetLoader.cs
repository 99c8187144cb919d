using Leap.Data;
using Leap.Data.Images;
using Leap.Data.Transforms;
using static TorchSharp.torch;

namespace Leap.Training.Data;

/// <summary>
/// Decodes images of an identity-folder tree once into an in-memory <see cref="ImageSet"/>: each image is decoded,
/// passed through a transform pipeline (resize, crop, normalise; random steps draw from
/// (seed, epoch 0, listing index), so the result is deterministic) and written to its own row of one float buffer.
/// The pipeline must give every image the same shape. Decoding runs on several threads; the rows do not depend on
/// the thread count. A corrupt image follows the decoder's <see cref="ImageDecoderOptions.OnCorruptImage"/>: Throw
/// (default) fails naming the file; Skip drops its row, logs it and lists it in <see cref="ImageDecoder.Skipped"/>.
/// </summary>
public sealed class IdentityFolderImageSetLoader
{
    private readonly ImageDecoder _decoder;
    private readonly IImageTransform _transform;
    private readonly int _threads;
    private readonly long _seed;

    /// <param name="decoder">Decodes a file to CHW floats in [0, 1] (RGB or grey).</param>
    /// <param name="transform">Applied to every decoded image; must produce a fixed shape.</param>
    /// <param name="threads">Decoding threads (>= 1).</param>
    /// <param name="seed">Seed of any random transform step.</param>
    public IdentityFolderImageSetLoader(ImageDecoder decoder, IImageTransform transform, int threads = 1, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _decoder = decoder;
        _transform = transform;
        _threads = threads;
        _seed = seed;
    }

    /// <summary>The kept samples of a long-tail manifest built from <see cref="IdentityFolderListing.Labels"/>, labelled with the manifest's new ids.</summary>
    public ImageSet LoadTraining(IdentityFolderListing listing, LongTailManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.SourceSampleCount != listing.Images.Count)
        {
            throw new ArgumentException(
                $"The manifest was built from {manifest.SourceSampleCount} labels but the listing has {listing.Images.Count} images.", nameof(manifest));
        }

        var kept = manifest.KeptSamples();
        return Load(listing, kept.Select(k => k.SampleIndex).ToArray(), kept.Select(k => (long)k.NewLabel).ToArray(), manifest.Classes.Count);
    }

    /// <summary>
    /// The listing's images at <paramref name="imageIndices"/>, in that order, with the given labels (0..classCount-1);
    /// each row's source index is its listing index.
    /// </summary>
    public ImageSet Load(IdentityFolderListing listing, IReadOnlyList<int> imageIndices, IReadOnlyList<long> labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentNullException.ThrowIfNull(imageIndices);
        ArgumentNullException.ThrowIfNull(labels);
        if (imageIndices.Count != labels.Count)
        {
            throw new ArgumentException($"{imageIndices.Count} images but {labels.Count} labels.", nameof(labels));
        }

        if (imageIndices.Count == 0)
        {
            throw new ArgumentException("No images to load.", nameof(imageIndices));
        }

        foreach (long label in labels)
        {
            if (label < 0 || label >= classCount)
            {
                throw new ArgumentException($"Label {label} is outside [0, {classCount}).", nameof(labels));
            }
        }

        // The first decodable image fixes the row shape; under CorruptDataPolicy.Skip undecodable ones are dropped
        // (the decoder logs each and lists it in ImageDecoder.Skipped), under Throw the first one throws naming its file.
        int start = 0;
        ImageBuffer? first = null;
        while (first is null && start < imageIndices.Count)
        {
            first = Prepare(listing, imageIndices[start++]);
        }
        if (first is null)
        {
            throw new InvalidDataException($"None of the {imageIndices.Count} images could be decoded (see the skipped-image warnings).");
        }

        int rowSize = first.Data.Length;
        var buffer = new float[imageIndices.Count * (long)rowSize];
        var kept = new bool[imageIndices.Count];
        first.Data.CopyTo(buffer, (start - 1) * (long)rowSize);
        kept[start - 1] = true;
        Parallel.For(start, imageIndices.Count, new ParallelOptions { MaxDegreeOfParallelism = _threads }, row =>
        {
            ImageBuffer? image = Prepare(listing, imageIndices[row]);
            if (image is null)
            {
                return;
            }

            if (image.Channels != first.Channels || image.Height != first.Height || image.Width != first.Width)
            {
                throw new InvalidDataException(
                    $"'{listing.Images[imageIndices[row]].Path}' became [{image.Channels}, {image.Height}, {image.Width}], " +
                    $"the first image [{first.Channels}, {first.Height}, {first.Width}]; add a resize or crop to the pipeline.");
            }

            image.Data.CopyTo(buffer, row * (long)rowSize);
            kept[row] = true;
        });
        var rows = Enumerable.Range(0, imageIndices.Count).Where(r => kept[r]).ToArray();
        if (rows.Length < imageIndices.Count)
        {
            var compact = new float[rows.Length * (long)rowSize];
            for (int i = 0; i < rows.Length; i++)
            {
                Array.Copy(buffer, rows[i] * (long)rowSize, compact, i * (long)rowSize, rowSize);
            }
            buffer = compact;
        }
        var images = tensor(buffer, [rows.Length, first.Channels, first.Height, first.Width]);
        return new ImageSet(images, rows.Select(r => labels[r]).ToArray(), rows.Select(r => (long)imageIndices[r]).ToArray(), classCount);
    }

    /// <summary>The decoded, transformed image, or null when it is corrupt and the decoder's policy is Skip.</summary>
    private ImageBuffer? Prepare(IdentityFolderListing listing, int index)
    {
        if ((uint)index >= (uint)listing.Images.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The listing has {listing.Images.Count} images.");
        }

        string path = listing.Images[index].Path;
        return _decoder.TryDecode(File.ReadAllBytes(path), path, out ImageBuffer? decoded)
            ? _transform.Apply(decoded, new AugmentationKey(_seed, 0, index))
            : null;
    }
}
