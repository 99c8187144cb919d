using Google.Protobuf;
using Grpc.Core;
using Leap.CentreService.Client;
using Leap.CentreService.Tests.Support;
using Leap.Contracts.V1;
using Leap.Core.Statistics;

namespace Leap.CentreService.Tests;

/// <summary>Functional tests: Kestrel on 127.0.0.1, real gRPC channels.</summary>
public sealed class CentreServiceGrpcTests
{
    private static readonly TimeSpan Timeout = KestrelCentreHost.Timeout;

    [Theory]
    [InlineData(LeapVariant.Vanilla, false, CentreUpdateRule.CentreLoss)]
    [InlineData(LeapVariant.Full, false, CentreUpdateRule.PaperEquation4)]
    [InlineData(LeapVariant.Vanilla, true, CentreUpdateRule.CentreLoss)]
    public async Task Push_SameStreamAsInProcessTracker_EqualCentresAndStatistics(LeapVariant variant, bool float32, CentreUpdateRule rule)
    {
        using var dir = new TempDirectory();
        var layout = TestData.SmallLayout(variant, rule: rule);
        await using var host = await KestrelCentreHost.StartAsync(dir.Path);
        var init = await host.Client.InitialiseAsync(layout).WaitAsync(Timeout);
        Assert.True(init.Created);
        using var tracker = TestData.Tracker(layout);
        var batches = TestData.Batches(seed: 7, count: 40, rows: 12, layout.Dimension, 0, layout.ClassCount);
        for (int step = 0; step < batches.Length; step++)
        {
            var reply = await host.Client.PushAsync(batches[step].ToRequest(step, float32)).WaitAsync(Timeout);
            Assert.False(reply.Duplicate);
            Assert.Equal(12, reply.Rows);
            batches[step].FeedTo(tracker, step, float32);
        }
        var stats = await host.Client.GetCloudStatisticsAsync().WaitAsync(Timeout);
        var (ids, values, initialised) = await host.Client.GetCentresAsync().WaitAsync(Timeout);
        TestData.AssertEqual(tracker, ToView(stats), new CentresView(ids, layout.Dimension, values, initialised));
        Assert.Equal(40, stats.Pushes);
        Assert.Equal(39, stats.LastStep);
        Assert.Equal(tracker.Statistics.CloudClassCount(), stats.CloudClassCount);
        Assert.False(double.IsNaN(stats.OverallVariance));
        host.Log.AssertNoErrors();
    }

    public static TheoryData<string, Func<PushRequest, PushRequest>> InvalidPushes => new()
    {
        { "feature dimension 15", r => Reshape(r, 12, 15, trimTo: 12 * 15) },
        { "unknown class id 30", r => WithLabel(r, 3, 30) },
        { "unknown class id -1", r => WithLabel(r, 0, -1) },
        { "non-finite value (NaN) at row 2, column 5", r => WithFeature(r, (2 * 16) + 5, double.NaN) },
        { "non-finite value (Infinity) at row 0, column 0", r => WithFeature(r, 0, double.PositiveInfinity) },
        { "features row 1 has an L2 norm too large to normalise", r => WithFeature(r, 16 + 3, 1e200) },
        { "features row 2 has an L2 norm too large to normalise", r => WithFeature(WithFeature(r, 32, 1e154), 33, 1e154) },
        { "11 labels for 12 feature rows", r => { var x = r.Clone(); x.Labels = TensorBytesCodec.Int64(Labels(r)[..11]); return x; } },
        { "labels dtype must be int64", r => { var x = r.Clone(); x.Labels.Dtype = "float64"; return x; } },
        { "request_id must be 1 to 128 characters", r => { var x = r.Clone(); x.RequestId = ""; return x; } },
        { "shape [12, 16] of float64 needs", r => { var x = r.Clone(); x.Features.Data = ByteString.CopyFrom(x.Features.Data.Span[..^8]); return x; } },
    };

    [Theory]
    [MemberData(nameof(InvalidPushes))]
    public async Task Push_InvalidRequest_InvalidArgumentNamingProblemAndStateUnchanged(string problem, Func<PushRequest, PushRequest> corrupt)
    {
        ArgumentNullException.ThrowIfNull(corrupt);
        using var dir = new TempDirectory();
        var layout = TestData.SmallLayout();
        await using var host = await KestrelCentreHost.StartAsync(dir.Path, layout);
        var batches = TestData.Batches(seed: 3, count: 3, rows: 12, layout.Dimension, 0, layout.ClassCount);
        await host.Client.PushAsync(batches[0].ToRequest(0)).WaitAsync(Timeout);
        await host.Client.PushAsync(batches[1].ToRequest(1)).WaitAsync(Timeout);
        var before = await host.Client.GetCloudStatisticsAsync().WaitAsync(Timeout);
        var centresBefore = await host.Client.GetCentresAsync().WaitAsync(Timeout);

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.Raw.PushAsync(corrupt(batches[2].ToRequest(2))).ResponseAsync.WaitAsync(Timeout));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(problem, error.Status.Detail, StringComparison.Ordinal);
        var after = await host.Client.GetCloudStatisticsAsync().WaitAsync(Timeout);
        var centresAfter = await host.Client.GetCentresAsync().WaitAsync(Timeout);
        Assert.Equal(before, after);
        Assert.Equal(centresBefore.Values, centresAfter.Values);
        Assert.Equal(2, after.Pushes);
        host.Log.AssertNoErrors();
    }

    [Fact]
    public async Task Push_SameRequestIdRetried_AppliedOnceAndReplyMarkedDuplicate()
    {
        using var dir = new TempDirectory();
        var layout = TestData.SmallLayout();
        await using var host = await KestrelCentreHost.StartAsync(dir.Path, layout);
        var batch = TestData.Batches(seed: 5, count: 1, rows: 12, layout.Dimension, 0, layout.ClassCount)[0];
        var request = batch.ToRequest(0, requestId: "retry-me");

        var first = await host.Client.PushAsync(request).WaitAsync(Timeout);
        var second = await host.Client.PushAsync(request).WaitAsync(Timeout);

        Assert.False(first.Duplicate);
        Assert.True(second.Duplicate);
        Assert.Equal(first.Sequence, second.Sequence);
        using var tracker = TestData.Tracker(layout);
        batch.FeedTo(tracker, 0);
        var stats = await host.Client.GetCloudStatisticsAsync().WaitAsync(Timeout);
        var (ids, values, initialised) = await host.Client.GetCentresAsync().WaitAsync(Timeout);
        TestData.AssertEqual(tracker, ToView(stats), new CentresView(ids, layout.Dimension, values, initialised));
        Assert.Equal(1, stats.Pushes);
    }

    [Fact]
    public async Task Initialise_IdenticalLayoutTwice_SecondIsNoOp()
    {
        using var dir = new TempDirectory();
        await using var host = await KestrelCentreHost.StartAsync(dir.Path);
        var layout = TestData.SmallLayout();
        Assert.True((await host.Client.InitialiseAsync(layout).WaitAsync(Timeout)).Created);
        var again = await host.Client.InitialiseAsync(TestData.SmallLayout()).WaitAsync(Timeout);
        Assert.False(again.Created);
        Assert.Equal(30, again.ClassCount);
    }

    [Fact]
    public async Task Initialise_DifferentLayout_FailedPreconditionNamingDifference()
    {
        using var dir = new TempDirectory();
        await using var host = await KestrelCentreHost.StartAsync(dir.Path, TestData.SmallLayout());
        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.InitialiseAsync(TestData.SmallLayout(dimension: 32)).WaitAsync(Timeout));
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("dimension 32 differs from the held 16", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_BeforeInitialise_FailedPrecondition()
    {
        using var dir = new TempDirectory();
        await using var host = await KestrelCentreHost.StartAsync(dir.Path);
        var batch = TestData.Batches(seed: 1, count: 1, rows: 4, 16, 0, 30)[0];
        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.PushAsync(batch.ToRequest(0)).WaitAsync(Timeout));
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("not initialised", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetClassStatistics_UnknownClass_InvalidArgument()
    {
        using var dir = new TempDirectory();
        await using var host = await KestrelCentreHost.StartAsync(dir.Path, TestData.SmallLayout());
        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.GetClassStatisticsAsync([2, 99]).WaitAsync(Timeout));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("unknown class id 99", error.Status.Detail, StringComparison.Ordinal);
    }

    internal static CloudStatisticsView ToView(CloudStatisticsReply r) => new(
        r.ClassIds.ToArray(), r.ClassVariance.ToArray(), r.AlphaStd.ToArray(), r.AngleCount.ToArray(), r.SamplesPerClass.ToArray(),
        r.OverallVariance, r.Pushes, r.LastStep, r.CloudClassCount);

    private static long[] Labels(PushRequest r) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(r.Labels.Data.Span).ToArray();

    private static PushRequest WithLabel(PushRequest r, int row, long label)
    {
        var labels = Labels(r);
        labels[row] = label;
        var x = r.Clone();
        x.Labels = TensorBytesCodec.Int64(labels);
        return x;
    }

    private static PushRequest WithFeature(PushRequest r, int index, double value)
    {
        var values = TensorBytesCodec.ToDoubles(r.Features);
        values[index] = value;
        var x = r.Clone();
        x.Features = TensorBytesCodec.Float64(values, r.Features.Shape.ToArray());
        return x;
    }

    private static PushRequest Reshape(PushRequest r, int rows, int columns, int trimTo)
    {
        var x = r.Clone();
        x.Features = TensorBytesCodec.Float64(TensorBytesCodec.ToDoubles(r.Features)[..trimTo], rows, columns);
        return x;
    }
}
