using Leap.Core.Statistics;
using static TorchSharp.torch;

namespace Leap.Training.Checkpoints;

/// <summary>Binary form of a <see cref="CentreTracker"/>: centres, their flags, every class's angles and the pending buffer.</summary>
public static class CentreTrackerState
{
    private const int FormatVersion = 1;

    public static void Write(BinaryWriter writer, CentreTracker tracker)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(tracker);
        writer.Write(FormatVersion);
        writer.Write(tracker.ClassCount);
        writer.Write(tracker.Centres.Dimension);
        using (var centres = tracker.Centres.Values.contiguous())
        {
            foreach (double v in centres.data<double>())
            {
                writer.Write(v);
            }
        }
        foreach (bool flag in tracker.Centres.InitialisedFlags())
        {
            writer.Write(flag);
        }
        for (int c = 0; c < tracker.ClassCount; c++)
        {
            double[] angles = tracker.Memory.Angles(c);
            writer.Write(angles.Length);
            foreach (double a in angles)
            {
                writer.Write(a);
            }
        }
        writer.Write(tracker.Pending.Count);
        foreach (var (features, labels) in tracker.Pending)
        {
            writer.Write((int)features.shape[0]);
            foreach (double v in features.contiguous().data<double>())
            {
                writer.Write(v);
            }
            foreach (long l in labels.data<long>())
            {
                writer.Write(l);
            }
        }
    }

    public static void Read(BinaryReader reader, CentreTracker tracker)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(tracker);
        int version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"Unsupported centre-tracker state version {version} (expected {FormatVersion}).");
        }
        int classes = reader.ReadInt32();
        int dimension = reader.ReadInt32();
        if (classes != tracker.ClassCount || dimension != tracker.Centres.Dimension)
        {
            throw new InvalidDataException($"Checkpointed tracker has {classes} classes x {dimension} dims; this run has {tracker.ClassCount} x {tracker.Centres.Dimension}.");
        }
        var centres = ReadDoubles(reader, (long)classes * dimension);
        var flags = new bool[classes];
        for (int c = 0; c < classes; c++)
        {
            flags[c] = reader.ReadBoolean();
        }
        using (var t = tensor(centres, [classes, dimension]))
        {
            tracker.Centres.Load(t, flags);
        }
        for (int c = 0; c < classes; c++)
        {
            tracker.Memory.Restore(c, ReadDoubles(reader, reader.ReadInt32()));
        }
        int pendingSteps = reader.ReadInt32();
        var pending = new List<(Tensor, Tensor)>(pendingSteps);
        for (int p = 0; p < pendingSteps; p++)
        {
            int rows = reader.ReadInt32();
            var features = tensor(ReadDoubles(reader, (long)rows * dimension), [rows, dimension]);
            var labels = new long[rows];
            for (int r = 0; r < rows; r++)
            {
                labels[r] = reader.ReadInt64();
            }
            pending.Add((features, tensor(labels)));
        }
        tracker.RestorePending(pending);
        tracker.RecomputeStatistics();
    }

    private static double[] ReadDoubles(BinaryReader reader, long count)
    {
        var values = new double[count];
        for (long i = 0; i < count; i++)
        {
            values[i] = reader.ReadDouble();
        }
        return values;
    }
}
