using TorchSharp;
using static TorchSharp.torch;

namespace Leap.Core.Tests;

public class TorchRuntimeTests
{
    [Fact]
    public void Backward_InsideTestProcess_ComputesAnalyticGradient()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0, -2.0, 3.0 }, dtype: ScalarType.Float64, requires_grad: true);
        var y = (x * x * x).sum();
        y.backward();
        // d/dx x^3 = 3 x^2
        Assert.Equal(new[] { 3.0, 12.0, 27.0 }, x.grad!.data<double>().ToArray());
    }
}
