namespace Leap.Data.Tests.Data;

public sealed class LongTailSplitBuilderTests
{
    // Class 5 x4, class 2 x4, class 7 x3, class 1 x2, class 9 x1. Rank: 2, 5 (tie broken by id), 7, 1, 9.
    private static readonly int[] Labels = [5, 2, 7, 5, 1, 2, 9, 7, 5, 2, 1, 7, 2, 5];

    private static LongTailManifest Build(int head, int? tail, int s, long seed = 1, int[]? labels = null) =>
        new LongTailSplitBuilder(new LongTailOptions(head, tail, s, seed)).Build(labels ?? Labels);

    [Fact]
    public void Build_TiedCounts_RanksByCountThenClassIdWithHeadFirst()
    {
        LongTailManifest m = Build(head: 2, tail: 2, s: 2);

        Assert.Equal(new[] { 2, 5, 7, 1 }, m.Classes.Select(c => c.OriginalId));
        Assert.Equal(new[] { 0, 1, 2, 3 }, m.Classes.Select(c => c.NewId));
        Assert.Equal(new[] { true, true, false, false }, m.Classes.Select(c => c.IsHead));
        Assert.Equal((2, 2), (m.HeadClassCount, m.TailClassCount));
    }

    [Fact]
    public void Build_HeadClasses_KeepEverySampleInIndexOrder()
    {
        LongTailManifest m = Build(head: 2, tail: 2, s: 2);

        Assert.Equal(new[] { 1, 5, 9, 12 }, m.Classes[0].SampleIndices);
        Assert.Equal(new[] { 0, 3, 8, 13 }, m.Classes[1].SampleIndices);
    }

    [Fact]
    public void Build_TailClasses_CutToSFromTheirOwnMembersOrKeepAllIfFewer()
    {
        LongTailManifest m = Build(head: 2, tail: 2, s: 2);

        LongTailClass seven = m.Classes[2];
        Assert.Equal(2, seven.KeptCount);
        Assert.Equal(3, seven.AvailableCount);
        Assert.Subset(new HashSet<int> { 2, 7, 11 }, seven.SampleIndices.ToHashSet());
        Assert.Equal(seven.SampleIndices.Order(), seven.SampleIndices);
        Assert.Equal(new[] { 4, 10 }, m.Classes[3].SampleIndices);
        Assert.Equal(4 + 4 + 2 + 2, m.KeptSampleCount);
    }

    [Fact]
    public void Build_TailNull_MakesEveryRemainingClassTail()
    {
        LongTailManifest m = Build(head: 1, tail: null, s: 1);

        Assert.Equal(new[] { 2, 5, 7, 1, 9 }, m.Classes.Select(c => c.OriginalId));
        Assert.Equal(new[] { 4, 1, 1, 1, 1 }, m.Classes.Select(c => c.KeptCount));
    }

    [Fact]
    public void Build_ClassesBeyondHeadPlusTail_AreDropped()
    {
        LongTailManifest m = Build(head: 1, tail: 1, s: 3);

        Assert.Equal(new[] { 2, 5 }, m.Classes.Select(c => c.OriginalId));
        Assert.DoesNotContain(m.KeptSamples(), s => Labels[s.SampleIndex] is 7 or 1 or 9);
    }

    [Fact]
    public void Build_SameSeed_GivesIdenticalManifestJson()
    {
        int[] labels = ManyLabels();

        Assert.Equal(Build(3, null, 5, seed: 42, labels).ToJson(), Build(3, null, 5, seed: 42, labels).ToJson());
    }

    [Fact]
    public void Build_DifferentSeed_DrawsDifferentTailSamples()
    {
        int[] labels = ManyLabels();

        string a = string.Join(';', Build(3, null, 5, seed: 1, labels).Classes.Select(c => string.Join(',', c.SampleIndices)));
        string b = string.Join(';', Build(3, null, 5, seed: 2, labels).Classes.Select(c => string.Join(',', c.SampleIndices)));

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Build_TailDraw_DependsOnlyOnSeedAndClassNotOnHeadOrTailCounts()
    {
        int[] labels = ManyLabels();
        LongTailManifest narrow = Build(head: 5, tail: 1, s: 4, seed: 9, labels);
        LongTailManifest wide = Build(head: 3, tail: null, s: 4, seed: 9, labels);

        LongTailClass fromNarrow = narrow.Classes[5];
        LongTailClass fromWide = wide.Classes.Single(c => c.OriginalId == fromNarrow.OriginalId);
        Assert.Equal(fromNarrow.SampleIndices, fromWide.SampleIndices);
    }

    [Fact]
    public void Build_ManySeeds_SelectsEachTailMemberWithProbabilitySOverN()
    {
        int[] labels = [.. Enumerable.Repeat(0, 12), .. Enumerable.Repeat(1, 10)];
        var hits = new int[labels.Length];
        for (int seed = 0; seed < 2000; seed++)
        {
            foreach (int i in Build(head: 1, tail: 1, s: 3, seed, labels).Classes[1].SampleIndices)
            {
                hits[i]++;
            }
        }

        // Expected 2000 * 3 / 10 = 600 per member, standard deviation about 20.5.
        Assert.All(hits[12..], h => Assert.InRange(h, 500, 700));
    }

    [Fact]
    public void KeptSamples_MapsSourceIndicesToNewLabelsInIndexOrder()
    {
        LongTailManifest m = Build(head: 2, tail: 0, s: 1);

        Assert.Equal(
            new[] { (0, 1), (1, 0), (3, 1), (5, 0), (8, 1), (9, 0), (12, 0), (13, 1) },
            m.KeptSamples().Select(s => (s.SampleIndex, s.NewLabel)));
    }

    [Theory]
    [InlineData(-1, 0, 1, "headClasses")]
    [InlineData(0, -1, 1, "tailClasses")]
    [InlineData(0, 0, 0, "samplesPerTailClass")]
    public void Options_OutOfRange_ThrowsNamingParameter(int h, int t, int s, string parameter)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LongTailOptions(h, t, s, 0));

        Assert.Equal(parameter, e.ParamName);
    }

    [Fact]
    public void Build_HeadPlusTailAboveClassCount_ThrowsArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => Build(head: 3, tail: 3, s: 1));

        Assert.Contains("5 classes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NegativeLabel_ThrowsNamingItsIndex()
    {
        var e = Assert.Throws<ArgumentException>(() => Build(0, null, 1, labels: [0, 1, -3]));

        Assert.Contains("index 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_HeldOutLabels_AreInNoClassAndNotCounted()
    {
        // Class 5 x3 and class 2 x2 once the held-out (-1) samples at 1, 4 and 6 are ignored.
        int[] labels = [5, LongTailSplitBuilder.HeldOut, 2, 5, LongTailSplitBuilder.HeldOut, 5, LongTailSplitBuilder.HeldOut, 2];

        LongTailManifest m = Build(head: 1, tail: 1, s: 1, labels: labels);

        Assert.Equal(8, m.SourceSampleCount);
        Assert.Equal(new[] { (5, 3), (2, 2) }, m.Classes.Select(c => (c.OriginalId, c.AvailableCount)));
        Assert.Equal(new[] { 0, 3, 5 }, m.Classes[0].SampleIndices);
        Assert.Subset(new HashSet<int> { 2, 7 }, m.Classes[1].SampleIndices.ToHashSet());
        Assert.Equal(1, m.Classes[1].KeptCount);
    }

    [Fact]
    public void Build_OnlyHeldOutLabelsBeyondHead_CountsOnlyRealClasses()
    {
        var e = Assert.Throws<ArgumentException>(() => Build(head: 2, tail: 0, s: 1, labels: [0, LongTailSplitBuilder.HeldOut, 0]));

        Assert.Contains("only 1 classes", e.Message, StringComparison.Ordinal);
    }

    private static int[] ManyLabels() =>
        Enumerable.Range(0, 12).SelectMany(c => Enumerable.Repeat(c, 40 - 2 * c)).ToArray();
}
