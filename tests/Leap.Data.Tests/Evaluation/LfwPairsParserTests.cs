using Leap.Evaluation;

namespace Leap.Data.Tests.Evaluation;

public sealed class LfwPairsParserTests
{
    private static readonly Dictionary<LfwImageKey, int> Index = new()
    {
        [new("Abel_Pacheco", 1)] = 0,
        [new("Abel_Pacheco", 4)] = 1,
        [new("Akhmed_Zakayev", 2)] = 2,
        [new("Akhmed_Zakayev", 3)] = 3,
        [new("Abdel_Madi_Shabneh", 1)] = 4,
        [new("Dean_Barker", 1)] = 5,
    };

    private const string TwoFolds =
        "2\t1\n" +
        "Abel_Pacheco\t1\t4\n" +
        "Abdel_Madi_Shabneh\t1\tDean_Barker\t1\n" +
        "Akhmed_Zakayev   2 3\n" +
        "Abel_Pacheco 1 Akhmed_Zakayev 3\n" +
        "\n";

    [Fact]
    public void Parse_TwoFolds_ReturnsMatchedThenMismatchedPairsPerFold()
    {
        LfwPairList list = LfwPairsParser.Parse(new StringReader(TwoFolds), key => Index[key]);

        Assert.Equal((2, 1), (list.Folds, list.PairsPerFold));
        Assert.Equal(
            new[] { new VerificationPair(0, 1, true), new VerificationPair(4, 5, false), new VerificationPair(2, 3, true), new VerificationPair(0, 3, false) },
            list.Pairs);
    }

    [Fact]
    public void Parse_SingleNumberHeader_MeansOneFold()
    {
        LfwPairList list = LfwPairsParser.Parse(new StringReader("1\nAbel_Pacheco 1 4\nAbel_Pacheco 1 Dean_Barker 1\n"), key => Index[key]);

        Assert.Equal((1, 2), (list.Folds, list.Pairs.Count));
    }

    [Fact]
    public void Parse_MatchedLineWithFourFields_ThrowsNamingTheLine()
    {
        string text = TwoFolds.Replace("Akhmed_Zakayev   2 3", "Akhmed_Zakayev 2 Dean_Barker 1", StringComparison.Ordinal);

        var e = Assert.Throws<InvalidDataException>(() => LfwPairsParser.Parse(new StringReader(text), key => Index[key], "pairs.txt"));

        Assert.Contains("pairs.txt line 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FewerLinesThanHeaderAnnounces_Throws()
    {
        var e = Assert.Throws<InvalidDataException>(() => LfwPairsParser.Parse(new StringReader("10\t300\nAbel_Pacheco 1 4\n"), key => Index[key]));

        Assert.Contains("6000 lines", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ImageNumberZero_Throws()
    {
        Assert.Throws<InvalidDataException>(() => LfwPairsParser.Parse(new StringReader("1\nAbel_Pacheco 0 4\nAbel_Pacheco 1 Dean_Barker 1\n"), key => 0));
    }
}
