using Leap.Evaluation;

namespace Leap.Data.Tests.Evaluation;

public sealed class TsneTests
{
    /// <summary>Four Gaussian clusters in 10-D, centres 10 apart, unit spread, 50 points each.</summary>
    private static (double[][] Points, int[] Labels) Clusters(int perCluster = 50, int clusters = 4, int dimension = 10)
    {
        var random = new Random(7);
        var points = new List<double[]>();
        var labels = new List<int>();
        for (int c = 0; c < clusters; c++)
        {
            for (int i = 0; i < perCluster; i++)
            {
                var x = new double[dimension];
                for (int d = 0; d < dimension; d++)
                {
                    double gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                    x[d] = (d == c ? 10 : 0) + gaussian;
                }

                points.Add(x);
                labels.Add(c);
            }
        }

        return (points.ToArray(), labels.ToArray());
    }

    [Fact]
    public void Embed_WellSeparatedGaussianClusters_StaySeparatedIn2D()
    {
        var (points, labels) = Clusters();

        double[][] y = Tsne.Embed(points, new TsneOptions { Perplexity = 20, Iterations = 500 });

        Assert.Equal(points.Length, y.Length);
        Assert.All(y, row => Assert.Equal(2, row.Length));
        Assert.All(y, row => Assert.True(double.IsFinite(row[0]) && double.IsFinite(row[1])));
        double purity = NeighbourPurity.Compute(y, labels, k: 10);
        Assert.True(purity > 0.9, $"10-NN purity in 2-D was {purity:F3}");
    }

    [Fact]
    public void Embed_SameSeed_ReturnsTheSameLayout()
    {
        var (points, _) = Clusters(perCluster: 15, clusters: 2);
        var options = new TsneOptions { Perplexity = 5, Iterations = 100, Seed = 3 };

        double[][] a = Tsne.Embed(points, options);
        double[][] b = Tsne.Embed(points, options);

        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i], b[i]);
        }
    }

    [Theory]
    [InlineData(5.0)]
    [InlineData(20.0)]
    public void JointProbabilities_ConditionalRowsMatchThePerplexity_AndJointSumsToOne(double perplexity)
    {
        var (points, _) = Clusters(perCluster: 20, clusters: 3);

        double[,] p = Tsne.JointProbabilities(points, perplexity);

        int n = points.Length;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(0, p[i, i]);
            for (int j = 0; j < n; j++)
            {
                Assert.Equal(p[i, j], p[j, i], 15);
                total += p[i, j];
            }
        }

        Assert.Equal(1.0, total, 6);
    }

    [Fact]
    public void Embed_PerplexityNotBelowPointCount_ThrowsNamingPerplexity()
    {
        var points = new[] { new[] { 0.0 }, new[] { 1.0 }, new[] { 2.0 } };

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Tsne.Embed(points, new TsneOptions { Perplexity = 3 }));

        Assert.Equal("Perplexity", e.ParamName);
    }

    [Fact]
    public void NeighbourPurity_TwoInterleavedLabels_IsZeroForAlternatingLine()
    {
        var points = Enumerable.Range(0, 6).Select(i => new[] { i * 1.0 }).ToArray();
        int[] labels = [0, 1, 0, 1, 0, 1];

        // Interior points' two nearest neighbours are i-1 and i+1, both of the other label; the ends see i+1 (other) and i+2 (same).
        double purity = NeighbourPurity.Compute(points, labels, k: 2);

        Assert.Equal((0.5 + 0 + 0 + 0 + 0 + 0.5) / 6, purity, 12);
    }
}
