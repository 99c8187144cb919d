using Leap.Evaluation.Pickle;

namespace Leap.Evaluation.VerificationSets;

/// <summary>
/// An InsightFace verification file (lfw.bin, cfp_fp.bin, agedb_30.bin, ...): a Python pickle of the tuple
/// (bins, issame_list), bins holding 2P encoded images (JPEG or PNG bytes, pickled as Python 2 str or Python 3 bytes)
/// and issame_list P bools. Pair i compares image 2i with image 2i + 1. The pickle is read by
/// <see cref="PickleReader"/>, which never imports or calls anything; a file that stores either list as a numpy
/// array is refused with an error saying so.
/// </summary>
public sealed class VerificationBinFile
{
    private VerificationBinFile(IReadOnlyList<byte[]> images, PairSet pairs)
    {
        Images = images;
        Pairs = pairs;
    }

    /// <summary>The encoded images, in file order (not decoded here).</summary>
    public IReadOnlyList<byte[]> Images { get; }

    /// <summary>
    /// Pair i = (image 2i, image 2i + 1, issame_list[i]), in file order. InsightFace scores these in 10 contiguous folds
    /// (<see cref="VerificationEvaluator.Evaluate"/> does the same).
    /// </summary>
    public PairSet Pairs { get; }

    public static VerificationBinFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return Read(stream, path);
    }

    /// <param name="sourceName">Names the source in errors (the file path when reading a file).</param>
    public static VerificationBinFile Read(Stream stream, string sourceName)
    {
        object? root = PickleReader.Read(stream, sourceName);
        if (root is not object?[] { Length: 2 } tuple)
        {
            throw new InvalidDataException($"{sourceName}: expected the pickle to hold a tuple (bins, issame_list), found {Describe(root)}.");
        }

        if (tuple[0] is not List<object?> bins)
        {
            throw new InvalidDataException($"{sourceName}: bins (the tuple's first item) should be a list of images, found {Describe(tuple[0])}.");
        }

        if (tuple[1] is not List<object?> flags)
        {
            throw new InvalidDataException($"{sourceName}: issame_list (the tuple's second item) should be a list of bools, found {Describe(tuple[1])}.");
        }

        if (flags.Count == 0 || bins.Count != 2 * flags.Count)
        {
            throw new InvalidDataException(
                $"{sourceName}: {bins.Count} images for {flags.Count} issame flags; a verification file holds two images per flag and at least one pair.");
        }

        var images = new byte[bins.Count][];
        for (int k = 0; k < images.Length; k++)
        {
            images[k] = bins[k] as byte[]
                ?? throw new InvalidDataException($"{sourceName}: image {k} should be bytes (or a Python 2 str), found {Describe(bins[k])}.");
        }

        var pairs = new VerificationPair[flags.Count];
        for (int i = 0; i < pairs.Length; i++)
        {
            bool same = flags[i] as bool?
                ?? throw new InvalidDataException($"{sourceName}: issame_list[{i}] should be a bool, found {Describe(flags[i])}.");
            pairs[i] = new VerificationPair(2 * i, (2 * i) + 1, same);
        }

        return new VerificationBinFile(images, new PairSet(pairs));
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        List<object?> list => $"a list of {list.Count} items",
        object?[] tuple => $"a tuple of {tuple.Length} items",
        byte[] bytes => $"{bytes.Length} bytes",
        string => "a text str",
        bool => "a bool",
        long => "an int",
        _ => value.GetType().Name,
    };
}
