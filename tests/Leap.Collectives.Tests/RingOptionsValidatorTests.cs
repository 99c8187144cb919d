using Leap.Collectives.Ring;

namespace Leap.Collectives.Tests;

public sealed class RingOptionsValidatorTests
{
    [Fact]
    public void Validate_DefaultsWithAddresses_Succeeds()
    {
        var options = new RingOptions { Addresses = ["10.0.0.1:5000", "worker-1.leap:5000", "[::1]:5001"], Rank = 2 };

        var result = new RingOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_EveryKeyWrong_ReportsEachKeyByName()
    {
        var options = new RingOptions
        {
            Addresses = ["10.0.0.1:5000", "no-port", "10.0.0.1:5000", "host:0"],
            Rank = 4,
            ChunkBytes = 10,
            ExchangeTimeout = TimeSpan.Zero,
            ConnectTimeout = TimeSpan.FromSeconds(-1),
            HandshakeTimeout = TimeSpan.Zero,
        };

        var failures = new RingOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.StartsWith("Ring:Addresses:1 = 'no-port'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Ring:Addresses:3 = 'host:0'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Ring:Addresses lists '10.0.0.1:5000' more than once", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Ring:Rank = 4", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Ring:ChunkBytes = 10", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Ring:ExchangeTimeout", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Ring:ConnectTimeout", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Ring:HandshakeTimeout", StringComparison.Ordinal));
        Assert.Equal(8, failures.Count);
    }

    [Fact]
    public void Validate_NoAddresses_ReportsAddresses()
    {
        var failures = new RingOptionsValidator().Validate(null, new RingOptions()).Failures!.ToList();

        Assert.Equal(["Ring:Addresses must list the host:port of every rank (at least one)."], failures);
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_ThrowsBeforeListening()
    {
        var options = new RingOptions { Addresses = ["127.0.0.1:5000"], Rank = 1 };

        var error = await Within.Await(Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => GrpcRingCollectives.StartAsync(options)), "validation");

        Assert.Contains("Ring:Rank = 1", error.Message, StringComparison.Ordinal);
    }
}
