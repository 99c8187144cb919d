using TorchSharp;
using Leap.Collectives;
using Leap.Training.Distributed;
using static TorchSharp.torch;

namespace Leap.Training.Tests.Distributed;

/// <summary>
/// The column-split softmax cross-entropy against torch's own cross_entropy over the whole logit matrix: the loss and
/// the gradient of every rank's column block, for 1 to 4 ranks and shards of unequal width.
/// </summary>
public sealed class DistributedSoftmaxCrossEntropyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Compute_ColumnShards_MatchesCrossEntropyOfTheWholeMatrix(int world)
    {
        const int rows = 9;
        const int classes = 11;
        var generator = new Generator(7);
        var full = (randn([rows, classes], generator: generator) * 20).to(ScalarType.Float32);
        var labels = randint(0, classes, [rows], generator: generator);
        var reference = full.clone().requires_grad_(true);
        var expectedLoss = nn.functional.cross_entropy(reference, labels);
        expectedLoss.backward();

        var group = InProcessCollectives.Create(world);
        int[] widths = Enumerable.Range(0, world).Select(r => classes / world + (r < classes % world ? 1 : 0)).ToArray();
        var results = await Task.WhenAll(Enumerable.Range(0, world).Select(r => Task.Run(() =>
        {
            int start = widths.Take(r).Sum();
            var block = full.narrow(1, start, widths[r]).clone().requires_grad_(true);
            // Held Scalars: this runs on a rank thread while the others allocate.
            using var first = start.ToScalar();
            using var zero = 0.ToScalar();
            using var width = widths[r].ToScalar();
            using var none = (-1).ToScalar();
            var local = labels.sub(first);
            local = where(local.ge(zero).logical_and(local.lt(width)), local, full_like(local, none));
            var (loss, surrogate) = DistributedSoftmaxCrossEntropy.Compute(block, local, group[r]);
            surrogate.backward();
            return (loss, start, grad: block.grad!);
        })));

        foreach (var (loss, start, grad) in results)
        {
            Assert.Equal(expectedLoss.item<float>(), loss, 4);
            var expectedGrad = reference.grad!.narrow(1, start, grad.shape[1]);
            Assert.True(grad.allclose(expectedGrad, rtol: 1e-4, atol: 1e-6), $"gradient of the block from column {start} differs: max |diff| {(grad - expectedGrad).abs().max().item<float>()}");
        }
    }
}
