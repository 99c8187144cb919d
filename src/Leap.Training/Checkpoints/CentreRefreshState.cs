using Leap.Core.Statistics;
using Leap.Training.Engine;
using static TorchSharp.torch;

namespace Leap.Training.Checkpoints;

/// <summary>
/// Binary form of a <see cref="CentreRefresh"/> (centre-refresh.bin): the steps buffered since the last refresh and,
/// per class, the sigma_i^2 in use and (lag 1) those of the completed refresh not yet in use. Call
/// <see cref="CentreRefresh.Settle"/> first so no refresh is in flight.
/// </summary>
public static class CentreRefreshState
{
    public const string FileName = "centre-refresh.bin";
    private const int FormatVersion = 1;

    public static void Write(BinaryWriter writer, CentreRefresh refresh)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(refresh);
        writer.Write(FormatVersion);
        WriteVariances(writer, refresh.Statistics);
        writer.Write(refresh.Ready is not null);
        if (refresh.Ready is not null)
        {
            WriteVariances(writer, refresh.Ready);
        }
        writer.Write(refresh.Buffered.Count);
        foreach (var (features, labels) in refresh.Buffered)
        {
            bool single = features.dtype == ScalarType.Float32;
            writer.Write(single);
            writer.Write((int)features.shape[0]);
            writer.Write((int)features.shape[1]);
            using var onCpu = features.cpu();
            using var cpu = onCpu.contiguous();
            if (single)
            {
                foreach (float v in cpu.data<float>())
                {
                    writer.Write(v);
                }
            }
            else
            {
                using var wide = cpu.to(ScalarType.Float64);
                foreach (double v in wide.data<double>())
                {
                    writer.Write(v);
                }
            }
            using var ids = labels.cpu().to(ScalarType.Int64).contiguous();
            foreach (long l in ids.data<long>())
            {
                writer.Write(l);
            }
        }
    }

    public static void Read(BinaryReader reader, CentreRefresh refresh)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(refresh);
        int version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"Unsupported centre-refresh state version {version} (expected {FormatVersion}).");
        }
        int classes = refresh.Statistics.ClassCount;
        double[] published = ReadVariances(reader, classes);
        double[]? ready = reader.ReadBoolean() ? ReadVariances(reader, classes) : null;
        int steps = reader.ReadInt32();
        var buffered = new List<(Tensor, Tensor)>(steps);
        for (int s = 0; s < steps; s++)
        {
            bool single = reader.ReadBoolean();
            int rows = reader.ReadInt32();
            int dimension = reader.ReadInt32();
            long count = (long)rows * dimension;
            Tensor features;
            if (single)
            {
                var values = new float[count];
                for (long i = 0; i < count; i++)
                {
                    values[i] = reader.ReadSingle();
                }
                features = tensor(values, [rows, dimension]);
            }
            else
            {
                var values = new double[count];
                for (long i = 0; i < count; i++)
                {
                    values[i] = reader.ReadDouble();
                }
                features = tensor(values, [rows, dimension]);
            }
            var labels = new long[rows];
            for (int r = 0; r < rows; r++)
            {
                labels[r] = reader.ReadInt64();
            }
            buffered.Add((features.DetachFromDisposeScope(), tensor(labels).DetachFromDisposeScope()));
        }
        refresh.Restore(buffered, published, ready);
    }

    private static void WriteVariances(BinaryWriter writer, CloudStatistics statistics)
    {
        writer.Write(statistics.ClassCount);
        for (int c = 0; c < statistics.ClassCount; c++)
        {
            writer.Write(statistics.ClassVariance(c));
        }
    }

    private static double[] ReadVariances(BinaryReader reader, int classes)
    {
        int count = reader.ReadInt32();
        if (count != classes)
        {
            throw new InvalidDataException($"Checkpointed cloud statistics have {count} classes; this run has {classes}.");
        }
        var values = new double[count];
        for (int c = 0; c < count; c++)
        {
            values[c] = reader.ReadDouble();
        }
        return values;
    }
}
