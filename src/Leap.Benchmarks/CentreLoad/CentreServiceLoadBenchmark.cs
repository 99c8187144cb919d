using System.Diagnostics;
using Leap.CentreService;
using Leap.CentreService.Client;
using Leap.Contracts.V1;
using Leap.Core.Statistics;
using Leap.Security;

namespace Leap.Benchmarks.CentreLoad;

/// <summary>What one load run measured.</summary>
public sealed record CentreLoadBenchmarkResult(
    int Clients, long Pushes, long Failures, TimeSpan Elapsed, double PushesPerSecond, double RowsPerSecond,
    TimeSpan P50, TimeSpan P99, TimeSpan Max);

/// <summary>
/// Load on a running centre service, shaped like the paper's face protocol &lt;H5K,T20K&gt;: by default 5,000 head
/// classes with 100 samples and 20,000 tail classes with 5, D = 512, 512 feature rows per push. Each client plays a
/// worker that owns a balanced contiguous shard of the classes (as in the design: a worker pushes only the classes
/// it owns) and pushes random float32 features of uniformly drawn classes of its shard for <c>duration</c>: back to
/// back (a closed loop: latency is then mostly queueing, clients / throughput), or every <c>pushInterval</c> on a fixed
/// schedule (an open loop, as workers push once per refresh interval). Latency is a push's round trip including the
/// service's fsync. Not a unit test: the `leap bench`
/// command (or a test marked explicit) calls it.
/// </summary>
public static class CentreServiceLoadBenchmark
{
    public static async Task<CentreLoadBenchmarkResult> RunAsync(
        string address, int clients = 8, int headClasses = 5000, int headSamples = 100, int tailClasses = 20000,
        int tailSamples = 5, int dimension = 512, int featuresPerPush = 512, TimeSpan? duration = null,
        int headThreshold = 20, bool initialise = true, int seed = 1, ClientSecurity? security = null, TimeSpan pushInterval = default,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pushInterval, TimeSpan.Zero);
        ArgumentException.ThrowIfNullOrEmpty(address);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clients);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featuresPerPush);
        int classes = headClasses + tailClasses;
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, clients);
        var samples = Enumerable.Repeat(headSamples, headClasses).Concat(Enumerable.Repeat(tailSamples, tailClasses)).ToArray();
        security ??= ClientSecurity.None;
        using var channel = security.CreateChannel(new Uri(address), GrpcMessageLimits.CentreService);
        var client = new CentreServiceClient(security.CallInvoker(channel));
        if (initialise)
        {
            var layout = new CentreLayout(samples, dimension, new CentreTrackerSettings(LeapVariant.Vanilla, headThreshold));
            await client.InitialiseAsync(layout, cancellationToken).ConfigureAwait(false);
        }
        var run = duration ?? TimeSpan.FromSeconds(30);
        var latencies = new List<double>[clients];
        long failures = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(rank => Task.Run(async () =>
        {
            int start = (classes / clients * rank) + Math.Min(rank, classes % clients);
            int count = (classes / clients) + (rank < classes % clients ? 1 : 0);
            var requests = Prepare(seed + rank, start, count, dimension, featuresPerPush, batches: 4);
            var mine = latencies[rank] = [];
            var watch = new Stopwatch();
            // Paced clients start spread over one interval, so their pushes do not arrive in bursts.
            var offset = pushInterval * rank / clients;
            for (long step = 0; clock.Elapsed < run && !cancellationToken.IsCancellationRequested; step++)
            {
                var due = offset + (pushInterval * step);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed, cancellationToken).ConfigureAwait(false);
                }
                var request = requests[(int)(step % requests.Length)].Clone();
                request.RequestId = Guid.NewGuid().ToString("N");
                request.Step = step;
                watch.Restart();
                try
                {
                    await client.PushAsync(request, cancellationToken).ConfigureAwait(false);
                    mine.Add(watch.Elapsed.TotalMilliseconds);
                }
                catch (Grpc.Core.RpcException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new CentreLoadBenchmarkResult(
            clients, all.Length, failures, elapsed, all.Length / elapsed.TotalSeconds, all.Length * (double)featuresPerPush / elapsed.TotalSeconds,
            Percentile(all, 0.50), Percentile(all, 0.99), all.Length == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(all[^1]));
    }

    private static PushRequest[] Prepare(int seed, int start, int count, int dimension, int rows, int batches)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, batches).Select(_ =>
        {
            var features = new float[rows * dimension];
            for (int i = 0; i < features.Length; i++)
            {
                features[i] = (float)((random.NextDouble() * 2) - 1);
            }
            var labels = Enumerable.Range(0, rows).Select(_ => (long)(start + random.Next(count))).ToArray();
            return new PushRequest { Features = TensorBytesCodec.Float32(features, rows, dimension), Labels = TensorBytesCodec.Int64(labels) };
        }).ToArray();
    }

    private static TimeSpan Percentile(double[] sorted, double q) => sorted.Length == 0
        ? TimeSpan.Zero
        : TimeSpan.FromMilliseconds(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)]);
}
