using Leap.Data.Images;
using Leap.Data.ReId;

namespace Leap.Data.Sources;

/// <summary>
/// Image files with known labels: an identity-per-folder tree (LFW, CASIA-WebFace as folders) or a Market-1501 style
/// folder whose file names carry the person id. Only paths and labels are held; each <see cref="Load"/> reads one file.
/// </summary>
public sealed class FileImageSource : IImageSource
{
    private readonly string[] _paths;
    private readonly int[] _labels;
    private readonly ImageDecoder _decoder;

    public FileImageSource(IReadOnlyList<string> paths, IReadOnlyList<int> labels, int classCount, ImageDecoder decoder, string description)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(decoder);
        if (paths.Count != labels.Count)
        {
            throw new ArgumentException($"{paths.Count} paths but {labels.Count} labels.", nameof(labels));
        }

        if (labels.Any(l => l < 0 || l >= classCount))
        {
            throw new ArgumentException($"A label is outside [0, {classCount}).", nameof(labels));
        }

        _paths = paths.ToArray();
        _labels = labels.ToArray();
        _decoder = decoder;
        ClassCount = classCount;
        Description = $"{description}: {_paths.Length} images of {classCount} classes";
    }

    /// <summary>One class per sub-folder of <paramref name="root"/> (see <see cref="IdentityFolderListing.Read"/>).</summary>
    /// <exception cref="InvalidDataException">No sub-folder holds an image.</exception>
    public static FileImageSource FromIdentityFolders(string root, ImageDecoder decoder, out IReadOnlyList<string> emptyFolders)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Identity folder tree '{root}' does not exist (Data:Path). {DataLayoutHint.For(root)}");
        }

        var listing = IdentityFolderListing.Read(root);
        var named = listing.ClassNames.ToHashSet(StringComparer.Ordinal);
        emptyFolders = Directory.GetDirectories(root).Where(d => !named.Contains(Path.GetFileName(d))).Order(StringComparer.Ordinal).ToArray();
        if (listing.Images.Count == 0)
        {
            throw new InvalidDataException($"'{root}' has no sub-folder with images (.jpg, .jpeg, .png, .pgm). {DataLayoutHint.For(root)}");
        }

        return new FileImageSource(listing.Images.Select(i => i.Path).ToArray(), listing.Labels(), listing.ClassNames.Count, decoder, root);
    }

    /// <summary>
    /// The training images of a Market-1501 copy: <paramref name="path"/> is the data set root (its
    /// <c>bounding_box_train</c> is used) or a flat folder of Market-1501 names. Junk and distractors are left out;
    /// person ids become 0..C-1 in ascending order.
    /// </summary>
    public static FileImageSource FromMarket1501(string path, ImageDecoder decoder)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string folder = Directory.Exists(Path.Combine(path, "bounding_box_train")) ? Path.Combine(path, "bounding_box_train") : path;
        var listing = Market1501Listing.Read(folder);
        if (listing.Images.Count == 0)
        {
            throw new InvalidDataException($"'{folder}' holds no Market-1501 training images (PID_cCAMsSEQ_FRAME_BOX.jpg).");
        }

        return new FileImageSource(listing.Images.Select(i => i.Path).ToArray(), listing.Labels(), listing.PersonIds.Count, decoder, folder);
    }

    public string Description { get; }
    public int Count => _paths.Length;
    public int ClassCount { get; }
    public IReadOnlyList<int> Labels => _labels;

    public string Locate(int index) => _paths[index];

    public ImageBuffer Load(int index)
    {
        string path = _paths[index];
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Image '{path}' cannot be read: {e.Message}", e);
        }

        return _decoder.Decode(bytes, path);
    }

    public void Dispose()
    {
    }
}
