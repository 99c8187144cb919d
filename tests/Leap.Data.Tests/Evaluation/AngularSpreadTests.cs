using Leap.Evaluation;

namespace Leap.Data.Tests.Evaluation;

public sealed class AngularSpreadTests
{
    [Fact]
    public void Compute_HandBuiltClasses_GivesExactAnglesAndGroupStatistics()
    {
        // Class 0: x and y axes, centre on the diagonal -> both at pi/4. Class 1: two scaled x vectors -> 0.
        // Class 2: a single sample -> 0. Class 3: x and -y axes -> pi/4. Head = {0}; tail = {1, 2, 3}.
        float[] data = [1, 0, 0, 1, 2, 0, 3, 0, 0, 5, 1, 0, 0, -1];
        int[] labels = [0, 0, 1, 1, 2, 3, 3];

        AngularSpreadReport report = AngularSpread.Compute(new Embeddings(data, 2), labels, new HashSet<int> { 0 });

        Assert.Equal(new[] { Math.PI / 4, 0, 0, Math.PI / 4 }, report.PerClass.Select(c => c.MeanAngle), new Tolerance(1e-15));
        Assert.Equal(new[] { true, false, false, false }, report.PerClass.Select(c => c.IsHead));
        Assert.Equal((1, Math.PI / 4), (report.Head.ClassCount, report.Head.Mean));
        Assert.True(double.IsNaN(report.Head.HalfWidth95));
        Assert.Equal(3, report.Tail.ClassCount);
        Assert.Equal(Math.PI / 12, report.Tail.Mean, 1e-15);
        // Tail angles 0, 0, pi/4: sample std = (pi/12) sqrt(3), so the half-width is 1.96 pi / 12.
        Assert.Equal(1.96 * Math.PI / 12, report.Tail.HalfWidth95, 1e-15);
    }

    [Fact]
    public void Compute_NearlyIdenticalEmbeddings_GivesTinyPositiveAngleNotRoundingNoise()
    {
        float[] data = [1, 0, 1, 1e-6f];

        AngularSpreadReport report = AngularSpread.Compute(new Embeddings(data, 2), [0, 0], new HashSet<int>());

        // Each is 0.5e-6 rad from the centre (acos would return 0 or ~1e-8 noise here).
        Assert.Equal(0.5e-6, report.PerClass[0].MeanAngle, 1e-12);
    }

    [Fact]
    public void Compute_OppositeEmbeddings_ThrowsBecauseTheCentreHasNoDirection()
    {
        Assert.Throws<ArgumentException>(() => AngularSpread.Compute(new Embeddings([1, 0, -1, 0], 2), [4, 4], new HashSet<int>()));
    }

    [Fact]
    public void GroupToString_PrintsLikeThePaper()
    {
        Assert.Equal("0.463 ± 0.030 (40 classes)", new GroupAngularSpread(40, 0.4631, 0.0304).ToString());
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;
        public int GetHashCode(double obj) => 0;
    }
}
