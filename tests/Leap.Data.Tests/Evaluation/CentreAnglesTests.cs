using Leap.Evaluation;

namespace Leap.Data.Tests.Evaluation;

public sealed class CentreAnglesTests
{
    [Fact]
    public void PerSample_TwoClassesInThePlane_ReturnsEachAngleToTheUnitCentre()
    {
        // Class 0: directions at +-0.3 rad around the x axis; class 1: a single point (angle 0 to itself).
        var rows = new[]
        {
            new[] { (float)Math.Cos(0.3), (float)Math.Sin(0.3) },
            new[] { 2 * (float)Math.Cos(-0.3), 2 * (float)Math.Sin(-0.3) },
            new[] { 0f, 5f },
        };

        double[] angles = CentreAngles.PerSample(Embeddings.FromRows(rows), [0, 0, 1]);

        Assert.Equal(0.3, angles[0], 6);
        Assert.Equal(0.3, angles[1], 6);
        Assert.Equal(0, angles[2], 12);
    }

    [Fact]
    public void PerSample_MeanPerClass_EqualsAngularSpreadOfTheClass()
    {
        var random = new Random(3);
        var rows = Enumerable.Range(0, 60).Select(_ => Enumerable.Range(0, 8).Select(_ => (float)random.NextDouble() + 0.2f).ToArray()).ToArray();
        int[] labels = Enumerable.Range(0, 60).Select(i => i % 4).ToArray();
        var embeddings = Embeddings.FromRows(rows);

        double[] angles = CentreAngles.PerSample(embeddings, labels);
        var spread = AngularSpread.Compute(embeddings, labels, new HashSet<int> { 0, 1 });

        foreach (var c in spread.PerClass)
        {
            double mean = Enumerable.Range(0, 60).Where(i => labels[i] == c.ClassId).Average(i => angles[i]);
            Assert.Equal(c.MeanAngle, mean, 12);
        }
    }

    [Fact]
    public void HistogramOf_ValuesIncludingRangeEnds_CountsSumToValueCount()
    {
        double[] values = [0, 0.1, 0.5, 0.99, 1.0, -0.2, 1.5];

        var histogram = Histogram.Of(values, 0, 1, 4);

        Assert.Equal([3L, 0, 1, 3], histogram.Counts);
        Assert.Equal(values.Length, histogram.Total);
        Assert.Equal(1.0, Enumerable.Range(0, 4).Sum(b => histogram.Density(b) * histogram.BinWidth), 12);
    }
}
