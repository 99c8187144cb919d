namespace Leap.Collectives.Tests;

/// <summary>Every await in these tests goes through here: a hang fails the test with a message instead of blocking it.</summary>
internal static class Within
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    public static async Task<T> Await<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        var wait = timeout ?? Default;
        try
        {
            return await task.WaitAsync(wait);
        }
        catch (TimeoutException e) when (!task.IsCompleted)
        {
            throw new TimeoutException($"Expected {what} to finish within {wait.TotalSeconds} s.", e);
        }
    }

    public static async Task Await(Task task, string what, TimeSpan? timeout = null) =>
        await Await(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default), what, timeout);

    /// <summary>Runs <paramref name="call"/> on every rank concurrently, as N workers would.</summary>
    public static Task<T[]> OnAllRanks<T>(IReadOnlyList<ICollectives> ranks, Func<ICollectives, Task<T>> call, string what, TimeSpan? timeout = null) =>
        Await(Task.WhenAll(ranks.Select(c => Task.Run(() => call(c)))), what, timeout);

    public static Task OnAllRanks(IReadOnlyList<ICollectives> ranks, Func<ICollectives, Task> call, string what, TimeSpan? timeout = null) =>
        Await(Task.WhenAll(ranks.Select(c => Task.Run(() => call(c)))), what, timeout);
}
