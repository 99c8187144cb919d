using Microsoft.Extensions.Logging;

namespace Leap.Coordinator;

public sealed partial class JobState
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information,
        Message = "Coordinator state {Path}: last generation {LastGeneration}, latest committed step {CommittedStep}")]
    private partial void LogStateLoaded(string path, long lastGeneration, long? committedStep);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information,
        Message = "Worker {InstanceId} at {PeerAddress} registered for generation {Generation} ({Registered}/{WorldSize})")]
    private partial void LogWorkerRegistered(string instanceId, string peerAddress, long generation, int registered, int worldSize);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information,
        Message = "Worker {InstanceId} withdrew its registration for generation {Generation}")]
    private partial void LogRegistrationWithdrawn(string instanceId, long generation);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information,
        Message = "Generation {Generation} started with {WorldSize} ranks: {Peers}")]
    private partial void LogGenerationStarted(long generation, int worldSize, string peers);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Generation {Generation} ended: {Reason}")]
    private partial void LogGenerationEnded(long generation, string reason);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information,
        Message = "Checkpoint of step {Step} committed by every rank of generation {Generation}; saved to {Path}")]
    private partial void LogCheckpointCommitted(long step, long generation, string path);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Job {JobId} completed in generation {Generation}")]
    private partial void LogJobCompleted(string jobId, long generation);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning,
        Message = "Coordinator:AllowWorldSizeChange: resuming committed step {CommittedStep} of {CommittedWorldSize} workers with {WorldSize}; the workers re-shard the classifier")]
    private partial void LogWorldSizeChanged(long committedStep, int committedWorldSize, int worldSize);
}
