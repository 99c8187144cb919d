using Leap.Collectives;
using static TorchSharp.torch;

namespace Leap.Training.Distributed;

/// <summary>
/// Averages the replicated backbone's floating-point buffers (batch-norm running mean and variance) over the ranks
/// after every step, in one all-reduce. Each rank's batch norm sees only its slice of the global batch, so without this
/// the replicas' running statistics drift apart and each rank would checkpoint and evaluate a slightly different
/// model. The ring's result is bitwise the same on every rank, so the replicas stay identical. Integer buffers
/// (num_batches_tracked) advance alike everywhere and are left alone.
/// </summary>
public sealed class RunningStatisticsAverage(ICollectives collectives)
{
    public void Average(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (collectives.WorldSize == 1)
        {
            return;
        }

        var buffers = module.buffers().Where(b => b.is_floating_point()).ToList();
        if (buffers.Count == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        var flat = cat(buffers.Select(b => b.detach().reshape(-1).to(ScalarType.Float32).cpu()).ToList(), 0).contiguous();
        collectives.AllReduceAsync(flat, ReduceOp.Sum).GetAwaiter().GetResult();
        flat.div_(collectives.WorldSize);
        long offset = 0;
        using (no_grad())
        {
            foreach (var buffer in buffers)
            {
                long n = buffer.numel();
                buffer.copy_(flat.narrow(0, offset, n).view_as(buffer).to(buffer.dtype, buffer.device));
                offset += n;
            }
        }
    }
}
