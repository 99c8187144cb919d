using Grpc.Core;
using Leap.CentreService.Client;
using Leap.CentreService.Tests.Support;
using Leap.Contracts.V1;
using Leap.Security;

namespace Leap.CentreService.Tests;

/// <summary>The shared token on the centre service: Kestrel on 127.0.0.1, real channels.</summary>
public sealed class CentreServiceAuthTests
{
    private static readonly TimeSpan Timeout = KestrelCentreHost.Timeout;

    public static TheoryData<string?, StatusCode> Intruders => new()
    {
        { null, StatusCode.Unauthenticated },
        { "not-the-job-token", StatusCode.PermissionDenied },
        { TestAuth.Token + "x", StatusCode.PermissionDenied },
    };

    [Theory]
    [MemberData(nameof(Intruders))]
    public async Task Push_WithoutTheToken_RefusedAndStatisticsAndCentresUnchanged(string? token, StatusCode expected)
    {
        using var dir = new TempDirectory();
        var layout = TestData.SmallLayout();
        await using var host = await KestrelCentreHost.StartAsync(dir.Path, layout);
        var batches = TestData.Batches(seed: 3, count: 2, rows: 12, layout.Dimension, 0, layout.ClassCount);
        await host.Client.PushAsync(batches[0].ToRequest(0)).WaitAsync(Timeout);
        var before = await host.Client.GetCloudStatisticsAsync().WaitAsync(Timeout);
        var centresBefore = await host.Client.GetCentresAsync().WaitAsync(Timeout);
        var intruder = new CentreServiceClient(Security(token).CallInvoker(host.Channel), maxRetries: 0, attemptTimeout: Timeout);

        var error = await Assert.ThrowsAsync<RpcException>(() => intruder.PushAsync(batches[1].ToRequest(1)).WaitAsync(Timeout));

        Assert.Equal(expected, error.StatusCode);
        var after = await host.Client.GetCloudStatisticsAsync().WaitAsync(Timeout);
        var centresAfter = await host.Client.GetCentresAsync().WaitAsync(Timeout);
        Assert.Equal(before, after);
        Assert.Equal(centresBefore.Values, centresAfter.Values);
        Assert.Equal(1, after.Pushes);
        host.Log.AssertNoErrors();
    }

    [Theory]
    [MemberData(nameof(Intruders))]
    public async Task Queries_WithoutTheToken_Refused(string? token, StatusCode expected)
    {
        using var dir = new TempDirectory();
        await using var host = await KestrelCentreHost.StartAsync(dir.Path, TestData.SmallLayout());
        var intruder = new CentreServiceClient(Security(token).CallInvoker(host.Channel), maxRetries: 0, attemptTimeout: Timeout);

        var summary = await Assert.ThrowsAsync<RpcException>(() => intruder.GetSummaryAsync().WaitAsync(Timeout));
        using var watch = intruder.Raw.WatchSummary(new WatchSummaryRequest());
        var stream = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext().WaitAsync(Timeout));

        Assert.Equal((expected, expected), (summary.StatusCode, stream.StatusCode));
    }

    [Fact]
    public async Task Push_RightToken_Applied()
    {
        using var dir = new TempDirectory();
        var layout = TestData.SmallLayout();
        await using var host = await KestrelCentreHost.StartAsync(dir.Path, layout);
        var batch = TestData.Batches(seed: 3, count: 1, rows: 12, layout.Dimension, 0, layout.ClassCount)[0];

        var reply = await host.Client.PushAsync(batch.ToRequest(0)).WaitAsync(Timeout);

        Assert.Equal(12, reply.Rows);
        Assert.Equal(1, (await host.Client.GetCloudStatisticsAsync().WaitAsync(Timeout)).Pushes);
    }

    [Fact]
    public async Task Initialise_WrongToken_NoLayoutCreated()
    {
        using var dir = new TempDirectory();
        await using var host = await KestrelCentreHost.StartAsync(dir.Path);
        var intruder = new CentreServiceClient(Security("wrong-token-0c5e3a9d").CallInvoker(host.Channel), maxRetries: 0, attemptTimeout: Timeout);

        var error = await Assert.ThrowsAsync<RpcException>(() => intruder.InitialiseAsync(TestData.SmallLayout()).WaitAsync(Timeout));
        var init = await host.Client.InitialiseAsync(TestData.SmallLayout()).WaitAsync(Timeout);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.True(init.Created, "the refused Initialise must not have created the layout");
    }

    private static ClientSecurity Security(string? token) => token is null ? ClientSecurity.None : new ClientSecurity(SharedToken.From(token));
}
