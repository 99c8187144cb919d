using TorchSharp;
using System.Collections.Concurrent;
using Leap.Collectives;
using Leap.Training.Distributed;
using Leap.Training.Modeling;
using static TorchSharp.torch;

namespace Leap.Training.Tests.Distributed;

/// <summary>
/// <see cref="OverlappedGradientSum"/> fed by a <see cref="StagedPass"/>: the all-reduce of the last stage's gradients
/// runs while the first stage's backward is still to come, the all-reduces run one at a time in start order, and the
/// sums land in the gradients.
/// </summary>
public sealed class OverlappedGradientSumTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void Start_DuringStagedBackward_AllReducesWhileEarlierStagesRunBackward()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var network = EmbeddingNetwork.Create(BackboneKind.SmallCnn, new ImageShape(1, 12, 12), 16);
        var stages = network.Stages();
        var collectives = new GatedCollectives();
        var events = new ConcurrentQueue<string>();
        collectives.Events = events;
        var pass = StagedPass.Forward(stages, randn([4, 1, 12, 12]));

        using var sum = new OverlappedGradientSum(collectives);
        pass.Backward(randn([4, 16]), stage =>
        {
            sum.Start(stage.Parameters);
            events.Enqueue($"backward {stage.Name} done");
            if (stage == stages[1])
            {
                // The first stage's backward is still to come: the last stage's all-reduce must already be running.
                Assert.True(collectives.FirstStarted.Wait(Patience), "no all-reduce started before the first stage's backward");
            }
        });
        var expected = network.parameters().Select(p => p.grad!.clone()).ToList();
        collectives.Gate.Release(int.MaxValue / 2);
        sum.Finish();

        var log = events.ToArray();
        int firstAllReduce = Array.IndexOf(log, "all-reduce 1 started");
        int firstStageDone = Array.IndexOf(log, $"backward {stages[0].Name} done");
        Assert.True(firstAllReduce >= 0 && firstAllReduce < firstStageDone, $"events: {string.Join("; ", log)}");
        Assert.Equal(stages.Reverse().Select(s => s.Parameters.Sum(p => p.numel())), collectives.Sizes);
        Assert.Equal(1, collectives.MaxConcurrent);
        var actual = network.parameters().Select(p => p.grad!).ToList();
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(actual[i].allclose(expected[i] * 2, rtol: 0, atol: 0), $"parameter {i}: the summed gradient was not copied back");
        }
    }

    [Fact]
    public void Dispose_AfterFailedAllReduce_DoesNotThrowAndFinishReportsTheFailure()
    {
        using var scope = NewDisposeScope();
        using var network = EmbeddingNetwork.Create(BackboneKind.SmallCnn, new ImageShape(1, 12, 12), 16);
        var pass = StagedPass.Forward(network.Stages(), randn([4, 1, 12, 12]));
        var collectives = new GatedCollectives { Failure = new InvalidOperationException("peer lost") };
        collectives.Gate.Release(int.MaxValue / 2);
        var sum = new OverlappedGradientSum(collectives);
        pass.Backward(randn([4, 16]), stage => sum.Start(stage.Parameters));

        var error = Assert.Throws<InvalidOperationException>(sum.Finish);
        sum.Dispose();

        Assert.Equal("peer lost", error.Message);
        Assert.Single(collectives.Sizes);
    }

    /// <summary>Two ranks with equal gradients: an all-reduce doubles the tensor, once <see cref="Gate"/> lets it.</summary>
    private sealed class GatedCollectives : ICollectives
    {
        private int _running;
        private int _count;

        public SemaphoreSlim Gate { get; } = new(0);
        public ManualResetEventSlim FirstStarted { get; } = new();
        public ConcurrentQueue<string> Events { get; set; } = new();
        public ConcurrentQueue<long> Sizes { get; } = new();
        public Exception? Failure { get; init; }
        public int MaxConcurrent { get; private set; }
        public int Rank => 0;
        public int WorldSize => 2;

        public async Task AllReduceAsync(Tensor tensor, ReduceOp op, CancellationToken cancellation = default)
        {
            int n = Interlocked.Increment(ref _count);
            MaxConcurrent = Math.Max(MaxConcurrent, Interlocked.Increment(ref _running));
            Sizes.Enqueue(tensor.numel());
            Events.Enqueue($"all-reduce {n} started");
            FirstStarted.Set();
            try
            {
                if (!await Gate.WaitAsync(Patience, cancellation).ConfigureAwait(false))
                {
                    throw new TimeoutException($"all-reduce {n} was never let through");
                }
                if (Failure is not null)
                {
                    throw Failure;
                }
                using var two = 2.ToScalar(); // held: this runs on a rank thread
                tensor.mul_(two);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }

        public Task<Tensor> AllGatherAsync(Tensor tensor, CancellationToken cancellation = default) => throw new NotSupportedException();
        public Task<Tensor> ReduceScatterAsync(Tensor tensor, ReduceOp op, CancellationToken cancellation = default) => throw new NotSupportedException();
        public Task BroadcastAsync(Tensor tensor, int root, CancellationToken cancellation = default) => throw new NotSupportedException();
        public Task BarrierAsync(CancellationToken cancellation = default) => throw new NotSupportedException();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
