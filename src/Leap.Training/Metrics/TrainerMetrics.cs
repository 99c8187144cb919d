using Prometheus;

namespace Leap.Training.Metrics;

/// <summary>
/// The trainer's Prometheus series (one process = one rank, so no rank label: the scrape target tells them apart).
/// Updated by <see cref="Hooks.MetricsHook"/>; defined on an explicit registry so tests can read their own.
/// </summary>
public sealed class TrainerMetrics
{
    public TrainerMetrics(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        StepSeconds = factory.CreateHistogram("leap_train_step_seconds",
            "Wall-clock time of one training step (forward, collectives, backward, optimizer step).",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.005, 2, 14) });
        ImagesPerSecond = factory.CreateGauge("leap_train_images_per_second", "Images of the global batch per second, last step.");
        Loss = factory.CreateGauge("leap_train_loss", "Loss of the last step with a finite loss.");
        Step = factory.CreateGauge("leap_train_step", "Steps completed.");
        CloudClasses = factory.CreateGauge("leap_train_cloud_classes", "Classes that get a feature cloud (sigma_i^2 < sigma^2).");
        HeadClasses = factory.CreateGauge("leap_train_head_classes", "Head classes (more than Leap:HeadThreshold training samples).");
        DataWaitSeconds = factory.CreateHistogram("leap_train_data_wait_seconds",
            "Time a step waited for its batch from the prefetching loader (0 when decoding keeps ahead of training).",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });
        Validation = factory.CreateGauge("leap_validation_metric",
            "Last evaluation: verification_accuracy, head_class_accuracy, tail_class_accuracy and every evaluation set's metrics (set/metric).",
            new GaugeConfiguration { LabelNames = ["metric"] });
        NonFiniteSteps = factory.CreateCounter("leap_train_nonfinite_steps_total", "Steps skipped because the loss was NaN or infinite.");
    }

    public Histogram StepSeconds { get; }
    public Gauge ImagesPerSecond { get; }
    public Gauge Loss { get; }
    public Gauge Step { get; }
    public Gauge CloudClasses { get; }
    public Gauge HeadClasses { get; }
    public Histogram DataWaitSeconds { get; }
    public Counter NonFiniteSteps { get; }
    public Gauge Validation { get; }

    /// <summary>Sets <see cref="Validation"/> from an evaluation.</summary>
    public void Publish(Engine.EvaluationSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        Validation.WithLabels("verification_accuracy").Set(summary.Verification.Accuracy.Mean);
        Validation.WithLabels("head_class_accuracy").Set(summary.Classification.HeadMeanClassAccuracy);
        Validation.WithLabels("tail_class_accuracy").Set(summary.Classification.TailMeanClassAccuracy);
        foreach (var (name, value) in summary.Sets ?? new Dictionary<string, double>())
        {
            Validation.WithLabels(name).Set(value);
        }
    }
}
