using Leap.Data.Images;
using Leap.Training.EvaluationSets;

namespace Leap.Training.Tests.Export;

/// <summary>How LFW pairs.txt lines find their images: LFW file names, else the position of the file in its folder.</summary>
public sealed class VerificationPairFilesTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-pairs-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void ReadLfwPairs_FilesNotNamedAsLfw_ImageNumberIsThePositionInTheFolder()
    {
        Touch("a/0000.png", "a/0001.png", "a/0002.png", "b/x.png", "b/y.png");
        string pairs = Write("1\t1\na\t1\t3\na\t2\tb\t2\n");

        var data = VerificationPairFiles.ReadLfwPairs(pairs, null, new ImageDecoder());

        using var images = data.Images;
        Assert.Equal([Path.Combine(_root, "a", "0000.png"), Path.Combine(_root, "a", "0002.png"), Path.Combine(_root, "a", "0001.png"), Path.Combine(_root, "b", "y.png")],
            Enumerable.Range(0, images.Count).Select(images.Locate));
        Assert.Equal([true, false], data.Pairs.Select(p => p.IsSame));
    }

    [Fact]
    public void ReadLfwPairs_LfwNamedFiles_NumberComesFromTheName()
    {
        // Aaron_0003 is the second file of its folder: pairs.txt's "3" means it, not the third file.
        Touch("Aaron/Aaron_0001.jpg", "Aaron/Aaron_0003.jpg", "Aaron/Aaron_0004.jpg");
        string pairs = Write("1\t1\nAaron\t1\t3\nAaron\t4\tAaron\t1\n");

        var data = VerificationPairFiles.ReadLfwPairs(pairs, null, new ImageDecoder());

        using var images = data.Images;
        Assert.Equal(Path.Combine(_root, "Aaron", "Aaron_0003.jpg"), images.Locate(data.Pairs[0].Second));
    }

    [Fact]
    public void ReadLfwPairs_PairNamingAMissingImage_ThrowsNamingIt()
    {
        Touch("a/0000.png", "a/0001.png", "b/0000.png");
        string pairs = Write("1\t1\na\t1\t5\na\t1\tb\t1\n");

        var error = Assert.Throws<InvalidDataException>(() => VerificationPairFiles.ReadLfwPairs(pairs, null, new ImageDecoder()));

        Assert.Contains("names a image 5", error.Message, StringComparison.Ordinal);
        Assert.Contains(pairs, error.Message, StringComparison.Ordinal);
    }

    private void Touch(params string[] files)
    {
        foreach (string file in files)
        {
            string path = Path.Combine(_root, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, [0]);
        }
    }

    private string Write(string text)
    {
        string path = Path.Combine(_root, "pairs.txt");
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
