using Leap.Evaluation;

namespace Leap.Data.Tests.Evaluation;

public sealed class EmbeddingsTests
{
    [Fact]
    public void FromRows_CopiesRowMajorAndComputesCosine()
    {
        Embeddings e = Embeddings.FromRows([[3f, 4f], [4f, 3f], [-3f, -4f]]);

        Assert.Equal((3, 2), (e.Count, e.Dimension));
        Assert.Equal(new[] { 4f, 3f }, e.Row(1).ToArray());
        Assert.Equal(24.0 / 25, e.Cosine(0, 1), 1e-15);
        Assert.Equal(-1.0, e.Cosine(0, 2), 1e-15);
    }

    [Fact]
    public void Constructor_LengthNotMultipleOfDimension_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Embeddings(new float[7], 2));
    }

    [Fact]
    public void Cosine_ZeroVector_ThrowsNamingIt()
    {
        var e = Assert.Throws<ArgumentException>(() => new Embeddings([1, 0, 0, 0], 2).Cosine(0, 1));

        Assert.Contains("Embedding 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sum_AddsRowByRow()
    {
        Embeddings sum = Embeddings.Sum(new Embeddings([1, 2, 3, 4], 2), new Embeddings([10, 20, 30, 40], 2));

        Assert.Equal(new float[] { 11, 22 }, sum.Row(0).ToArray());
        Assert.Equal(new float[] { 33, 44 }, sum.Row(1).ToArray());
    }

    [Fact]
    public void Sum_OtherShape_ThrowsNamingBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Embeddings.Sum(new Embeddings([1, 2, 3, 4], 2), new Embeddings([1, 2, 3, 4], 4)));

        Assert.Contains("1 x 4 embeddings to 2 x 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PairSet_SelfPair_Throws()
    {
        Assert.Throws<ArgumentException>(() => new PairSet([new VerificationPair(2, 2, true)]));
    }
}
