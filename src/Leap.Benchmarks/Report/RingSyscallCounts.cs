using System.Text.Json.Serialization;

namespace Leap.Benchmarks.Report;

/// <summary>
/// strace's counts of socket receive and send calls over one whole <c>leap bench allreduce</c> run of every process
/// (scripts/bench-ring-syscalls.sh writes one per transport as docs/bench/ring-syscalls-&lt;transport&gt;.json).
/// </summary>
public sealed record RingSyscallCounts(
    [property: JsonPropertyName("transport")] string Transport,
    [property: JsonPropertyName("workers")] int Workers,
    [property: JsonPropertyName("megabytes")] int Megabytes,
    [property: JsonPropertyName("all_reduces")] int AllReduces,
    [property: JsonPropertyName("recvfrom")] long RecvFrom,
    [property: JsonPropertyName("read")] long Read,
    [property: JsonPropertyName("sendto")] long SendTo,
    [property: JsonPropertyName("sendmsg")] long SendMsg,
    [property: JsonPropertyName("write")] long Write,
    [property: JsonPropertyName("started_utc")] DateTimeOffset StartedUtc)
{
    /// <summary>Bytes one rank receives (and sends) in one ring all-reduce: 2(N-1)/N of the tensor.</summary>
    public double BytesPerRankPerAllReduce => (double)Megabytes * (1 << 20) * 2 * (Workers - 1) / Workers;

    /// <summary>Receive calls (recvfrom + read) per rank per all-reduce.</summary>
    public double ReceiveCallsPerAllReduce => (RecvFrom + Read) / (double)(Workers * AllReduces);

    /// <summary>Send calls (sendto + sendmsg + write) per rank per all-reduce.</summary>
    public double SendCallsPerAllReduce => (SendTo + SendMsg + Write) / (double)(Workers * AllReduces);
}
