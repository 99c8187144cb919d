using System.Text;
using System.Text.Json;
using Leap.Training.Engine;

namespace Leap.Training.Hooks;

/// <summary>
/// One JSON object per line in <c>metrics.jsonl</c> (what <c>leap report</c> plots): every completed step
/// <c>{"kind":"train","step" (completed steps),"epoch","loss","lr","images_per_second","cloud_classes","cloud_samples","overall_variance"}</c>
/// and every evaluation <c>{"kind":"validation","step","verification_accuracy","head_class_accuracy","tail_class_accuracy",
/// "head_spread","tail_spread"}</c> plus every evaluation set's "set/metric". Appended line by line, so a resumed run continues the file;
/// a run resumed from an earlier checkpoint first drops the lines of the steps after it, which it is about to redo, so
/// every step appears once. Non-finite numbers are written as null.
/// </summary>
public sealed class MetricsJsonlHook(string path, int batchSize) : ITrainingHook
{
    public const string FileName = "metrics.jsonl";

    public string Path { get; } = path;

    /// <summary>Drops the records of steps after the one the session starts from (they are redone), keeping the file otherwise.</summary>
    public void BeforeTrain(TrainingSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!File.Exists(Path))
        {
            return;
        }

        string[] lines = File.ReadAllLines(Path);
        string[] kept = lines.Where(l => StepOf(l) is not long step || step <= session.Step).ToArray();
        if (kept.Length == lines.Length)
        {
            return;
        }

        string temporary = Path + ".tmp";
        File.WriteAllLines(temporary, kept);
        File.Move(temporary, Path, overwrite: true);
    }

    private static long? StepOf(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("step", out JsonElement step) && step.TryGetInt64(out long value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void AfterStep(TrainingSession session, StepOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Skipped)
        {
            return;
        }
        var stats = session.Cloud.Source.Statistics;
        Append(w =>
        {
            w.WriteString("kind", "train");
            w.WriteNumber("step", session.Step);
            w.WriteNumber("epoch", outcome.Epoch);
            Number(w, "loss", outcome.Loss);
            Number(w, "lr", outcome.LearningRate);
            Number(w, "images_per_second", batchSize / Math.Max(outcome.Elapsed.TotalSeconds, 1e-9));
            w.WriteNumber("cloud_classes", stats.CloudClassCount());
            w.WriteNumber("cloud_samples", outcome.CloudSamples);
            Number(w, "overall_variance", stats.OverallVariance);
            if (outcome.Phases is { } phases)
            {
                w.WriteStartObject("phases_ms");
                foreach (var (phase, duration) in phases.Phases)
                {
                    w.WriteNumber(phase, Math.Round(duration.TotalMilliseconds, 3));
                }

                w.WriteEndObject();
            }
        });
    }

    /// <summary>Records an evaluation (periodic or final).</summary>
    public void WriteValidation(EvaluationSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        Append(w =>
        {
            w.WriteString("kind", "validation");
            w.WriteNumber("step", summary.Step);
            Number(w, "verification_accuracy", summary.Verification.Accuracy.Mean);
            Number(w, "head_class_accuracy", summary.Classification.HeadMeanClassAccuracy);
            Number(w, "tail_class_accuracy", summary.Classification.TailMeanClassAccuracy);
            Number(w, "head_spread", summary.AngularSpread.Head.Mean);
            Number(w, "tail_spread", summary.AngularSpread.Tail.Mean);
            foreach (var (name, value) in summary.Sets ?? new Dictionary<string, double>())
            {
                Number(w, name, value);
            }
        });
    }

    private static void Number(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private void Append(Action<Utf8JsonWriter> fields)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            fields(writer);
            writer.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        using var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
        buffer.WriteTo(file);
    }
}
