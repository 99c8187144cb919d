using Grpc.Core;
using Leap.Collectives;

namespace Leap.Worker;

/// <summary>
/// Tells failures that end a worker's generation (and are cured by re-registering and resuming from the last committed
/// checkpoint) from bugs. Restartable: the coordinator refused the generation (FAILED_PRECONDITION) or stayed
/// unreachable through every retry (UNAVAILABLE, DEADLINE_EXCEEDED); a ring peer closed its link, missed an exchange
/// deadline or aborted the collective.
/// </summary>
public static class RestartableFailure
{
    /// <summary>True when <paramref name="error"/> or any exception inside it is a lost generation.</summary>
    public static bool Is(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(Is))
            {
                return true;
            }
            if (e is RingPeerException or CollectiveTimeoutException or CollectiveAbortedException
                || e is RpcException { StatusCode: StatusCode.FailedPrecondition or StatusCode.Unavailable or StatusCode.DeadlineExceeded })
            {
                return true;
            }
        }
        return false;
    }
}
