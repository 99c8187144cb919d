using Grpc.Core;
using Grpc.Net.Client;
using Leap.Coordinator.Tests.Infrastructure;
using Leap.Security;

namespace Leap.Coordinator.Tests.Functional;

/// <summary>Random bytes as the request of every Coordinator method, over real gRPC: never UNKNOWN or INTERNAL.</summary>
public sealed class CoordinatorMalformedRequestTests : IDisposable
{
    private const int PayloadsPerMethod = 200;
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);
    private readonly TemporaryDirectory _state = new();

    public void Dispose() => _state.Dispose();

    [Theory]
    [InlineData("Register")]
    [InlineData("GetPeers")]
    [InlineData("GetEpochPlan")]
    [InlineData("Heartbeat")]
    [InlineData("Barrier")]
    [InlineData("ReportCheckpoint")]
    [InlineData("GetLatestCommittedCheckpoint")]
    [InlineData("GetStatus")]
    [InlineData("Complete")]
    public async Task AnyMethod_RandomRequestBytes_NeverUnknownOrInternal(string name)
    {
        await using var host = await CoordinatorTestHost.StartAsync(TestOptions.Settings(_state.Path, worldSize: 2));
        using var channel = GrpcChannel.ForAddress(host.Address);
        var invoker = new ClientSecurity(SharedToken.From(TestOptions.Token)).CallInvoker(channel);
        var method = new Method<byte[], byte[]>(MethodType.Unary, "leap.v1.Coordinator", name, Bytes, Bytes);
        var random = new Random(HashCode.Combine(29, name.Length, name[0], name[^1]));
        var unexpected = new List<string>();
        for (int i = 0; i < PayloadsPerMethod; i++)
        {
            var payload = new byte[random.Next(0, 65)];
            random.NextBytes(payload);
            try
            {
                await invoker.AsyncUnaryCall(method, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(5)), payload).ResponseAsync.Within("the answer");
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unknown or StatusCode.Internal)
            {
                unexpected.Add($"{e.StatusCode} '{e.Status.Detail}' for {Convert.ToHexString(payload)}");
            }
            catch (RpcException)
            {
            }
        }

        Assert.True(unexpected.Count == 0, $"{name}: {unexpected.Count} of {PayloadsPerMethod} answered UNKNOWN/INTERNAL; first: " + string.Join("\n", unexpected.Take(5)));
    }
}
