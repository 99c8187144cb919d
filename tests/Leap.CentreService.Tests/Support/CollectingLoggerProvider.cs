using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Leap.CentreService.Tests.Support;

/// <summary>Collects every log entry so a test can assert on warnings and fail on unexpected errors.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, EventId Id, string Category, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    public void Dispose()
    {
    }

    public IEnumerable<string> Errors => Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Category}: {e.Message}");

    public void AssertNoErrors() => Assert.True(!Errors.Any(), "Unexpected errors were logged:\n" + string.Join("\n", Errors));

    private sealed class Collector(CollectingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Entries.Enqueue((logLevel, eventId, category, formatter(state, exception) + (exception is null ? "" : $" {exception}")));
            }
        }
    }
}
