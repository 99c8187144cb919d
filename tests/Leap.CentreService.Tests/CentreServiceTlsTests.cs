using Grpc.Core;
using Leap.CentreService.Client;
using Leap.CentreService.Tests.Support;
using Leap.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Leap.CentreService.Tests;

/// <summary>Optional TLS: Kestrel serving a PEM certificate on 127.0.0.1, clients trusting a CA file; the token still required.</summary>
public sealed class CentreServiceTlsTests
{
    private static readonly TimeSpan Timeout = KestrelCentreHost.Timeout;

    [Fact]
    public async Task Push_OverTlsWithTrustedCaAndToken_AppliedOverHttps()
    {
        using var dir = new TempDirectory();
        var certificate = SelfSignedCertificate.Write(dir.Path);
        var layout = TestData.SmallLayout();
        var client = ClientSecurity.FromConfiguration(Configuration(new() { ["Auth:Token"] = TestAuth.Token, ["Tls:CaFile"] = certificate.CertificateFile }));
        await using var host = await KestrelCentreHost.StartAsync(Path.Combine(dir.Path, "state"), layout, Tls(certificate), security: client);
        var batch = TestData.Batches(seed: 3, count: 1, rows: 12, layout.Dimension, 0, layout.ClassCount)[0];

        var reply = await host.Client.PushAsync(batch.ToRequest(0)).WaitAsync(Timeout);

        Assert.StartsWith("https://127.0.0.1:", host.Address, StringComparison.Ordinal);
        Assert.Equal(12, reply.Rows);
        host.Log.AssertNoErrors();
    }

    [Fact]
    public async Task Push_OverTlsWithoutTrustingTheCa_TlsHandshakeFailsAndNothingApplied()
    {
        using var dir = new TempDirectory();
        var certificate = SelfSignedCertificate.Write(dir.Path);
        var layout = TestData.SmallLayout();
        await using var host = await KestrelCentreHost.StartAsync(Path.Combine(dir.Path, "state"), layout, Tls(certificate),
            security: new ClientSecurity(SharedToken.From(TestAuth.Token), TlsOptionsValidator.LoadCa(certificate.CertificateFile)));
        var untrusting = ClientSecurity.FromConfiguration(Configuration(new() { ["Auth:Token"] = TestAuth.Token }));
        using var channel = untrusting.CreateChannel(new Uri(host.Address), GrpcMessageLimits.CentreService);
        var stranger = new CentreServiceClient(untrusting.CallInvoker(channel), maxRetries: 0, attemptTimeout: Timeout);
        var batch = TestData.Batches(seed: 3, count: 1, rows: 12, layout.Dimension, 0, layout.ClassCount)[0];

        var error = await Assert.ThrowsAsync<RpcException>(() => stranger.PushAsync(batch.ToRequest(0)).WaitAsync(Timeout));

        var causes = new List<Exception>();
        for (Exception? e = error.Status.DebugException; e is not null; e = e.InnerException)
        {
            causes.Add(e);
        }
        Assert.Contains(causes, e => e is System.Security.Authentication.AuthenticationException);
        Assert.Equal(0, (await host.Client.GetCloudStatisticsAsync().WaitAsync(Timeout)).Pushes);
    }

    [Fact]
    public async Task StartAsync_CertificateWithoutKey_FailsNamingBothKeys()
    {
        using var dir = new TempDirectory();
        var certificate = SelfSignedCertificate.Write(dir.Path);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            KestrelCentreHost.StartAsync(Path.Combine(dir.Path, "state"), settings: new Dictionary<string, string?> { ["Tls:CertificateFile"] = certificate.CertificateFile }));

        Assert.Contains("Tls:CertificateFile and Tls:KeyFile must be set together", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfiguration_CaFileMissing_FailsNamingTheKey()
    {
        var failure = Assert.Throws<OptionsValidationException>(() =>
            ClientSecurity.FromConfiguration(Configuration(new() { ["Tls:CaFile"] = "/nonexistent/ca.crt" })));

        Assert.Contains("Tls:CaFile = '/nonexistent/ca.crt' cannot be loaded", failure.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Tls(SelfSignedCertificate certificate) => new()
    {
        ["Tls:CertificateFile"] = certificate.CertificateFile,
        ["Tls:KeyFile"] = certificate.KeyFile,
    };

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
