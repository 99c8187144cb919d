using Leap.Training.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

/// <summary>The managed 2x2 max pooling against libtorch's max_pool2d(2): bit-equal outputs and input gradients.</summary>
public sealed class MaxPool2x2Tests
{
    private static readonly long[] Window = [2, 2];

    /// <summary>Random values with the cases that decide a winner: ties (ReLU zeros, repeated values), NaN and -inf.</summary>
    private static Tensor Awkward(long[] shape, int seed)
    {
        var generator = new Generator((ulong)seed);
        Tensor x = randn(shape, generator: generator).relu(); // about half the values are tied zeros
        Tensor flat = x.view(-1);
        long n = flat.shape[0];
        Tensor picks = randint(0, n, [Math.Max(1, n / 50)], generator: generator);
        flat.index_put_(tensor(float.NaN), picks.narrow(0, 0, picks.shape[0] / 3));
        flat.index_put_(tensor(float.NegativeInfinity), picks.narrow(0, picks.shape[0] / 3, picks.shape[0] / 3));
        flat.index_put_(tensor(0.5f), picks.narrow(0, 2 * (picks.shape[0] / 3), picks.shape[0] - 2 * (picks.shape[0] / 3)));
        return x;
    }

    private static void AssertBitEqual(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(expected.dtype, actual.dtype);
        // NaN == NaN here: compare the bit patterns.
        bool same = expected.contiguous().bytes.SequenceEqual(actual.contiguous().bytes);
        Assert.True(same, $"{what} differs from libtorch's");
    }

    [Theory]
    [InlineData(new long[] { 8, 16, 28, 28 }, 1)]
    [InlineData(new long[] { 3, 5, 7, 9 }, 2)]      // odd sizes: floor mode drops the last row and column
    [InlineData(new long[] { 4, 64, 32, 32 }, 3)]   // enough outputs for the multi-threaded path
    [InlineData(new long[] { 1, 1, 2, 2 }, 4)]
    public void ForwardAndBackward_MatchLibtorch(long[] shape, int seed)
    {
        using var scope = NewDisposeScope();
        Tensor x = Awkward(shape, seed);
        Tensor upstream = randn([shape[0], shape[1], shape[2] / 2, shape[3] / 2], generator: new Generator((ulong)(seed + 100)));

        Tensor theirsInput = x.detach().clone().requires_grad_();
        Tensor theirs = nn.functional.max_pool2d(theirsInput, Window, Window);
        theirs.backward([upstream]);

        Tensor oursInput = x.detach().clone().requires_grad_();
        Tensor ours = new MaxPool2x2().forward(oursInput);
        ours.backward([upstream]);

        AssertBitEqual(theirs.detach(), ours.detach(), "the pooled output");
        AssertBitEqual(theirsInput.grad!, oursInput.grad!, "the input gradient");
    }

    [Fact]
    public void Forward_WithoutGradient_MatchesLibtorchAndRecordsNoGraph()
    {
        using var scope = NewDisposeScope();
        Tensor x = Awkward([2, 3, 10, 12], 5);

        using var noGrad = no_grad();
        Tensor ours = new MaxPool2x2().forward(x);

        AssertBitEqual(nn.functional.max_pool2d(x, Window, Window), ours, "the pooled output");
        Assert.False(ours.requires_grad);
    }

    [Fact]
    public void Forward_InsideANetwork_GradientsReachEarlierLayers()
    {
        using var scope = NewDisposeScope();
        var conv = nn.Conv2d(1, 4, 3, padding: 1);
        var pool = new MaxPool2x2();
        Tensor x = randn(2, 1, 8, 8);

        pool.forward(conv.forward(x)).sum().backward();

        Assert.NotNull(conv.weight!.grad);
        Assert.True(conv.weight.grad!.abs().sum().item<float>() > 0);
    }

    [Theory]
    [InlineData("float64")]
    [InlineData("strided")]
    public void Forward_InputTheKernelDoesNotTake_FallsBackToLibtorch(string kind)
    {
        using var scope = NewDisposeScope();
        Tensor x = kind == "float64" ? randn(2, 3, 8, 8, ScalarType.Float64) : randn(2, 3, 8, 16).narrow(3, 0, 8);
        Assert.False(kind == "strided" && x.is_contiguous());
        Tensor theirsInput = x.detach().clone().requires_grad_();
        Tensor oursInput = x.detach().clone().requires_grad_();

        Tensor theirs = nn.functional.max_pool2d(theirsInput, Window, Window);
        Tensor ours = new MaxPool2x2().forward(oursInput);
        theirs.sum().backward();
        ours.sum().backward();

        AssertBitEqual(theirs.detach(), ours.detach(), "the pooled output");
        AssertBitEqual(theirsInput.grad!, oursInput.grad!, "the input gradient");
    }
}
