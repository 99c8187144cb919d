using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Leap.Coordinator.Client;
using Leap.Coordinator.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Leap.Coordinator.Tests.Functional;

/// <summary>The shared token on the coordinator: Kestrel on 127.0.0.1, real channels, the production wiring.</summary>
public sealed class CoordinatorAuthTests : IDisposable
{
    private static readonly CoordinatorClientOptions NoRetry = new() { MaxAttempts = 1, CallTimeout = TimeSpan.FromSeconds(10) };
    private readonly TemporaryDirectory _state = new();

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task Register_NoToken_UnauthenticatedAndNobodyRegisters()
    {
        await using var host = await CoordinatorTestHost.StartAsync(TestOptions.Settings(_state.Path, worldSize: 1));
        var intruder = host.CreateClient(NoRetry, token: CoordinatorTestHost.NoToken);

        var refused = await Assert.ThrowsAsync<RpcException>(() => intruder.RegisterAsync(TestOptions.JobId, 1, "127.0.0.1:30000").Within("the refusal"));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        var status = await host.CreateClient().GetStatusAsync().Within("the status");
        Assert.Equal((0, 0), (status.RegisteredWorkers, status.Ranks.Count));
        var worker = await host.CreateClient(NoRetry).RegisterAsync(TestOptions.JobId, 1, "127.0.0.1:30001").Within("the real registration");
        Assert.Equal((0, 1L), (worker.Rank, worker.Generation));
        Assert.Equal(["127.0.0.1:30001"], await host.CreateClient().GetPeersAsync(1).Within("the address book"));
    }

    [Fact]
    public async Task Register_WrongToken_PermissionDeniedAndNobodyRegisters()
    {
        await using var host = await CoordinatorTestHost.StartAsync(TestOptions.Settings(_state.Path, worldSize: 1));
        var intruder = host.CreateClient(NoRetry, token: "not-the-job-token");

        var refused = await Assert.ThrowsAsync<RpcException>(() => intruder.RegisterAsync(TestOptions.JobId, 1, "127.0.0.1:30000").Within("the refusal"));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        var status = await host.CreateClient().GetStatusAsync().Within("the status");
        Assert.Equal((0, 0), (status.RegisteredWorkers, status.Ranks.Count));
        var worker = await host.CreateClient(NoRetry).RegisterAsync(TestOptions.JobId, 1, "127.0.0.1:30001").Within("the real registration");
        Assert.Equal((0, 1L), (worker.Rank, worker.Generation));
        Assert.Equal(["127.0.0.1:30001"], await host.CreateClient().GetPeersAsync(1).Within("the address book"));
    }

    [Fact]
    public async Task Register_RightToken_GetsRankZero()
    {
        await using var host = await CoordinatorTestHost.StartAsync(TestOptions.Settings(_state.Path, worldSize: 1));

        var reply = await host.CreateClient(NoRetry).RegisterAsync(TestOptions.JobId, 1, "127.0.0.1:30000").Within("the registration");

        Assert.Equal((0, 1L), (reply.Rank, reply.Generation));
    }

    [Fact]
    public async Task Heartbeat_WrongToken_PermissionDeniedAndStepUnchanged()
    {
        await using var host = await CoordinatorTestHost.StartAsync(TestOptions.Settings(_state.Path, worldSize: 1));
        var worker = host.CreateClient(NoRetry);
        await worker.RegisterAsync(TestOptions.JobId, 1, "127.0.0.1:30000").Within("the registration");
        await worker.HeartbeatAsync(1, 0, step: 5).Within("the heartbeat");

        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            host.CreateClient(NoRetry, token: "x" + TestOptions.Token).HeartbeatAsync(1, 0, step: 99).Within("the refusal"));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        var status = await worker.GetStatusAsync().Within("the status");
        Assert.Equal(5L, Assert.Single(status.Ranks).Step);
    }

    [Fact]
    public async Task Health_NoToken_ServingBecauseProbesCannotSendOne()
    {
        await using var host = await CoordinatorTestHost.StartAsync(TestOptions.Settings(_state.Path));
        using var channel = GrpcChannel.ForAddress(host.Address);

        var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest()).ResponseAsync.Within("the health check");

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task StartAsync_NoTokenConfigured_FailsNamingTheVariablesAndTheOptOut()
    {
        var settings = TestOptions.Settings(_state.Path);
        settings.Remove("Auth:Token");

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => CoordinatorTestHost.StartAsync(settings));

        Assert.Contains("LEAP_AUTH_TOKEN or LEAP_AUTH_TOKEN_FILE", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Auth:Disabled=true", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_TokenFileMissing_FailsNamingTheKey()
    {
        var settings = TestOptions.Settings(_state.Path);
        settings.Remove("Auth:Token");
        settings["Auth:TokenFile"] = Path.Combine(_state.Path, "no-such-token");

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => CoordinatorTestHost.StartAsync(settings));

        Assert.Contains("Auth:TokenFile (LEAP_AUTH_TOKEN_FILE)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_TokenFromFile_RightTokenWorksAndNoneIsRefused()
    {
        string file = Path.Combine(_state.Path, "token");
        await File.WriteAllTextAsync(file, TestOptions.Token + "\n");
        var settings = TestOptions.Settings(_state.Path, worldSize: 1);
        settings.Remove("Auth:Token");
        settings["Auth:TokenFile"] = file;
        await using var host = await CoordinatorTestHost.StartAsync(settings);

        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            host.CreateClient(NoRetry, token: CoordinatorTestHost.NoToken).GetStatusAsync().Within("the refusal"));
        var reply = await host.CreateClient(NoRetry).RegisterAsync(TestOptions.JobId, 1, "127.0.0.1:30000").Within("the registration");

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Equal(0, reply.Rank);
    }

    [Fact]
    public async Task Register_AuthDisabled_ServesCallersWithoutToken()
    {
        var settings = TestOptions.Settings(_state.Path, worldSize: 1);
        settings.Remove("Auth:Token");
        settings["Auth:Disabled"] = "true";
        await using var host = await CoordinatorTestHost.StartAsync(settings);

        var reply = await host.CreateClient(NoRetry, token: CoordinatorTestHost.NoToken).RegisterAsync(TestOptions.JobId, 1, "127.0.0.1:30000")
            .Within("the registration");

        Assert.Equal(0, reply.Rank);
    }
}
