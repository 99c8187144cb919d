using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Leap.Security;

/// <summary>
/// What a client needs to call the job's services: the shared token (sent as <c>authorization: Bearer</c> on every call;
/// none = no header) and the CA it trusts for https:// addresses. <see cref="FromEnvironment"/> reads the same variables
/// as the hosts.
/// </summary>
public sealed class ClientSecurity
{
    private readonly X509Certificate2Collection? _trustedCa;

    public ClientSecurity(SharedToken? token, X509Certificate2Collection? trustedCa = null)
    {
        Token = token;
        _trustedCa = trustedCa;
    }

    /// <summary>No token, system trust: for tests and services run with Auth:Disabled.</summary>
    public static ClientSecurity None { get; } = new(null);

    public SharedToken? Token { get; }

    /// <summary>
    /// From <c>Auth:*</c> and <c>Tls:CaFile</c> of <paramref name="configuration"/>; throws <see cref="OptionsValidationException"/>
    /// naming the key when a configured token or CA file is unusable. A missing token is allowed (the server decides)
    /// unless <paramref name="requireToken"/> (a process that also serves calls, like a worker's ring peer).
    /// </summary>
    public static ClientSecurity FromConfiguration(IConfiguration configuration, bool requireToken = false)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var auth = new AuthOptions();
        configuration.GetSection(AuthOptions.SectionName).Bind(auth);
        var tls = new TlsOptions();
        configuration.GetSection(TlsOptions.SectionName).Bind(tls);
        var failures = new AuthOptionsValidator(requireToken).Failures(auth).Concat(TlsOptionsValidator.Failures(tls)).ToList();
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(AuthOptions.SectionName, typeof(AuthOptions), failures);
        }
        return new ClientSecurity(auth.LoadToken(), string.IsNullOrEmpty(tls.CaFile) ? null : TlsOptionsValidator.LoadCa(tls.CaFile));
    }

    /// <summary><see cref="FromConfiguration"/> of this process's <c>LEAP_*</c> variables (LEAP_AUTH_TOKEN, LEAP_AUTH_TOKEN_FILE, LEAP_Tls__CaFile, ...).</summary>
    public static ClientSecurity FromEnvironment(bool requireToken = false) =>
        FromConfiguration(new ConfigurationBuilder().AddEnvironmentVariables("LEAP_").AddAuthEnvironment().Build(), requireToken);

    /// <summary>
    /// A channel to <paramref name="address"/> whose messages are limited to <paramref name="maxMessageBytes"/> both ways,
    /// trusting the configured CA, over <paramref name="handler"/> (default: a new one) which the channel then owns.
    /// </summary>
    public GrpcChannel CreateChannel(Uri address, int maxMessageBytes, SocketsHttpHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        handler ??= new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (_trustedCa is not null)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(_trustedCa);
            handler.SslOptions.CertificateChainPolicy = policy;
        }
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = maxMessageBytes,
            MaxSendMessageSize = maxMessageBytes,
        });
    }

    /// <summary>Calls through <paramref name="channel"/> carrying the token (the channel's own invoker when there is none).</summary>
    public CallInvoker CallInvoker(GrpcChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (Token is null)
        {
            return channel.CreateCallInvoker();
        }
        string header = Token.BearerHeader();
        return channel.Intercept(metadata =>
        {
            metadata.Add("authorization", header);
            return metadata;
        });
    }
}
