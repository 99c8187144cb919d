using System.Net;
using System.Net.Sockets;
using Leap.Worker;
using Leap.Collectives;
using Leap.Collectives.InProcess;
using Leap.Core.Statistics;
using Leap.Training.Configuration;
using Leap.Training.Data;
using Leap.Training.Engine;
using Leap.Training.Hooks;
using Leap.Training.Metrics;
using Prometheus;
using static TorchSharp.torch;

namespace Leap.Training.Tests;

/// <summary>The worker-side Prometheus series: trainer hook, metered collectives and the worker's /metrics server.</summary>
public sealed class TrainerMetricsTests : IDisposable
{
    private static readonly int[] Counts = [40, 30, 25, 4, 3, 3];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "leap-metrics-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private TrainingOptions Options() => new()
    {
        Seed = 3,
        BatchSize = 16,
        Steps = 6,
        OutputDirectory = _root,
        Threads = 1,
        Model = { EmbeddingDimension = 8 },
        Leap = { Variant = LeapVariant.Full, HeadThreshold = 20, CloudStartIteration = 0 },
        Schedule = { Kind = ScheduleKind.Constant, WarmupSteps = 0 },
        Checkpoint = { EverySteps = 0 },
    };

    [Fact]
    public async Task MetricsHook_SixSteps_PublishesStepTimesLossThroughputAndClassCounts()
    {
        set_num_threads(1);
        var options = Options();
        using var data = SyntheticData.LongTailed(Counts, seed: 3);
        using var session = new TrainingSession(options, data.SamplesPerClass(), data.Shape, CPU);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var recorder = new LastOutcome();
        var hooks = new ITrainingHook[] { new CentreRefreshHook(), new MetricsHook(new TrainerMetrics(registry)), recorder };

        new Trainer(session, new LocalStep(session, new ImageSetBatches(data, new EpochPlan(options.Seed, data.Count, options.BatchSize)), new EpochPlan(options.Seed, data.Count, options.BatchSize)), hooks).Run();
        string scrape = await PrometheusText.ExportAsync(registry);

        Assert.Equal(6, PrometheusText.Value(scrape, "leap_train_step_seconds_count"));
        Assert.Equal(6, PrometheusText.Value(scrape, "leap_train_step"));
        Assert.Equal(recorder.Loss, PrometheusText.Value(scrape, "leap_train_loss"), 5);
        Assert.True(PrometheusText.Value(scrape, "leap_train_images_per_second") > 0, "throughput must be positive");
        Assert.Equal(3, PrometheusText.Value(scrape, "leap_train_head_classes")); // K_i > 20: the classes with 40, 30, 25 images
        Assert.Equal(session.Cloud.Source.Statistics.CloudClassCount(), PrometheusText.Value(scrape, "leap_train_cloud_classes"));
        Assert.Equal(0, PrometheusText.Value(scrape, "leap_train_nonfinite_steps_total"));
    }

    [Fact]
    public async Task MeteredCollectives_AllReduceAndAllGather_CountBytesCallsAndTimePerOperation()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = new CollectiveMetrics(registry);
        var group = InProcessCollectives.Create(2);
        try
        {
            await Task.WhenAll(group.Select(async rank =>
            {
                ICollectives metered = new MeteredCollectives(rank, metrics);
                using var values = ones(1000, dtype: ScalarType.Float32);
                await metered.AllReduceAsync(values, ReduceOp.Sum);
                using var gathered = await metered.AllGatherAsync(values);
            })).WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            foreach (var rank in group)
            {
                await rank.DisposeAsync();
            }
        }
        string scrape = await PrometheusText.ExportAsync(registry);

        Assert.Equal(2 * 4000, PrometheusText.Value(scrape, "leap_collective_bytes_total{operation=\"all_reduce\"}"));
        Assert.Equal(2 * 4000, PrometheusText.Value(scrape, "leap_collective_bytes_total{operation=\"all_gather\"}"));
        Assert.Equal(2, PrometheusText.Value(scrape, "leap_collective_calls_total{operation=\"all_reduce\"}"));
        Assert.True(PrometheusText.Value(scrape, "leap_collective_seconds_total{operation=\"all_reduce\"}") > 0, "all-reduce time must be positive");
    }

    [Fact]
    public async Task WorkerMetrics_StartedOnAPort_ServesTrainerSeriesOverHttp()
    {
        int port = FreeLoopbackPort();
        var registry = Prometheus.Metrics.NewCustomRegistry();
        using var metrics = WorkerMetrics.Start(port, "127.0.0.1", registry);
        metrics.Trainer.NonFiniteSteps.Inc(2);
        metrics.CentreClient.Push.Observe(0.25);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        string scrape = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));

        Assert.Equal(2, PrometheusText.Value(scrape, "leap_train_nonfinite_steps_total"));
        Assert.Equal(1, PrometheusText.Value(scrape, "leap_centre_client_seconds_count{operation=\"push\"}"));
        Assert.Equal(0, PrometheusText.Value(scrape, "leap_centre_client_seconds_count{operation=\"pull\"}"));
        Assert.Equal(0, PrometheusText.Value(scrape, "leap_train_step_seconds_count"));
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class LastOutcome : ITrainingHook
    {
        public double Loss { get; private set; } = double.NaN;

        public void AfterStep(TrainingSession session, StepOutcome outcome) => Loss = outcome.Loss;
    }
}
