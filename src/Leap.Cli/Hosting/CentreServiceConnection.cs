using Grpc.Net.Client;
using Leap.CentreService.Client;
using Leap.Security;

namespace Leap.Cli.Hosting;

/// <summary>
/// A channel and client for one-off queries: no retries, every call and the TCP connect bounded by
/// <paramref name="deadline"/>, so an unreachable service fails within it instead of hanging. Calls carry the token of
/// <paramref name="security"/>.
/// </summary>
public sealed class CentreServiceConnection : IDisposable
{
    private readonly GrpcChannel _channel;

    public CentreServiceConnection(CentreServiceAddress address, TimeSpan deadline, ClientSecurity security)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(security);
        Address = address;
        _channel = security.CreateChannel(address.Uri, GrpcMessageLimits.CentreService,
            new SocketsHttpHandler { ConnectTimeout = deadline, EnableMultipleHttp2Connections = true });
        Client = new CentreServiceClient(security.CallInvoker(_channel), maxRetries: 0, attemptTimeout: deadline);
    }

    public CentreServiceAddress Address { get; }
    public CentreServiceClient Client { get; }

    public void Dispose() => _channel.Dispose();
}
