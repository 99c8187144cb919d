using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Leap.Coordinator;

/// <summary>
/// Refuses to start a coordinator whose <see cref="CoordinatorOptions.WorldSize"/> differs from the world size of the
/// job's latest committed checkpoint, unless <see cref="CoordinatorOptions.AllowWorldSizeChange"/> says the change is
/// meant: the workers would then re-shard the classifier from that checkpoint, which must never happen by accident
/// (a typo in --workers or a k8s manifest edited for another job).
/// </summary>
public sealed class WorldSizeChangeValidator : IValidateOptions<CoordinatorOptions>
{
    public ValidateOptionsResult Validate(string? name, CoordinatorOptions options) =>
        Refusal(options) is { } refusal ? ValidateOptionsResult.Fail(refusal) : ValidateOptionsResult.Success;

    /// <summary>Why <paramref name="options"/> may not run the job on its state directory, or null when it may.</summary>
    /// <remarks>Options the main validator refuses (job id, world size, state directory) and an unreadable state file are left to it and to <see cref="JobState"/>.</remarks>
    public static string? Refusal(CoordinatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.AllowWorldSizeChange || options.WorldSize < 1 || string.IsNullOrWhiteSpace(options.StateDirectory) || string.IsNullOrWhiteSpace(options.JobId))
        {
            return null;
        }
        var file = new CoordinatorStateFile(options.StateDirectory, options.JobId);
        CommittedCheckpoint? committed;
        try
        {
            committed = file.Load().LatestCommitted;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return committed is null || committed.WorldSize == options.WorldSize
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"{CoordinatorOptions.SectionName}:WorldSize is {options.WorldSize}, but job '{options.JobId}' last committed step {committed.Step} with {committed.WorldSize} workers ({file.Path}). " +
                $"Resuming with {options.WorldSize} workers re-shards the classifier from that checkpoint: set {CoordinatorOptions.SectionName}:AllowWorldSizeChange=true to do it on purpose (leap launch --reshard), " +
                $"or keep {committed.WorldSize} workers; a new job needs another {CoordinatorOptions.SectionName}:JobId or StateDirectory.");
    }
}
