namespace Leap.Data.Tests.Sources;

public sealed class EvaluationHoldOutTests
{
    // Class 0 x6, class 1 x3, class 2 x4, class 3 x1, interleaved.
    private static readonly int[] Labels = [0, 1, 2, 0, 0, 3, 2, 1, 0, 2, 0, 1, 2, 0];

    private static int[] HeldOutIndices(int[] result) =>
        Enumerable.Range(0, result.Length).Where(i => result[i] == LongTailSplitBuilder.HeldOut).ToArray();

    /// <summary>Positions (0-based, in index order) among a class's members of those held out.</summary>
    private static int[] HeldOutRanks(int[] labels, int[] result, int classId) =>
        Enumerable.Range(0, labels.Length).Where(i => labels[i] == classId)
            .Select((index, rank) => (index, rank)).Where(m => result[m.index] == LongTailSplitBuilder.HeldOut)
            .Select(m => m.rank).ToArray();

    [Fact]
    public void Apply_ClassesLargerThanPerClass_HoldOutExactlyPerClassAndKeepTheRest()
    {
        int[] result = EvaluationHoldOut.Apply(Labels, perClass: 3, seed: 11);

        int[] held = HeldOutIndices(result);
        Assert.Equal(3, held.Count(i => Labels[i] == 0));
        Assert.Equal(3, held.Count(i => Labels[i] == 2));
        Assert.Equal(6, held.Length);
        Assert.All(Enumerable.Range(0, Labels.Length).Except(held), i => Assert.Equal(Labels[i], result[i]));
    }

    [Fact]
    public void Apply_ClassesWithAtMostPerClassImages_AreUntouched()
    {
        int[] result = EvaluationHoldOut.Apply(Labels, perClass: 3, seed: 11);

        Assert.Equal(new[] { 1, 1, 1 }, Enumerable.Range(0, Labels.Length).Where(i => Labels[i] == 1).Select(i => result[i]));
        Assert.Equal(3, result[5]);
    }

    [Fact]
    public void Apply_PerClassZero_ReturnsAnUnchangedCopy()
    {
        int[] labels = (int[])Labels.Clone();

        int[] result = EvaluationHoldOut.Apply(labels, perClass: 0, seed: 11);

        Assert.Equal(Labels, result);
        Assert.NotSame(labels, result);
    }

    [Fact]
    public void Apply_Input_IsNotModified()
    {
        int[] labels = (int[])Labels.Clone();

        EvaluationHoldOut.Apply(labels, perClass: 2, seed: 11);

        Assert.Equal(Labels, labels);
    }

    [Fact]
    public void Apply_NegativePerClass_ThrowsArgumentOutOfRange()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => EvaluationHoldOut.Apply(Labels, perClass: -1, seed: 0));

        Assert.Equal("perClass", e.ParamName);
    }

    [Fact]
    public void Apply_SameSeed_SameDraw()
    {
        int[] labels = [.. Enumerable.Range(0, 40).Select(i => i % 4)];

        Assert.Equal(EvaluationHoldOut.Apply(labels, 3, seed: 5), EvaluationHoldOut.Apply(labels, 3, seed: 5));
    }

    [Fact]
    public void Apply_DifferentSeed_DifferentDraw()
    {
        int[] labels = new int[30];

        Assert.NotEqual(HeldOutIndices(EvaluationHoldOut.Apply(labels, 3, seed: 5)), HeldOutIndices(EvaluationHoldOut.Apply(labels, 3, seed: 6)));
    }

    [Fact]
    public void Apply_FixedSeed_DrawsTheRecordedSamples()
    {
        // Recorded from this implementation: a change here silently changes which images every seeded run evaluates on.
        int[] labels = [.. Enumerable.Repeat(0, 10), .. Enumerable.Repeat(1, 10)];

        int[] held = HeldOutIndices(EvaluationHoldOut.Apply(labels, 2, seed: 42));

        Assert.Equal(new[] { 1, 5, 10, 19 }, held);
    }

    [Fact]
    public void Apply_OtherClassRemoved_ClassDrawUnchanged()
    {
        // Class 9 (9 members, met first) interleaved with class 4 (7 members); then class 4 alone.
        int[] both = [9, 4, 9, 4, 9, 4, 9, 9, 4, 4, 9, 9, 4, 9, 4, 9];
        int[] alone = both.Where(l => l == 4).ToArray();

        for (long seed = 0; seed < 10; seed++)
        {
            Assert.Equal(
                HeldOutRanks(alone, EvaluationHoldOut.Apply(alone, 3, seed), 4),
                HeldOutRanks(both, EvaluationHoldOut.Apply(both, 3, seed), 4));
        }
    }

    [Fact]
    public void Apply_ManySeeds_HoldsOutEachMemberWithProbabilityPerClassOverN()
    {
        int[] labels = new int[10];
        var hits = new int[labels.Length];
        for (long seed = 0; seed < 2000; seed++)
        {
            foreach (int i in HeldOutIndices(EvaluationHoldOut.Apply(labels, 3, seed)))
            {
                hits[i]++;
            }
        }

        // Expected 2000 * 3 / 10 = 600 per member, standard deviation about 20.5.
        Assert.All(hits, h => Assert.InRange(h, 500, 700));
    }

    [Fact]
    public void ApplyThenBuild_HeldOutSamples_AreInNoClassOfTheSplit()
    {
        int[] split = EvaluationHoldOut.Apply(Labels, perClass: 2, seed: 3);

        LongTailManifest manifest = new LongTailSplitBuilder(new LongTailOptions(2, null, 5, 3)).Build(split);

        int[] held = HeldOutIndices(split);
        Assert.Equal(Labels.Length, manifest.SourceSampleCount);
        Assert.Empty(manifest.KeptSamples().Select(s => s.SampleIndex).Intersect(held));
        Assert.Equal(Labels.Length - held.Length, manifest.KeptSampleCount);
        Assert.Equal(new[] { (0, 4), (2, 2), (1, 1), (3, 1) }, manifest.Classes.Select(c => (c.OriginalId, c.AvailableCount)));
    }
}
