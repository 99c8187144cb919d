using Leap.Benchmarks.CentreLoad;

namespace Leap.Training.Tests.CentreBench;

/// <summary>The service's push latency read from its Prometheus histogram, with quantiles interpolated inside buckets.</summary>
public sealed class ServerPushLatencyTests
{
    private const string Exposition = """
        # HELP leap_centre_push_seconds Server-side time to apply (or recognise) one push.
        # TYPE leap_centre_push_seconds histogram
        leap_centre_push_seconds_sum 1.5
        leap_centre_push_seconds_count 100
        leap_centre_push_seconds_bucket{le="0.0005"} 0
        leap_centre_push_seconds_bucket{le="0.001"} 10
        leap_centre_push_seconds_bucket{le="0.002"} 60
        leap_centre_push_seconds_bucket{le="0.004"} 98
        leap_centre_push_seconds_bucket{le="0.008"} 100
        leap_centre_push_seconds_bucket{le="+Inf"} 100
        leap_centre_pushes_total{result="applied"} 100
        """;

    [Fact]
    public void FromPrometheusText_InterpolatesInsideTheBucketThatHoldsTheQuantile()
    {
        var latency = ServerPushLatency.FromPrometheusText(Exposition);

        Assert.NotNull(latency);
        Assert.Equal(100, latency.Count);
        // Rank 50 lies in (1 ms, 2 ms] holding ranks 11..60: 1 + (50 - 10) / 50 = 1.8 ms.
        Assert.Equal(1.8, latency.P50Milliseconds, 9);
        // Rank 99 lies in (4 ms, 8 ms] holding ranks 99..100: 4 + 4 x (99 - 98) / 2 = 6 ms.
        Assert.Equal(6.0, latency.P99Milliseconds, 9);
    }

    [Fact]
    public void FromPrometheusText_QuantileBeyondTheLastBound_IsThatBound()
    {
        string text = """
            leap_centre_push_seconds_bucket{le="0.001"} 1
            leap_centre_push_seconds_bucket{le="0.002"} 2
            leap_centre_push_seconds_bucket{le="+Inf"} 100
            """;

        Assert.Equal(2.0, ServerPushLatency.FromPrometheusText(text)!.P99Milliseconds, 9);
    }

    [Fact]
    public void FromPrometheusText_NoPushObserved_IsNull()
    {
        Assert.Null(ServerPushLatency.FromPrometheusText("leap_centre_push_seconds_bucket{le=\"+Inf\"} 0\nother_series 3\n"));
        Assert.Null(ServerPushLatency.FromPrometheusText(""));
    }

    [Fact]
    public void FromPrometheusText_BrokenBucketLine_Throws()
    {
        Assert.Throws<FormatException>(() => ServerPushLatency.FromPrometheusText("leap_centre_push_seconds_bucket{le=\"0.001} 3"));
    }
}
