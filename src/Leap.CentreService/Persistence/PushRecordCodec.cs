using System.Buffers.Binary;
using System.Text;

namespace Leap.CentreService.Persistence;

/// <summary>
/// A log record: [int32 payload length][uint32 CRC-32 of the payload][payload], little-endian. The payload is the
/// push's sequence number, request id, step and both tensors exactly as received.
/// </summary>
internal static class PushRecordCodec
{
    public const int HeaderBytes = 8;
    public const int MaxPayloadBytes = int.MaxValue - 64;

    /// <summary>The smallest payload a push can encode: sequence, empty id, step and two empty rank-0 tensors.</summary>
    public const int MinPayloadBytes = 8 + 1 + 8 + (2 * (4 + 1 + 4));

    /// <summary>The largest sequence number a record can carry (far beyond any real run); a cheap filter when resyncing.</summary>
    private const long MaxSequence = 1L << 48;

    /// <summary>Whether <paramref name="payload"/> starts like a record payload: a positive plausible sequence number.</summary>
    public static bool LooksLikePayloadStart(ReadOnlySpan<byte> payload)
    {
        long sequence = BinaryPrimitives.ReadInt64LittleEndian(payload);
        return sequence is > 0 and <= MaxSequence;
    }

    public static byte[] Encode(long sequence, CentrePush push)
    {
        byte[] buffer = new byte[MaxEncodedLength(push)];
        return buffer.AsSpan(0, Encode(sequence, push, buffer)).ToArray();
    }

    /// <summary>An upper bound of the encoded record's length (header included), to size a pooled buffer.</summary>
    public static int MaxEncodedLength(CentrePush push)
    {
        ArgumentNullException.ThrowIfNull(push);
        long bound = HeaderBytes + 8 + 8 + StringBound(push.RequestId) + TensorBound(push.Features) + TensorBound(push.Labels);
        return bound <= MaxPayloadBytes ? (int)bound : throw new ArgumentException($"A push of {bound} bytes exceeds the log record limit.", nameof(push));
    }

    private static long StringBound(string value) => 5 + Encoding.UTF8.GetMaxByteCount(value.Length);

    private static long TensorBound(RawTensor tensor) => 4 + (8L * tensor.Shape.Length) + StringBound(tensor.DType) + 4 + tensor.Data.Length;

    /// <summary>Writes the record into <paramref name="destination"/> (at least <see cref="MaxEncodedLength"/> bytes) and returns its length.</summary>
    public static int Encode(long sequence, CentrePush push, byte[] destination)
    {
        ArgumentNullException.ThrowIfNull(push);
        ArgumentNullException.ThrowIfNull(destination);
        using var stream = new MemoryStream(destination, 0, destination.Length, writable: true);
        stream.Position = HeaderBytes;
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(sequence);
            writer.Write(push.RequestId);
            writer.Write(push.Step);
            Write(writer, push.Features);
            Write(writer, push.Labels);
        }
        int length = checked((int)stream.Position);
        var payload = destination.AsSpan(HeaderBytes, length - HeaderBytes);
        BinaryPrimitives.WriteInt32LittleEndian(destination, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(destination.AsSpan(4), Crc32.Compute(payload));
        return length;
    }

    public static (long Sequence, CentrePush Push) Decode(byte[] payload)
    {
        using var reader = new BinaryReader(new MemoryStream(payload, writable: false), Encoding.UTF8);
        long sequence = reader.ReadInt64();
        string requestId = reader.ReadString();
        long step = reader.ReadInt64();
        var features = Read(reader);
        var labels = Read(reader);
        return (sequence, new CentrePush(requestId, step, features, labels));
    }

    private static void Write(BinaryWriter writer, RawTensor tensor)
    {
        writer.Write(tensor.Shape.Length);
        foreach (long d in tensor.Shape)
        {
            writer.Write(d);
        }
        writer.Write(tensor.DType);
        writer.Write(tensor.Data.Length);
        writer.Write(tensor.Data.Span);
    }

    private static RawTensor Read(BinaryReader reader)
    {
        int rank = reader.ReadInt32();
        if (rank is < 0 or > 8)
        {
            throw new InvalidDataException($"A log record holds a tensor of rank {rank}.");
        }
        var shape = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            shape[i] = reader.ReadInt64();
        }
        string dtype = reader.ReadString();
        int length = reader.ReadInt32();
        byte[] data = reader.ReadBytes(length);
        if (data.Length != length)
        {
            throw new InvalidDataException("A log record ends inside a tensor.");
        }
        return new RawTensor(shape, dtype, data);
    }
}
