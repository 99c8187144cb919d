namespace Leap.Coordinator.Tests.Infrastructure;

/// <summary>Every await in these tests is bounded; a timeout says what the test was waiting for.</summary>
internal static class Timeouts
{
    public static readonly TimeSpan Await = TimeSpan.FromSeconds(20);

    public static async Task<T> Within<T>(this Task<T> task, string expectation)
    {
        try
        {
            return await task.WaitAsync(Await);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out after {Await.TotalSeconds} s waiting for {expectation}.");
        }
    }

    public static async Task Within(this Task task, string expectation)
    {
        try
        {
            await task.WaitAsync(Await);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out after {Await.TotalSeconds} s waiting for {expectation}.");
        }
    }
}
