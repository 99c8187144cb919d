using TorchSharp;
using Leap.Collectives;
using Leap.Training.Distributed;
using static TorchSharp.torch;

namespace Leap.Training.Tests.Distributed;

/// <summary>
/// The fused all-reduce's pieces over a real in-process group: segments come back summed in their shapes, and the
/// zero-padded global batch equals the concatenation of the ranks' rows bit for bit, labels beyond float32's 2^24 included.
/// </summary>
public sealed class FusedSumTests
{
    [Fact]
    public void Sum_SeveralTensors_EachSegmentIsTheSumOverRanksInItsShape()
    {
        var results = EquivalentRuns.OnRanks(3, (collectives, rank) =>
        {
            var fused = new FusedSum();
            using var value = (rank + 1.0f).ToScalar(); // held: this runs on a rank thread while others allocate
            var matrix = fused.Add(full(2, 3, value));
            var vector = fused.Add(tensor(new[] { rank * 10.0, 1.0 }));
            using var buffer = new GradientReductionBuffer();
            var summed = buffer.AllReduce(collectives, [], fused);
            return (matrix.Of(summed).clone(), vector.Of(summed).clone());
        });

        foreach (var (matrix, vector) in results)
        {
            Assert.Equal([2L, 3L], matrix.shape);
            Assert.True(matrix.eq(6.0f).all().item<bool>());
            Assert.Equal([30.0f, 3.0f], vector.data<float>().ToArray());
        }
    }

    [Fact]
    public void PaddedGlobalBatch_ThreeRanks_EqualsTheRanksRowsInRankOrderExactly()
    {
        const int rows = 4;
        long[] Labels(int rank) => [.. Enumerable.Range(0, rows).Select(i => (rank * 1_000_003L + i) * 40_000_001L % (1L << 36))];
        Tensor Embeddings(int rank) => randn(rows, 5, generator: new Generator((ulong)rank + 7)) * 1e5;

        var results = EquivalentRuns.OnRanks(3, (collectives, rank) =>
        {
            var fused = new FusedSum();
            var segments = PaddedGlobalBatch.Add(fused, Embeddings(rank), tensor(Labels(rank)), rank, 3);
            using var buffer = new GradientReductionBuffer();
            var summed = buffer.AllReduce(collectives, [], fused);
            return PaddedGlobalBatch.Read(summed, segments, ScalarType.Float32);
        });

        var expectedEmbeddings = cat(Enumerable.Range(0, 3).Select(Embeddings).ToList(), 0);
        long[] expectedLabels = [.. Enumerable.Range(0, 3).SelectMany(Labels)];
        Assert.Contains(expectedLabels, l => l > 1L << 24);
        foreach (var (embeddings, labels) in results)
        {
            Assert.True(embeddings.eq(expectedEmbeddings).all().item<bool>(), "the padded sum changed an embedding");
            Assert.Equal(expectedLabels, labels.data<long>().ToArray());
        }
    }
}
