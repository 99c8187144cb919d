using Leap.CentreService.Tests.Support;

namespace Leap.CentreService.Tests;

/// <summary>The shared token with the real `leap centre-service` and `leap stats` processes (Serilog on their consoles).</summary>
public sealed class CentreServiceCommandAuthTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private const string WrongToken = "wrong-token-8e21b7";

    private static readonly Dictionary<string, string?> NoToken = new() { ["LEAP_AUTH_TOKEN"] = null, ["LEAP_AUTH_TOKEN_FILE"] = null, ["LEAP_Auth__Disabled"] = null };

    [Fact]
    public async Task CentreService_NoTokenConfigured_ExitsTwoNamingTheVariablesAndTheOptOut()
    {
        using var dir = new TempDirectory();

        var (code, output, error) = await LeapCliProcess.RunAsync(Timeout, NoToken, "centre-service", "--port", "0", "--set", $"CentreService:StateDirectory={dir.Path}");

        Assert.True(code == 2, $"exit {code}\n{output}\n{error}");
        Assert.Contains("No shared token: set LEAP_AUTH_TOKEN or LEAP_AUTH_TOKEN_FILE", error, StringComparison.Ordinal);
        Assert.Contains("Auth:Disabled=true", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CentreService_TokenGivenWithSet_ExitsTwoWithoutEchoingIt()
    {
        using var dir = new TempDirectory();

        var (code, output, error) = await LeapCliProcess.RunAsync(Timeout, NoToken, "centre-service", "--port", "0",
            "--set", $"CentreService:StateDirectory={dir.Path}", "--set", $"Auth:Token={WrongToken}");

        Assert.True(code == 2, $"exit {code}\n{output}\n{error}");
        Assert.Contains("use LEAP_AUTH_TOKEN or LEAP_AUTH_TOKEN_FILE", error, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongToken, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CentreService_HealthCheckWithoutToken_ServingBecauseKubernetesProbesCannotSendOne()
    {
        using var dir = new TempDirectory();
        await using var service = await CentreServiceProcess.StartAsync(Path.Combine(dir.Path, "state"), Timeout);
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(service.Address);

        var reply = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new Grpc.Health.V1.HealthCheckRequest())
            .ResponseAsync.WaitAsync(Timeout);

        Assert.StartsWith("http://127.0.0.1:", service.Address, StringComparison.Ordinal);
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task AuthenticatedRun_StatsWithRightWrongAndNoToken_TokensNeverInLogsOrCommandLines()
    {
        using var dir = new TempDirectory();
        string tokenFile = Path.Combine(dir.Path, "token");
        await File.WriteAllTextAsync(tokenFile, TestAuth.Token + "\n");
        await using var service = await CentreServiceProcess.StartAsync(Path.Combine(dir.Path, "state"), Timeout);
        string commandLine = (await File.ReadAllTextAsync($"/proc/{service.ProcessId}/cmdline")).Replace('\0', ' ');
        string authority = new Uri(service.Address).Authority;

        var right = await LeapCliProcess.RunAsync(Timeout, "stats", "--service", authority, "--json");
        var fromFile = await LeapCliProcess.RunAsync(Timeout, new Dictionary<string, string?> { ["LEAP_AUTH_TOKEN_FILE"] = tokenFile }, "stats", "--service", authority, "--json");
        var wrong = await LeapCliProcess.RunAsync(Timeout, new Dictionary<string, string?> { ["LEAP_AUTH_TOKEN"] = WrongToken }, "stats", "--service", authority);
        var none = await LeapCliProcess.RunAsync(Timeout, NoToken, "stats", "--service", authority);

        Assert.True(right.ExitCode == 0, $"exit {right.ExitCode}\n{right.Output}\n{right.Error}");
        Assert.True(fromFile.ExitCode == 0, $"exit {fromFile.ExitCode}\n{fromFile.Output}\n{fromFile.Error}");
        Assert.True(wrong.ExitCode == 1, $"exit {wrong.ExitCode}\n{wrong.Output}\n{wrong.Error}");
        Assert.Contains("refused the call (PermissionDenied)", wrong.Error, StringComparison.Ordinal);
        Assert.True(none.ExitCode == 1, $"exit {none.ExitCode}\n{none.Output}\n{none.Error}");
        Assert.Contains("refused the call (Unauthenticated)", none.Error, StringComparison.Ordinal);
        // The refusals are logged by the service process as the calls are answered; its output may reach us a little later.
        string serviceLog = await LogContainingAsync(service, ["wrong shared token", "no shared token"], Timeout);
        Assert.Contains("wrong shared token", serviceLog, StringComparison.Ordinal);
        Assert.Contains("no shared token", serviceLog, StringComparison.Ordinal);
        Assert.Contains("centre-service", commandLine, StringComparison.Ordinal);
        foreach (string token in new[] { TestAuth.Token, WrongToken })
        {
            foreach (var (what, text) in new[]
                     {
                         ("the service's log", serviceLog), ("its command line", commandLine), ("stats output", right.Output + right.Error),
                         ("stats (file) output", fromFile.Output + fromFile.Error), ("stats (wrong) output", wrong.Output + wrong.Error),
                         ("stats (none) output", none.Output + none.Error),
                     })
            {
                Assert.False(text.Contains(token, StringComparison.Ordinal), $"a token appeared in {what}:\n{text}");
            }
        }
    }

    /// <summary>The service's output once it holds every one of <paramref name="expected"/>, or as it is at the deadline.</summary>
    private static async Task<string> LogContainingAsync(CentreServiceProcess service, string[] expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            string log = string.Join('\n', service.Output);
            if (expected.All(e => log.Contains(e, StringComparison.Ordinal)) || DateTime.UtcNow > deadline)
            {
                return log;
            }

            await Task.Delay(50);
        }
    }
}
