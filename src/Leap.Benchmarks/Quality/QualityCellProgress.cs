using System.Text.Json;

namespace Leap.Benchmarks.Quality;

/// <summary>
/// What a quality cell has done besides its weights, saved inside each of its checkpoints so that a cell stopped by
/// Ctrl-C or a killed process resumes where its last checkpoint left it: the training seconds spent so far, the
/// learning-curve points already scored with the loss accumulated since the last one, and the steps it resumed at.
/// </summary>
/// <param name="TrainSeconds">Wall-clock training seconds of every earlier run of the cell up to this checkpoint.</param>
/// <param name="Curve">The curve's points and the loss sum and count since the last point.</param>
/// <param name="ResumedAtSteps">Steps at which earlier runs resumed (empty for a cell that never stopped).</param>
public sealed record QualityCellProgress(double TrainSeconds, QualityCurveState? Curve, IReadOnlyList<long> ResumedAtSteps)
{
    public const string FileName = "quality-cell.json";

    public static QualityCellProgress Fresh { get; } = new(0, null, []);

    public void Write(string checkpointDirectory) =>
        File.WriteAllText(Path.Combine(checkpointDirectory, FileName), JsonSerializer.Serialize(this));

    /// <summary>The progress saved in a checkpoint; a checkpoint without the file (not written by a quality cell) is refused.</summary>
    /// <exception cref="InvalidDataException">No or unreadable progress file.</exception>
    public static QualityCellProgress Read(string checkpointDirectory)
    {
        string path = Path.Combine(checkpointDirectory, FileName);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"Checkpoint {checkpointDirectory} has no {FileName}: it was not written by a quality cell; delete the folder to start the cell afresh.");
        }

        try
        {
            return JsonSerializer.Deserialize<QualityCellProgress>(File.ReadAllText(path))
                ?? throw new InvalidDataException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a quality cell's progress: {e.Message}", e);
        }
    }
}

/// <summary>A learning curve in progress: its points so far and the training loss accumulated since the last one.</summary>
public sealed record QualityCurveState(IReadOnlyList<QualityCurvePoint> Points, double LossSum, int LossCount);
