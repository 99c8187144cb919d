using Grpc.Core;
using Leap.Collectives;

namespace Leap.Worker.Tests;

/// <summary>Which worker failures exit 3 (restart and resume) instead of 1 (a bug).</summary>
public sealed class RestartableFailureTests
{
    public static TheoryData<Exception, bool> Failures => new()
    {
        { new RpcException(new Status(StatusCode.FailedPrecondition, "generation 1 ended: rank 1 missed its heartbeat deadline")), true },
        { new RpcException(new Status(StatusCode.Unavailable, "connection refused")), true },
        { new RpcException(new Status(StatusCode.DeadlineExceeded, "deadline")), true },
        { new RpcException(new Status(StatusCode.InvalidArgument, "job id 'x' is not this coordinator's job")), false },
        { new RingPeerException(1, "127.0.0.1:1", "Rank 0 lost its predecessor rank 1"), true },
        { new CollectiveTimeoutException(1, "127.0.0.1:1", "no frame within 60 s"), true },
        { new CollectiveAbortedException("rank 1 failed"), true },
        { new InvalidOperationException("step failed", new RingPeerException("peer closed")), true },
        { new AggregateException(new InvalidOperationException("a"), new CollectiveAbortedException("b")), true },
        { new CollectiveMismatchException("ranks called different collectives"), false },
        { new InvalidOperationException("No complete checkpoint of step 10"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Is_Failure_IsRestartableOnlyForALostGeneration(Exception failure, bool expected) =>
        Assert.Equal(expected, RestartableFailure.Is(failure));
}
