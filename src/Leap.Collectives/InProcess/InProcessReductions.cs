using System.Buffers;
using static TorchSharp.torch;

namespace Leap.Collectives.InProcess;

/// <summary>
/// The arithmetic of the in-process collectives, run by one thread over every rank's tensors:
/// result = ((x_0 op x_1) op x_2) ... op x_{N-1}, in rank order, then divided by N for Average.
/// </summary>
internal static class InProcessReductions
{
    private const int ChunkBytes = 1 << 20;

    public static void AllReduce(IReadOnlyList<Tensor> tensors, ReduceOp op)
    {
        var memories = tensors.Select(t => new NativeTensorMemory(t)).ToList();
        var total = memories[0].LengthBytes;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(ChunkBytes, Math.Max(total, 1)));
        try
        {
            for (long offset = 0; offset < total; offset += ChunkBytes)
            {
                var length = (int)Math.Min(ChunkBytes, total - offset);
                var accumulator = buffer.AsSpan(0, length);
                ReduceInRankOrder(memories, offset, accumulator, op);
                foreach (var memory in memories)
                {
                    accumulator.CopyTo(memory.Slice(offset, length));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Rank q's output = block q of the rank-order reduction of all inputs.</summary>
    public static void ReduceScatter(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor> outputs, ReduceOp op)
    {
        var sources = inputs.Select(t => new NativeTensorMemory(t)).ToList();
        for (var q = 0; q < outputs.Count; q++)
        {
            var destination = new NativeTensorMemory(outputs[q]);
            var blockOffset = q * destination.LengthBytes;
            for (long offset = 0; offset < destination.LengthBytes; offset += ChunkBytes)
            {
                var length = (int)Math.Min(ChunkBytes, destination.LengthBytes - offset);
                ReduceInRankOrder(sources, blockOffset + offset, destination.Slice(offset, length), op);
            }
        }
    }

    /// <summary>Every output = the inputs concatenated along dim 0 in rank order.</summary>
    public static void AllGather(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor> outputs)
    {
        var sources = inputs.Select(t => new NativeTensorMemory(t)).ToList();
        foreach (var output in outputs)
        {
            var destination = new NativeTensorMemory(output);
            for (var r = 0; r < sources.Count; r++)
            {
                NativeTensorMemory.Copy(sources[r], 0, destination, r * sources[r].LengthBytes, sources[r].LengthBytes);
            }
        }
    }

    public static void Broadcast(IReadOnlyList<Tensor> tensors, int root)
    {
        var source = new NativeTensorMemory(tensors[root]);
        for (var r = 0; r < tensors.Count; r++)
        {
            if (r != root)
            {
                NativeTensorMemory.Copy(source, 0, new NativeTensorMemory(tensors[r]), 0, source.LengthBytes);
            }
        }
    }

    private static void ReduceInRankOrder(List<NativeTensorMemory> sources, long offset, Span<byte> accumulator, ReduceOp op)
    {
        var dtype = sources[0].DType;
        sources[0].Slice(offset, accumulator.Length).CopyTo(accumulator);
        for (var r = 1; r < sources.Count; r++)
        {
            ElementwiseReduction.Accumulate(dtype, op, accumulator, sources[r].Slice(offset, accumulator.Length));
        }

        if (op == ReduceOp.Average)
        {
            ElementwiseReduction.DivideInPlace(dtype, accumulator, sources.Count);
        }
    }
}
