using Leap.Training.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

/// <summary>The managed max pooling against libtorch's max_pool2d: bit-equal outputs and input gradients.</summary>
public sealed class ManagedMaxPool2dTests
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

    /// <summary>Pools <paramref name="x"/> with libtorch and with <paramref name="pool"/>, back-propagates <paramref name="upstream"/> (or the sum) through both, and compares bit for bit.</summary>
    private static void AssertMatchesLibtorch(ManagedMaxPool2d pool, Tensor x, Tensor? upstream = null)
    {
        var window = pool.Window;
        long[] k = [window.Kernel, window.Kernel], s = [window.Stride, window.Stride], p = [window.Padding, window.Padding];
        Tensor theirsInput = x.detach().clone().requires_grad_();
        Tensor oursInput = x.detach().clone().requires_grad_();

        Tensor theirs = nn.functional.max_pool2d(theirsInput, k, s, p);
        Tensor ours = pool.forward(oursInput);
        (upstream is null ? theirs.sum() : theirs).backward(upstream is null ? null : [upstream]);
        (upstream is null ? ours.sum() : ours).backward(upstream is null ? null : [upstream]);

        AssertBitEqual(theirs.detach(), ours.detach(), "the pooled output");
        AssertBitEqual(theirsInput.grad!, oursInput.grad!, "the input gradient");
    }

    [Theory]
    [InlineData(new long[] { 8, 16, 28, 28 }, 2, 2, 0, 1)]
    [InlineData(new long[] { 3, 5, 7, 9 }, 2, 2, 0, 2)]     // odd sizes: floor mode drops the last row and column
    [InlineData(new long[] { 4, 64, 32, 32 }, 2, 2, 0, 3)]
    [InlineData(new long[] { 1, 1, 2, 2 }, 2, 2, 0, 4)]
    [InlineData(new long[] { 4, 16, 28, 28 }, 3, 2, 1, 5)]  // ResNet's stem pool: overlapping windows, padding
    [InlineData(new long[] { 2, 8, 9, 12 }, 3, 2, 1, 6)]
    [InlineData(new long[] { 2, 64, 56, 56 }, 3, 2, 1, 7)]
    [InlineData(new long[] { 2, 3, 10, 11 }, 3, 1, 1, 8)]   // stride 1: each input in up to nine windows
    [InlineData(new long[] { 2, 3, 10, 11 }, 4, 3, 2, 9)]
    public void ForwardAndBackward_MatchLibtorch(long[] shape, int kernel, int stride, int padding, int seed)
    {
        using var scope = NewDisposeScope();
        set_num_threads(1);
        Tensor x = Awkward(shape, seed);
        var pool = new ManagedMaxPool2d(kernel, stride, padding);
        Assert.True(pool.RunsManaged(x));
        long[] outputShape = [shape[0], shape[1], pool.Window.OutputSize(shape[2]), pool.Window.OutputSize(shape[3])];

        AssertMatchesLibtorch(pool, x, randn(outputShape, generator: new Generator((ulong)(seed + 100))));
    }

    [Fact]
    public void Forward_WithoutGradient_MatchesLibtorchAndRecordsNoGraph()
    {
        using var scope = NewDisposeScope();
        set_num_threads(1);
        Tensor x = Awkward([2, 3, 10, 12], 5);
        var pool = new ManagedMaxPool2d(2, 2);
        Assert.True(pool.RunsManaged(x));

        using var noGrad = no_grad();
        Tensor ours = pool.forward(x);

        AssertBitEqual(nn.functional.max_pool2d(x, Window, Window), ours, "the pooled output");
        Assert.False(ours.requires_grad);
    }

    [Fact]
    public void Forward_InsideANetwork_GradientsReachEarlierLayers()
    {
        using var scope = NewDisposeScope();
        set_num_threads(1);
        var conv = nn.Conv2d(1, 4, 3, padding: 1);
        var pool = new ManagedMaxPool2d(2, 2);
        Tensor x = randn(2, 1, 8, 8);

        pool.forward(conv.forward(x)).sum().backward();

        Assert.NotNull(conv.weight!.grad);
        Assert.True(conv.weight.grad!.abs().sum().item<float>() > 0);
    }

    [Theory]
    [InlineData(new long[] { 1, 2, 1, 4 }, 2, 2)] // height 1 < kernel 2: libtorch refuses it, so must we
    [InlineData(new long[] { 1, 2, 2, 5 }, 3, 3)]
    public void RunsManaged_InputSmallerThanTheWindow_IsFalseAndLibtorchRefusesIt(long[] shape, int kernel, int stride)
    {
        using var scope = NewDisposeScope();
        set_num_threads(1);
        Tensor x = randn(shape);
        var pool = new ManagedMaxPool2d(kernel, stride);

        Assert.False(pool.RunsManaged(x));
        Assert.ThrowsAny<Exception>(() => pool.forward(x));
    }

    [Fact]
    public void Constructor_PaddingAboveHalfTheKernel_IsRefusedAsLibtorchDoes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ManagedMaxPool2d(3, 2, 2));
    }

    [Fact]
    public void ForwardAndBackward_AllMinusInfinityAndAllNaNWindows_MatchLibtorch()
    {
        using var scope = NewDisposeScope();
        set_num_threads(1);
        Tensor x = randn(1, 2, 4, 4);
        x[0, 0, .., ..] = tensor(float.NegativeInfinity);
        x[0, 1, 0..2, 0..2] = tensor(float.NaN);
        var pool = new ManagedMaxPool2d(2, 2);
        Assert.True(pool.RunsManaged(x));

        AssertMatchesLibtorch(pool, x, randn(1, 2, 2, 2));
    }

    [Fact]
    public void Backward_NonContiguousUpstreamGradient_MatchesLibtorch()
    {
        using var scope = NewDisposeScope();
        set_num_threads(1);
        Tensor x = Awkward([2, 3, 8, 8], 11);
        var pool = new ManagedMaxPool2d(2, 2);
        Assert.True(pool.RunsManaged(x));

        AssertMatchesLibtorch(pool, x, randn(2, 3, 4, 4).transpose(2, 3)); // the upstream gradient is a strided view
    }

    [Theory]
    [InlineData("float64")]
    [InlineData("strided")]
    [InlineData("two threads")]
    public void Forward_InputOrThreadsTheKernelDoesNotTake_FallsBackToLibtorch(string kind)
    {
        using var scope = NewDisposeScope();
        int threads = get_num_threads();
        set_num_threads(kind == "two threads" ? 2 : 1);
        try
        {
            Tensor x = kind switch
            {
                "float64" => randn(2, 3, 8, 8, ScalarType.Float64),
                "strided" => randn(2, 3, 8, 16).narrow(3, 0, 8),
                _ => randn(2, 3, 8, 8),
            };
            var pool = new ManagedMaxPool2d(2, 2);
            Assert.False(pool.RunsManaged(x));

            AssertMatchesLibtorch(pool, x);
        }
        finally
        {
            set_num_threads(threads);
        }
    }
}
