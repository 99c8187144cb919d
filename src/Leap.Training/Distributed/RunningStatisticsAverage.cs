using TorchSharp;
using Leap.Collectives;
using static TorchSharp.torch;

namespace Leap.Training.Distributed;

/// <summary>
/// Averages the replicated backbone's floating-point buffers (batch-norm running mean and variance) over the ranks
/// after every step. Each rank's batch norm sees only its slice of the global batch, so without this the replicas'
/// running statistics drift apart and each rank would checkpoint and evaluate a slightly different model. The ring's
/// result is bitwise the same on every rank, so the replicas stay identical. Integer buffers (num_batches_tracked)
/// advance alike everywhere and are left alone.
/// <para>
/// The buffers are final once the forward pass ran, so a step can append them (<see cref="Flatten"/>) to a sum
/// all-reduce it makes anyway (the embedding gradient's) and read the average back (<see cref="AssignAverage"/>),
/// instead of paying an all-reduce of their own (<see cref="Average"/>).
/// </para>
/// </summary>
public sealed class RunningStatisticsAverage(ICollectives collectives)
{
    /// <summary>Averages the buffers in an all-reduce of their own.</summary>
    public void Average(nn.Module module)
    {
        using var scope = NewDisposeScope();
        if (Flatten(module, ScalarType.Float32) is not { } flat)
        {
            return;
        }
        collectives.AllReduceAsync(flat, ReduceOp.Sum).GetAwaiter().GetResult();
        AssignAverage(module, flat);
    }

    /// <summary>The floating-point buffers as one flat CPU tensor of <paramref name="dtype"/>, or null when there is nothing to average (one rank, or no buffers).</summary>
    public Tensor? Flatten(nn.Module module, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(module);
        var buffers = Buffers(module);
        if (collectives.WorldSize == 1 || buffers.Count == 0)
        {
            return null;
        }
        return cat(buffers.Select(b => b.detach().reshape(-1).to(dtype).cpu()).ToList(), 0).contiguous();
    }

    /// <summary>Copies <paramref name="summed"/> (the sum over ranks of <see cref="Flatten"/>'s tensor) divided by the world size into the buffers.</summary>
    public void AssignAverage(nn.Module module, Tensor summed)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(summed);
        using var scope = NewDisposeScope();
        using var worldSize = collectives.WorldSize.ToScalar();
        var average = summed.div(worldSize);
        long offset = 0;
        using (no_grad())
        {
            foreach (var buffer in Buffers(module))
            {
                long n = buffer.numel();
                buffer.copy_(average.narrow(0, offset, n).view_as(buffer).to(buffer.dtype, buffer.device));
                offset += n;
            }
        }
    }

    private static List<Tensor> Buffers(nn.Module module) => module.buffers().Where(b => b.is_floating_point()).ToList();
}
