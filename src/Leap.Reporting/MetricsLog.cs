using System.Text.Json;
using Leap.Training.Hooks;

namespace Leap.Reporting;

/// <summary>One training step of metrics.jsonl.</summary>
public sealed record TrainPoint(long Step, double Loss, double LearningRate, double ImagesPerSecond, int CloudClasses);

/// <summary>One evaluation of metrics.jsonl.</summary>
public sealed record ValidationPoint(long Step, double VerificationAccuracy, double HeadClassAccuracy, double TailClassAccuracy);

/// <summary>
/// The metrics.jsonl of a run (<see cref="MetricsJsonlHook"/>), in step order; when a resumed run wrote a step twice,
/// the last line of that step wins. A missing file reads as empty.
/// </summary>
public sealed record MetricsLog(IReadOnlyList<TrainPoint> Train, IReadOnlyList<ValidationPoint> Validation)
{
    public static MetricsLog Read(string runDirectory)
    {
        string path = Path.Combine(runDirectory, MetricsJsonlHook.FileName);
        var train = new SortedDictionary<long, TrainPoint>();
        var validation = new SortedDictionary<long, ValidationPoint>();
        if (!File.Exists(path))
        {
            return new MetricsLog([], []);
        }
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                long step = root.GetProperty("step").GetInt64();
                switch (root.GetProperty("kind").GetString())
                {
                    case "train":
                        train[step] = new TrainPoint(step, Number(root, "loss"), Number(root, "lr"), Number(root, "images_per_second"),
                            root.GetProperty("cloud_classes").GetInt32());
                        break;
                    case "validation":
                        validation[step] = new ValidationPoint(step, Number(root, "verification_accuracy"), Number(root, "head_class_accuracy"),
                            Number(root, "tail_class_accuracy"));
                        break;
                }
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                // The last line of a killed run can be cut short; every other line must parse.
                if (File.ReadLines(path).Skip(lineNumber).Any(l => !string.IsNullOrWhiteSpace(l)))
                {
                    throw new InvalidDataException($"{path} line {lineNumber} is not a metrics record: {e.Message}");
                }
            }
        }
        return new MetricsLog(train.Values.ToArray(), validation.Values.ToArray());
    }

    private static double Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : double.NaN;
}
