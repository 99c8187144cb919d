using Leap.Training.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

/// <summary>
/// <see cref="ScalarSafeSgd"/> and <see cref="ScalarSafeAdam"/> take the same steps as TorchSharp's SGD and Adam, bit for
/// bit (they only hold the Scalars the steps pass to libtorch), and leave no Scalar to the finalizer where TorchSharp's do.
/// </summary>
public sealed class ScalarSafeOptimizerTests
{
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.9, 5e-4)]
    public void Sgd_StepsEqualTorchSharpsSgd(double momentum, double weightDecay) =>
        AssertSameTrajectory(
            p => new SGD(p, 0.05, momentum: momentum, weight_decay: weightDecay),
            p => new ScalarSafeSgd(p, 0.05, momentum, weightDecay));

    [Theory]
    [InlineData(0.0)]
    [InlineData(5e-4)]
    public void Adam_StepsEqualTorchSharpsAdam(double weightDecay) =>
        AssertSameTrajectory(
            p => new Adam(p, 0.01, weight_decay: weightDecay),
            p => new ScalarSafeAdam(p, 0.01, weightDecay));

    [Fact]
    public void Steps_LeaveNoScalarToTheFinalizer_WhereTorchSharpsDo()
    {
        Assert.True(FinalizedScalarsOverSteps(p => new SGD(p, 0.05, momentum: 0.9, weight_decay: 5e-4)) > 0,
            "TorchSharp's SGD left no temporary Scalar: the comparison below proves nothing");
        Assert.Equal(0, FinalizedScalarsOverSteps(p => new ScalarSafeSgd(p, 0.05, 0.9, 5e-4)));
        Assert.Equal(0, FinalizedScalarsOverSteps(p => new ScalarSafeAdam(p, 0.01, 5e-4)));
    }

    private static long FinalizedScalarsOverSteps(Func<IEnumerable<Parameter>, OptimizerHelper> create)
    {
        using var weight = new Parameter(randn(8, 4, generator: new Generator(1)));
        using var optimizer = create([weight]);
        using var finalized = new FinalizedObjects();
        for (int step = 0; step < 5; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            (weight * weight).sum().backward(); // no pow(2): its exponent would be a temporary Scalar
            optimizer.step();
        }
        finalized.Settle();
        return finalized.Count<Scalar>();
    }

    private static void AssertSameTrajectory(Func<IEnumerable<Parameter>, OptimizerHelper> reference, Func<IEnumerable<Parameter>, OptimizerHelper> candidate)
    {
        using var start = randn(6, 5, generator: new Generator(7));
        using var target = randn(6, 5, generator: new Generator(8));
        using var expected = Train(reference, start, target);
        using var actual = Train(candidate, start, target);
        Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray());
    }

    private static Tensor Train(Func<IEnumerable<Parameter>, OptimizerHelper> create, Tensor start, Tensor target)
    {
        using var weight = new Parameter(start.clone());
        using var optimizer = create([weight]);
        for (int step = 0; step < 20; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            (weight - target).pow(2).sum().backward();
            optimizer.step();
        }
        return weight.detach().clone();
    }
}
