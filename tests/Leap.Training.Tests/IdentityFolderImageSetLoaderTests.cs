using Leap.Data;
using Leap.Data.Images;
using Leap.Data.Transforms;
using Leap.Training.Data;
using SkiaSharp;

namespace Leap.Training.Tests;

/// <summary>The loader on a tiny identity-folder tree of PNGs written by SkiaSharp in the test.</summary>
public sealed class IdentityFolderImageSetLoaderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-loader-" + Guid.NewGuid().ToString("N"));

    public IdentityFolderImageSetLoaderTests()
    {
        // Person "a" has 3 images, "b" 1, "c" 2; image k of a person is a solid grey of level 10 * (class * 3 + k + 1),
        // 8x6 (h x w), except one with a bright left column so that resizing is visible.
        WriteTree(new Dictionary<string, int> { ["a"] = 3, ["b"] = 1, ["c"] = 2 });
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Load_GreyPngsWithoutResize_RowsHoldPixelValuesLabelsAndListingIndices()
    {
        var listing = IdentityFolderListing.Read(_root);
        var loader = new IdentityFolderImageSetLoader(new ImageDecoder(new ImageDecoderOptions { Channels = ImageChannels.Grey }), new ImageTransformPipeline(), threads: 2);

        using ImageSet set = loader.Load(listing, [5, 0, 3], [2, 0, 1], classCount: 3);

        Assert.Equal([3L, 1, 8, 6], set.Images.shape);
        Assert.Equal([2L, 0, 1], set.Labels);
        Assert.Equal([5L, 0, 3], set.SourceIndices);
        // Listing index 5 = c's 2nd image: level 10 * (2 * 3 + 1 + 1) = 80; index 3 = b's 1st: 40.
        Assert.Equal(80f / 255f, set.Images[0, 0, 4, 4].item<float>(), 1e-6f);
        Assert.Equal(40f / 255f, set.Images[2, 0, 0, 3].item<float>(), 1e-6f);
    }

    [Fact]
    public void LoadTraining_ManifestWithTailCut_KeepsManifestSamplesWithNewLabels()
    {
        var listing = IdentityFolderListing.Read(_root);
        LongTailManifest manifest = new LongTailSplitBuilder(new LongTailOptions(1, null, 1, seed: 3)).Build(listing.Labels());
        var loader = new IdentityFolderImageSetLoader(new ImageDecoder(), new ImageTransformPipeline(new BilinearResize(4, 3), ChannelNormalise.SymmetricUnit(3)));

        using ImageSet set = loader.LoadTraining(listing, manifest);

        // Head = "a" (3 images, new id 0); tails "c" then "b" (ranked by count) keep one image each.
        Assert.Equal(5, set.Count);
        Assert.Equal([3, 1, 1], set.SamplesPerClass());
        Assert.Equal([5L, 3, 4, 3], [set.Images.shape[0], set.Images.shape[1], set.Images.shape[2], set.Images.shape[3]]);
        Assert.Equal(manifest.KeptSamples().Select(k => (long)k.SampleIndex), set.SourceIndices);
        // Solid grey 10/255 mapped to [-1, 1].
        Assert.Equal((10f / 255f - 0.5f) / 0.5f, set.Images[0, 1, 2, 2].item<float>(), 1e-5f);
    }

    [Fact]
    public void Load_SameInputsTwiceWithRandomCrop_GivesIdenticalTensors()
    {
        var listing = IdentityFolderListing.Read(_root);
        var loader = new IdentityFolderImageSetLoader(new ImageDecoder(), new RandomCrop(5, 5), threads: 2, seed: 9);
        int[] all = Enumerable.Range(0, listing.Images.Count).ToArray();
        long[] labels = all.Select(i => (long)listing.Images[i].ClassId).ToArray();

        using ImageSet first = loader.Load(listing, all, labels, 3);
        using ImageSet second = loader.Load(listing, all, labels, 3);

        Assert.True(first.Images.equal(second.Images).all().item<bool>());
    }

    [Fact]
    public void Load_ImagesOfDifferentSizesWithoutResize_ThrowsNamingTheFile()
    {
        string odd = Path.Combine(_root, "d");
        Directory.CreateDirectory(odd);
        File.WriteAllBytes(Path.Combine(odd, "d_0001.png"), Png(5, 5, 0));
        var listing = IdentityFolderListing.Read(_root);
        var loader = new IdentityFolderImageSetLoader(new ImageDecoder(), new ImageTransformPipeline());

        var error = Assert.Throws<AggregateException>(() => loader.Load(listing, [0, listing.Images.Count - 1], [0, 3], 4));

        Assert.Contains("d_0001.png", Assert.IsType<InvalidDataException>(error.InnerException).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TruncatedPngUnderThrow_ThrowsNamingTheFile()
    {
        string broken = WriteTruncatedPng();
        var listing = IdentityFolderListing.Read(_root);
        int index = IndexOf(listing, broken);
        var loader = new IdentityFolderImageSetLoader(new ImageDecoder(), new ImageTransformPipeline());

        var error = Assert.Throws<InvalidDataException>(() => loader.Load(listing, [index, 0], [3, 0], 4));

        Assert.Contains(broken, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TruncatedPngUnderSkip_DropsItsRowAndListsTheFile()
    {
        string broken = WriteTruncatedPng();
        var listing = IdentityFolderListing.Read(_root);
        int index = IndexOf(listing, broken);
        var decoder = new ImageDecoder(new ImageDecoderOptions { Channels = ImageChannels.Grey, OnCorruptImage = CorruptDataPolicy.Skip });
        var loader = new IdentityFolderImageSetLoader(decoder, new ImageTransformPipeline(), threads: 2);

        using ImageSet set = loader.Load(listing, [index, 0, 5, index], [3, 0, 2, 3], classCount: 4);

        Assert.Equal([2L, 1, 8, 6], set.Images.shape);
        Assert.Equal([0L, 2], set.Labels);
        Assert.Equal([0L, 5], set.SourceIndices);
        Assert.Equal([broken, broken], decoder.Skipped.Ids);
    }

    [Fact]
    public void Load_EveryImageCorruptUnderSkip_ThrowsSayingNoneDecoded()
    {
        string broken = WriteTruncatedPng();
        var listing = IdentityFolderListing.Read(_root);
        var loader = new IdentityFolderImageSetLoader(new ImageDecoder(new ImageDecoderOptions { OnCorruptImage = CorruptDataPolicy.Skip }), new ImageTransformPipeline());

        var error = Assert.Throws<InvalidDataException>(() => loader.Load(listing, [IndexOf(listing, broken)], [3], 4));

        Assert.Contains("None of the 1 images could be decoded", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Person "d" with one 8x6 PNG cut after half its bytes (a copy interrupted mid-file).</summary>
    private string WriteTruncatedPng()
    {
        string folder = Path.Combine(_root, "d");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "d_0001.png");
        byte[] png = Png(8, 6, 0);
        File.WriteAllBytes(path, png[..(png.Length / 2)]);
        return path;
    }

    private static int IndexOf(IdentityFolderListing listing, string path) =>
        listing.Images.Select((image, i) => (image, i)).Single(p => p.image.Path == path).i;

    [Fact]
    public void Load_LabelOutsideClassCount_Throws()
    {
        var listing = IdentityFolderListing.Read(_root);
        var loader = new IdentityFolderImageSetLoader(new ImageDecoder(), new ImageTransformPipeline());

        Assert.Throws<ArgumentException>(() => loader.Load(listing, [0], [3], 3));
    }

    private void WriteTree(Dictionary<string, int> imagesPerPerson)
    {
        int classId = 0;
        foreach (var (person, count) in imagesPerPerson.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            string folder = Path.Combine(_root, person);
            Directory.CreateDirectory(folder);
            for (int k = 0; k < count; k++)
            {
                File.WriteAllBytes(Path.Combine(folder, $"{person}_{k + 1:0000}.png"), Png(8, 6, (byte)(10 * ((classId * 3) + k + 1))));
            }

            classId++;
        }
    }

    private static byte[] Png(int height, int width, byte level)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(new SKColor(level, level, level));
        using SKData data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
