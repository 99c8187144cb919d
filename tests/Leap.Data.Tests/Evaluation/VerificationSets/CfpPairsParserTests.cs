using Leap.Evaluation;
using Leap.Evaluation.VerificationSets;

namespace Leap.Data.Tests.Evaluation.VerificationSets;

/// <summary>
/// A CFP copy in miniature: 4 frontal images (people 001 and 002, two each), 3 profile images, two splits per protocol
/// of two same and two different pairs each.
/// </summary>
public sealed class CfpPairsParserTests : IDisposable
{
    private readonly TemporaryDirectory _dir = new();

    public CfpPairsParserTests()
    {
        Write("Pair_list_F.txt",
            "1 ../Data/Images/001/frontal/01.jpg\n2 ../Data/Images/001/frontal/02.jpg\n" +
            "3 ../Data/Images/002/frontal/01.jpg\r\n4 ../Data/Images/002/frontal/02.jpg\n\n");
        Write("Pair_list_P.txt", "1 ../Data/Images/001/profile/01.jpg\n2 ../Data/Images/002/profile/01.jpg\n3 ../Data/Images/002/profile/02.jpg\n");
        Write("Split/FF/01/same.txt", "1,2\n3,4\n");
        Write("Split/FF/01/diff.txt", "1,3\n2,4\n");
        Write("Split/FF/02/same.txt", "2,1\n4,3\n");
        Write("Split/FF/02/diff.txt", "1,4\n3,2\n");
        Write("Split/FP/01/same.txt", "1,1\n3,2\n");
        Write("Split/FP/01/diff.txt", "1, 2\n3,1\n");
        Write("Split/FP/02/same.txt", "2,1\n4,3\n");
        Write("Split/FP/02/diff.txt", "2,3\n4,1\n");
    }

    private string ProtocolFolder => Path.Combine(_dir.Path, "Protocol");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Read_FrontalProfile_SplitKIsFoldKWithSameThenDiffAndProfileIndicesAfterFrontal()
    {
        CfpPairList list = CfpPairsParser.Read(ProtocolFolder, CfpProtocol.FrontalProfile);

        Assert.Equal((2, 2), (list.Pairs.Folds, list.Pairs.PairsPerFold));
        Assert.Equal(
            new[]
            {
                new VerificationPair(0, 4, true), new VerificationPair(2, 5, true), new VerificationPair(0, 5, false), new VerificationPair(2, 4, false),
                new VerificationPair(1, 4, true), new VerificationPair(3, 6, true), new VerificationPair(1, 6, false), new VerificationPair(3, 4, false),
            },
            list.Pairs.Pairs);
        Assert.Equal(7, list.ImagePaths.Count);
    }

    [Fact]
    public void Read_FrontalFrontal_IndexesOnlyTheFrontalList()
    {
        CfpPairList list = CfpPairsParser.Read(ProtocolFolder, CfpProtocol.FrontalFrontal);

        Assert.Equal(CfpProtocol.FrontalFrontal, list.Protocol);
        Assert.Equal(4, list.ImagePaths.Count);
        Assert.Equal(
            new[]
            {
                new VerificationPair(0, 1, true), new VerificationPair(2, 3, true), new VerificationPair(0, 2, false), new VerificationPair(1, 3, false),
                new VerificationPair(1, 0, true), new VerificationPair(3, 2, true), new VerificationPair(0, 3, false), new VerificationPair(2, 1, false),
            },
            list.Pairs.Pairs);
    }

    [Fact]
    public void Read_ImagePaths_ResolveFromTheProtocolFolderIntoTheDatasetRoot()
    {
        CfpPairList list = CfpPairsParser.Read(ProtocolFolder, CfpProtocol.FrontalProfile);

        Assert.Equal(Path.Combine(_dir.Path, "Data", "Images", "001", "frontal", "01.jpg"), list.ImagePaths[0]);
        Assert.Equal(Path.Combine(_dir.Path, "Data", "Images", "002", "frontal", "02.jpg"), list.ImagePaths[3]);
        Assert.Equal(Path.Combine(_dir.Path, "Data", "Images", "001", "profile", "01.jpg"), list.ImagePaths[4]);
        Assert.Equal(Path.Combine(_dir.Path, "Data", "Images", "002", "profile", "02.jpg"), list.ImagePaths[6]);
    }

    [Fact]
    public void Read_MissingDiffFile_ThrowsNamingIt()
    {
        string missing = Path.Combine(ProtocolFolder, "Split", "FP", "02", "diff.txt");
        File.Delete(missing);

        var error = Assert.Throws<FileNotFoundException>(() => CfpPairsParser.Read(ProtocolFolder, CfpProtocol.FrontalProfile));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingProfileList_ThrowsNamingItForFrontalProfileOnly()
    {
        File.Delete(Path.Combine(ProtocolFolder, "Pair_list_P.txt"));

        var error = Assert.Throws<FileNotFoundException>(() => CfpPairsParser.Read(ProtocolFolder, CfpProtocol.FrontalProfile));

        Assert.Contains("Pair_list_P.txt", error.Message, StringComparison.Ordinal);
        Assert.Equal(8, CfpPairsParser.Read(ProtocolFolder, CfpProtocol.FrontalFrontal).Pairs.Pairs.Count);
    }

    [Fact]
    public void Read_GapInSplitNumbers_ThrowsNamingTheMissingSplit()
    {
        Directory.Move(Path.Combine(ProtocolFolder, "Split", "FF", "02"), Path.Combine(ProtocolFolder, "Split", "FF", "03"));

        var error = Assert.Throws<DirectoryNotFoundException>(() => CfpPairsParser.Read(ProtocolFolder, CfpProtocol.FrontalFrontal));

        Assert.Contains(Path.Combine(ProtocolFolder, "Split", "FF", "02"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ProfileNumberPastTheList_ThrowsNamingFileAndLine()
    {
        Write("Split/FP/02/same.txt", "2,1\n4,4\n");

        var error = Assert.Throws<InvalidDataException>(() => CfpPairsParser.Read(ProtocolFolder, CfpProtocol.FrontalProfile));

        Assert.Equal($"{Path.Combine(ProtocolFolder, "Split", "FP", "02", "same.txt")} line 2: '4' is not an image number in 1..3.", error.Message);
    }

    [Fact]
    public void Read_SplitWithFewerPairs_ThrowsNamingBothFiles()
    {
        Write("Split/FF/02/diff.txt", "1,4\n");

        var error = Assert.Throws<InvalidDataException>(() => CfpPairsParser.Read(ProtocolFolder, CfpProtocol.FrontalFrontal));

        Assert.StartsWith($"{Path.Combine(ProtocolFolder, "Split", "FF", "02", "diff.txt")}: 1 pairs, but {Path.Combine(ProtocolFolder, "Split", "FF", "01", "same.txt")} has 2",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ImageListOutOfOrder_ThrowsNamingFileAndLine()
    {
        Write("Pair_list_F.txt", "1 a.jpg\n3 b.jpg\n");

        var error = Assert.Throws<InvalidDataException>(() => CfpPairsParser.Read(ProtocolFolder, CfpProtocol.FrontalFrontal));

        Assert.StartsWith($"{Path.Combine(ProtocolFolder, "Pair_list_F.txt")} line 2: image number '3' should be 2", error.Message, StringComparison.Ordinal);
    }

    private void Write(string relative, string text)
    {
        string path = Path.Combine(ProtocolFolder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
