using System.Globalization;
using Leap.Data;
using Leap.Data.RecordIo;
using Leap.Data.ReId;
using Leap.Training.Configuration;

namespace Leap.Benchmarks.DataLoader;

/// <summary>
/// A real data set `leap bench data` packs and streams, with the input size and normalisation its training recipe uses:
/// LFW identity folders (128x128 JPEG) resized to 112x112 and scaled to [-1, 1] (configs/faces-*.json), and Market-1501's
/// bounding_box_train (64x128 JPEG) at 128x64 with ImageNet statistics (configs/reid-paper.json).
/// </summary>
/// <param name="Folder">Below the data root: an identity-folder tree, or a flat Market-1501 folder when <paramref name="Market1501Layout"/>.</param>
public sealed record DataBenchSet(string Name, string Folder, bool Market1501Layout, int Height, int Width, ImageNormalisation Normalisation)
{
    public static DataBenchSet Lfw { get; } = new("LFW", "lfw", false, 112, 112, ImageNormalisation.SymmetricUnit);

    public static DataBenchSet Market1501 { get; } = new("Market-1501", "market1501/bounding_box_train", true, 128, 64, ImageNormalisation.ImageNet);

    public static IReadOnlyList<DataBenchSet> All { get; } = [Lfw, Market1501];

    /// <summary>The images under <paramref name="dataRoot"/> as classes grouped by ascending id (what the packer takes).</summary>
    /// <exception cref="DirectoryNotFoundException">The set's folder is missing; the message names it.</exception>
    public IdentityFolderListing List(string dataRoot)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataRoot);
        string folder = Path.Combine(dataRoot, Folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"{Name}: '{folder}' does not exist (the data root is a setting: --data, default ../shared/data).");
        }

        if (!Market1501Layout)
        {
            return IdentityFolderListing.Read(folder);
        }

        var market = Market1501Listing.Read(folder);
        int[] labels = market.Labels();
        var images = market.Images.Select((image, i) => new IdentityImage(image.Path, labels[i])).OrderBy(i => i.ClassId).ToList();
        return new IdentityFolderListing(market.PersonIds.Select(id => id.ToString("0000", CultureInfo.InvariantCulture)).ToList(), images);
    }

    /// <summary>Lists the set and packs it, files unchanged, into <paramref name="directory"/>/train.rec (+ .idx) as <c>leap pack</c> does.</summary>
    public (IdentityFolderListing Listing, string RecPath) Pack(string dataRoot, string directory)
    {
        IdentityFolderListing listing = List(dataRoot);
        if (listing.Images.Count == 0)
        {
            throw new InvalidDataException($"{Name}: no images under '{Path.Combine(dataRoot, Folder)}'.");
        }

        Directory.CreateDirectory(directory);
        string rec = Path.Combine(directory, "train.rec");
        IdentityFolderPacker.Pack(listing, rec);
        return (listing, rec);
    }
}
