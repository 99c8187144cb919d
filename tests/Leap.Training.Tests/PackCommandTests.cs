using Leap.Data.Images;
using Leap.Data.RecordIo;
using SkiaSharp;

namespace Leap.Training.Tests;

/// <summary>`leap pack` run as a real process on generated JPEG/PNG trees, read back with <see cref="RecordIoReader"/>.</summary>
public sealed class PackCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-pack-" + Guid.NewGuid().ToString("N"));

    /// <summary>identity "alice": 2 JPEG, "bob": 3 PNG, "carol": 1 JPEG; image i of identity c is a solid colour.</summary>
    private string WriteTree()
    {
        string input = Path.Combine(_root, "faces");
        var identities = new (string Name, string Extension, int Count)[] { ("alice", ".jpg", 2), ("bob", ".png", 3), ("carol", ".jpg", 1) };
        for (int c = 0; c < identities.Length; c++)
        {
            var (name, extension, count) = identities[c];
            Directory.CreateDirectory(Path.Combine(input, name));
            for (int i = 0; i < count; i++)
            {
                var format = extension == ".jpg" ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png;
                File.WriteAllBytes(Path.Combine(input, name, $"{i:D2}{extension}"), Solid(format, 24, 20, Colour(c, i)));
            }
        }
        File.WriteAllText(Path.Combine(input, "alice", "notes.txt"), "not an image");
        return input;
    }

    private static SKColor Colour(int identity, int image) => new((byte)(40 + (80 * identity)), (byte)(30 * image), 200);

    private static byte[] Solid(SKEncodedImageFormat format, int height, int width, SKColor colour)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(colour);
        using var data = bitmap.Encode(format, 100);
        return data.ToArray();
    }

    [Fact]
    public void Pack_IdentityFolderTree_ReaderReadsCountLabelsIdentitiesAndImages()
    {
        string input = WriteTree();
        string prefix = Path.Combine(_root, "out", "train");

        var (code, stdout, error) = LeapProcess.Run(Timeout, "pack", "--input", input, "--output", prefix);

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{error}");
        using var reader = RecordIoReader.Open(prefix + ".rec", prefix + ".idx");
        var header = reader.ReadInsightFaceHeader();
        Assert.NotNull(header);
        Assert.Equal(6, header.ImageCount);
        Assert.Equal(3, header.IdentityCount);
        Assert.Equal([0, 0, 1, 1, 1, 2], reader.ReadImageLabels());
        Assert.Equal([new IdentityKeyRange(0, 1, 3), new IdentityKeyRange(1, 3, 6), new IdentityKeyRange(2, 6, 7)], reader.ReadIdentityRanges());
        var decoder = new ImageDecoder();
        int[] imageInClass = [0, 1, 0, 1, 2, 0];
        foreach (long key in reader.ImageKeys())
        {
            var record = reader.Read(key);
            var image = decoder.Decode(record.Image, $"train.rec#{key}");
            Assert.Equal((3, 24, 20), (image.Channels, image.Height, image.Width));
            var expected = Colour(record.Header.ClassLabel(), imageInClass[key - 1]);
            // JPEG at quality 100 of a solid colour is within a couple of levels of it.
            Assert.InRange(image[0, 10, 10] * 255, expected.Red - 3, expected.Red + 3);
            Assert.InRange(image[1, 10, 10] * 255, expected.Green - 3, expected.Green + 3);
            Assert.InRange(image[2, 10, 10] * 255, expected.Blue - 3, expected.Blue + 3);
        }
        Assert.Equal("3,24,20", File.ReadAllText(Path.Combine(_root, "out", "property")));
        Assert.Contains("Packed 6 images of 3 identities", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_SizeGiven_StoresEveryImageResizedToSquare()
    {
        string input = WriteTree();
        string prefix = Path.Combine(_root, "out", "train");

        var (code, stdout, error) = LeapProcess.Run(Timeout, "pack", "--input", input, "--output", prefix, "--size", "12");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{error}");
        using var reader = RecordIoReader.Open(prefix + ".rec");
        var decoder = new ImageDecoder();
        Assert.All(reader.ImageKeys(), key =>
        {
            var image = decoder.Decode(reader.Read(key).Image, $"#{key}");
            Assert.Equal((12, 12), (image.Height, image.Width));
        });
        Assert.Equal("3,12,12", File.ReadAllText(Path.Combine(_root, "out", "property")));
    }

    [Fact]
    public void Pack_CorruptImage_ExitsOneNamingTheFile()
    {
        string input = WriteTree();
        string corrupt = Path.Combine(input, "bob", "01.png");
        File.WriteAllBytes(corrupt, File.ReadAllBytes(corrupt)[..40]);

        var (code, stdout, error) = LeapProcess.Run(Timeout, "pack", "--input", input, "--output", Path.Combine(_root, "out", "train"));

        Assert.True(code == 1, $"exit {code}\n{stdout}\n{error}");
        Assert.Contains(corrupt, error, StringComparison.Ordinal);
        Assert.Contains("--skip-corrupt", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_SkipCorrupt_LeavesCorruptImagesOutCountsAndNamesThem()
    {
        string input = WriteTree();
        string corrupt = Path.Combine(input, "bob", "01.png");
        File.WriteAllBytes(corrupt, File.ReadAllBytes(corrupt)[..40]);
        string lonely = Path.Combine(input, "carol", "00.jpg");
        File.WriteAllBytes(lonely, [0xFF, 0xD8, 0xFF, 0x00]);
        string prefix = Path.Combine(_root, "out", "train");

        var (code, stdout, error) = LeapProcess.Run(Timeout, "pack", "--input", input, "--output", prefix, "--skip-corrupt");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{error}");
        Assert.Contains($"skipped corrupt image {corrupt}", stdout, StringComparison.Ordinal);
        Assert.Contains($"skipped corrupt image {lonely}", stdout, StringComparison.Ordinal);
        Assert.Contains("2 corrupt images skipped", stdout, StringComparison.Ordinal);
        using var reader = RecordIoReader.Open(prefix + ".rec");
        // carol lost her only image, so she is no class at all; bob keeps two.
        Assert.Equal([0, 0, 1, 1], reader.ReadImageLabels());
        Assert.Equal(2, reader.ReadInsightFaceHeader()!.IdentityCount);
    }

    [Theory]
    [InlineData("--size", "0", "--size")]
    [InlineData("--size", "-3", "--size")]
    public void Pack_InvalidOption_ExitsTwoNamingIt(string option, string value, string named)
    {
        string input = WriteTree();

        var (code, _, error) = LeapProcess.Run(Timeout, "pack", "--input", input, "--output", Path.Combine(_root, "out", "train"), option, value);

        Assert.Equal(2, code);
        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_MissingInputFolder_ExitsTwoNamingInput()
    {
        var (code, _, error) = LeapProcess.Run(Timeout, "pack", "--input", Path.Combine(_root, "nothing"), "--output", Path.Combine(_root, "out", "train"));

        Assert.Equal(2, code);
        Assert.Contains("--input", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_OutputUnderAFile_ExitsTwoWithOneLineNamingOutput()
    {
        string input = WriteTree();
        string file = Path.Combine(_root, "not-a-folder");
        File.WriteAllText(file, "a file where the output folder should be");

        var (code, stdout, error) = LeapProcess.Run(Timeout, "pack", "--input", input, "--output", Path.Combine(file, "out", "train"));

        Assert.True(code == 2, $"exit {code}\n{stdout}\n{error}");
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one line, got:\n{error}");
        Assert.StartsWith($"--output: cannot write to '{Path.Combine(file, "out")}'", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
