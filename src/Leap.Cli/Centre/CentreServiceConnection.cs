using Grpc.Net.Client;
using Leap.CentreService.Client;

namespace Leap.Cli.Centre;

/// <summary>
/// A channel and client for one-off queries: no retries, every call and the TCP connect bounded by
/// <paramref name="Deadline"/>, so an unreachable service fails within it instead of hanging.
/// </summary>
public sealed class CentreServiceConnection : IDisposable
{
    private readonly GrpcChannel _channel;

    public CentreServiceConnection(CentreServiceAddress address, TimeSpan deadline)
    {
        ArgumentNullException.ThrowIfNull(address);
        Address = address;
        _channel = GrpcChannel.ForAddress(address.Uri, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { ConnectTimeout = deadline, EnableMultipleHttp2Connections = true },
            DisposeHttpClient = true,
        });
        Client = new CentreServiceClient(_channel, maxRetries: 0, attemptTimeout: deadline);
    }

    public CentreServiceAddress Address { get; }
    public CentreServiceClient Client { get; }

    public void Dispose() => _channel.Dispose();
}
