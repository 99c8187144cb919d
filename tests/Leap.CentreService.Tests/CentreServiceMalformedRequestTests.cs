using Grpc.Core;
using Leap.CentreService.Tests.Support;

namespace Leap.CentreService.Tests;

/// <summary>Random bytes as the request of every CentreService method, over real gRPC: a malformed request is the client's fault, never UNKNOWN.</summary>
public sealed class CentreServiceMalformedRequestTests
{
    private const int PayloadsPerMethod = 300;
    private const int MaxPayloadBytes = 64;
    private static readonly TimeSpan Timeout = KestrelCentreHost.Timeout;
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    public static TheoryData<string, MethodType> Methods => new()
    {
        { "Initialise", MethodType.Unary },
        { "Push", MethodType.Unary },
        { "GetCloudStatistics", MethodType.Unary },
        { "GetClassStatistics", MethodType.Unary },
        { "GetSummary", MethodType.Unary },
        { "GetCentres", MethodType.Unary },
        { "WatchSummary", MethodType.ServerStreaming },
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task AnyMethod_RandomRequestBytes_NeverUnknownOrInternal(string name, MethodType type)
    {
        using var dir = new TempDirectory();
        await using var host = await KestrelCentreHost.StartAsync(dir.Path, TestData.SmallLayout());
        var method = new Method<byte[], byte[]>(type, "leap.v1.CentreService", name, Bytes, Bytes);
        var random = new Random(HashCode.Combine(13, name.Length, name[^1]));
        var statuses = new Dictionary<StatusCode, int>();
        var unexpected = new List<string>();
        for (int i = 0; i < PayloadsPerMethod; i++)
        {
            var payload = new byte[random.Next(0, MaxPayloadBytes + 1)];
            random.NextBytes(payload);
            var status = await CallAsync(host.Invoker, method, payload).WaitAsync(Timeout);
            statuses[status.StatusCode] = statuses.GetValueOrDefault(status.StatusCode) + 1;
            if (status.StatusCode is StatusCode.Unknown or StatusCode.Internal)
            {
                unexpected.Add($"{status.StatusCode} '{status.Detail}' for {Convert.ToHexString(payload)}");
            }
        }

        Assert.True(unexpected.Count == 0,
            $"{name}: {unexpected.Count} of {PayloadsPerMethod} random requests answered UNKNOWN/INTERNAL; statuses "
            + string.Join(", ", statuses.Select(s => $"{s.Key}={s.Value}")) + "; first: " + string.Join("\n", unexpected.Take(5)));
        host.Log.AssertNoErrors();
    }

    [Fact]
    public async Task Push_UnparsableMessage_InvalidArgumentNamingTheMessage()
    {
        using var dir = new TempDirectory();
        await using var host = await KestrelCentreHost.StartAsync(dir.Path, TestData.SmallLayout());
        var method = new Method<byte[], byte[]>(MethodType.Unary, "leap.v1.CentreService", "Push", Bytes, Bytes);

        // Field 1 (request_id, length-delimited) claims 100 bytes but 2 follow.
        var status = await CallAsync(host.Invoker, method, [0x0A, 100, 0x41, 0x42]).WaitAsync(Timeout);

        Assert.Equal(StatusCode.InvalidArgument, status.StatusCode);
        Assert.Contains("malformed PushRequest", status.Detail, StringComparison.Ordinal);
    }

    private static async Task<Status> CallAsync(CallInvoker invoker, Method<byte[], byte[]> method, byte[] payload)
    {
        using var cancel = new CancellationTokenSource(Timeout);
        var options = new CallOptions(cancellationToken: cancel.Token);
        try
        {
            if (method.Type == MethodType.ServerStreaming)
            {
                using var stream = invoker.AsyncServerStreamingCall(method, null, options, payload);
                await stream.ResponseStream.MoveNext(cancel.Token);
                return Status.DefaultSuccess;
            }
            using var call = invoker.AsyncUnaryCall(method, null, options, payload);
            await call.ResponseAsync;
            return Status.DefaultSuccess;
        }
        catch (RpcException e)
        {
            return e.Status;
        }
    }
}
