using TorchSharp;
using Leap.Collectives;
using Leap.Training.Distributed;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Leap.Training.Tests.Distributed;

/// <summary>
/// The replicated step's one all-reduce over real in-process ranks: every gradient comes back as the sum over the
/// ranks, the extras too, and after the first step the gradients stay views of the buffer (autograd and zero_grad work
/// in place), so later steps copy nothing.
/// </summary>
public sealed class GradientReductionBufferTests
{
    [Fact]
    public void AllReduce_ThreeSteps_SumsGradientsAndExtrasAndBindsOnlyOnce()
    {
        var results = EquivalentRuns.OnRanks(2, (collectives, rank) =>
        {
            random.manual_seed(3);
            using var model = nn.Sequential(nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, 3));
            var parameters = model.parameters().ToList();
            using var optimizer = optim.SGD(parameters, 0.01, momentum: 0.9);
            using var buffer = new GradientReductionBuffer();
            var perStep = new List<(float[][] Mine, float[][] Summed, float[] Extras, long Rebinds)>();
            for (int step = 0; step < 3; step++)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                using var value = (rank + step + 1.0f).ToScalar(); // held: this runs on a rank thread while others allocate
                var output = model.forward(full(2, 5, value));
                (output * output).sum().backward();
                var mine = parameters.Select(p => p.grad!.detach().clone().data<float>().ToArray()).ToArray();
                var extras = new FusedSum();
                var segment = extras.Add(tensor(new[] { rank + 1f, 10f * step }));
                var summed = buffer.AllReduce(collectives, parameters, extras);
                perStep.Add((mine, parameters.Select(p => p.grad!.data<float>().ToArray()).ToArray(), segment.Of(summed).data<float>().ToArray(), buffer.Rebinds));
                optimizer.step();
            }
            return perStep;
        });

        for (int step = 0; step < 3; step++)
        {
            var (a, b) = (results[0][step], results[1][step]);
            for (int p = 0; p < a.Mine.Length; p++)
            {
                float[] expected = [.. a.Mine[p].Zip(b.Mine[p], (x, y) => x + y)];
                Assert.Equal(expected, a.Summed[p]);
                Assert.Equal(expected, b.Summed[p]);
            }
            Assert.Equal([3f, 20f * step], a.Extras);
            Assert.Equal(4, a.Rebinds);
        }
    }
}
