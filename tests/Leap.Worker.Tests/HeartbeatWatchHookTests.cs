using Grpc.Core;
using Leap.Training.Engine;
using static TorchSharp.torch;

namespace Leap.Worker.Tests;

/// <summary>The worker stops after the step in which its background heartbeats failed, with their error.</summary>
public sealed class HeartbeatWatchHookTests
{
    [Fact]
    public void AfterStep_HeartbeatsFailed_RethrowsTheirError()
    {
        var ended = new RpcException(new Status(StatusCode.FailedPrecondition, "generation 1 ended"));
        var hook = new HeartbeatWatchHook(Task.FromException(ended));

        var thrown = Assert.Throws<RpcException>(() => AfterStep(hook));

        Assert.Same(ended, thrown);
        Assert.True(RestartableFailure.Is(thrown));
    }

    [Fact]
    public void AfterStep_HeartbeatsRunningThenFailing_ThrowsOnlyAfterTheFailure()
    {
        var heartbeats = new TaskCompletionSource();
        var hook = new HeartbeatWatchHook(heartbeats.Task);

        AfterStep(hook);
        var unreachable = new RpcException(new Status(StatusCode.Unavailable, "coordinator unreachable after 10 attempts"));
        heartbeats.SetException(unreachable);

        Assert.Same(unreachable, Assert.Throws<RpcException>(() => AfterStep(hook)));
    }

    [Fact]
    public void AfterStep_HeartbeatsStoppedOrCancelled_DoesNotThrow()
    {
        AfterStep(new HeartbeatWatchHook(Task.CompletedTask));
        AfterStep(new HeartbeatWatchHook(Task.FromCanceled(new CancellationToken(canceled: true))));
    }

    private static void AfterStep(HeartbeatWatchHook hook)
    {
        using var embeddings = zeros(0, 4);
        using var labels = zeros(0, dtype: ScalarType.Int64);
        hook.AfterStep(null!, new StepOutcome(0, 0, 0, 0, false, 0, embeddings, labels, TimeSpan.Zero));
    }
}
