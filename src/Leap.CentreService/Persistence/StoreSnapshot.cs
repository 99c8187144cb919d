using System.Runtime.InteropServices;
using Leap.Core.Statistics;

namespace Leap.CentreService.Persistence;

/// <summary>One applied push remembered for de-duplication.</summary>
internal sealed record AppliedPush(string RequestId, PushResult Result);

/// <summary>
/// The whole store at one cut of the push log: layout, centres [C, D] and their initialised flags, every class's
/// angles (oldest first), counters and the recent request ids. Replay starts at segment <see cref="NextSegment"/>.
/// Independent of the partition count, so a restart may change it.
/// </summary>
internal sealed record StoreSnapshot(
    CentreLayout Layout, long NextSegment, long Sequence, long Pushes, long LastStep,
    double[] Centres, bool[] Initialised, double[][] Angles, IReadOnlyList<AppliedPush> Recent)
{
    public const string FileName = "snapshot.bin";
    public const string LayoutFileName = "layout.bin";
    /// <summary>2: the layout carries the refresh interval (version 1 files read as interval 1).</summary>
    public const int FormatVersion = 2;
    private static ReadOnlySpan<byte> SnapshotMagic => "LEAPCSNP"u8;
    private static ReadOnlySpan<byte> LayoutMagic => "LEAPCLAY"u8;

    public void Save(string directory) => ChecksummedFile.Write(Path.Combine(directory, FileName), SnapshotMagic, FormatVersion, w =>
    {
        WriteLayout(w, Layout);
        w.Write(NextSegment);
        w.Write(Sequence);
        w.Write(Pushes);
        w.Write(LastStep);
        w.Write(MemoryMarshal.AsBytes(Initialised.AsSpan()));
        w.Write(MemoryMarshal.AsBytes(Centres.AsSpan()));
        foreach (double[] angles in Angles)
        {
            w.Write(angles.Length);
            w.Write(MemoryMarshal.AsBytes(angles.AsSpan()));
        }
        w.Write(Recent.Count);
        foreach (var applied in Recent)
        {
            w.Write(applied.RequestId);
            w.Write(applied.Result.Sequence);
            w.Write(applied.Result.Rows);
            w.Write(applied.Result.ClassesUpdated);
        }
    });

    public static StoreSnapshot? Load(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        var (r, version) = ChecksummedFile.Read(path, SnapshotMagic, FormatVersion);
        using (r)
        {
            var layout = ReadLayout(r, version);
            long nextSegment = r.ReadInt64();
            long sequence = r.ReadInt64();
            long pushes = r.ReadInt64();
            long lastStep = r.ReadInt64();
            int c = layout.ClassCount;
            var initialised = new bool[c];
            r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(initialised.AsSpan()));
            var centres = new double[(long)c * layout.Dimension];
            r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(centres.AsSpan()));
            var angles = new double[c][];
            for (int i = 0; i < c; i++)
            {
                angles[i] = new double[r.ReadInt32()];
                r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(angles[i].AsSpan()));
            }
            var recent = new AppliedPush[r.ReadInt32()];
            for (int i = 0; i < recent.Length; i++)
            {
                string id = r.ReadString();
                recent[i] = new AppliedPush(id, new PushResult(r.ReadInt64(), false, r.ReadInt32(), r.ReadInt32()));
            }
            return new StoreSnapshot(layout, nextSegment, sequence, pushes, lastStep, centres, initialised, angles, recent);
        }
    }

    public static void SaveLayout(string directory, CentreLayout layout) =>
        ChecksummedFile.Write(Path.Combine(directory, LayoutFileName), LayoutMagic, FormatVersion, w => WriteLayout(w, layout));

    public static CentreLayout? LoadLayout(string directory)
    {
        string path = Path.Combine(directory, LayoutFileName);
        if (!File.Exists(path))
        {
            return null;
        }
        var (r, version) = ChecksummedFile.Read(path, LayoutMagic, FormatVersion);
        using (r)
        {
            return ReadLayout(r, version);
        }
    }

    private static void WriteLayout(BinaryWriter w, CentreLayout layout)
    {
        w.Write(layout.ClassCount);
        foreach (int k in layout.SamplesPerClass)
        {
            w.Write(k);
        }
        w.Write(layout.Dimension);
        w.Write((int)layout.Settings.Variant);
        w.Write(layout.Settings.HeadThreshold);
        w.Write(layout.Settings.CentreLearningRate);
        w.Write((int)layout.Settings.UpdateRule);
        w.Write(layout.Settings.MemoryMultiplier);
        w.Write(layout.Settings.RefreshInterval);
    }

    private static CentreLayout ReadLayout(BinaryReader r, int version)
    {
        var samples = new int[r.ReadInt32()];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = r.ReadInt32();
        }
        int dimension = r.ReadInt32();
        var settings = new CentreTrackerSettings(
            Variant: (LeapVariant)r.ReadInt32(), HeadThreshold: r.ReadInt32(), CentreLearningRate: r.ReadDouble(),
            UpdateRule: (CentreUpdateRule)r.ReadInt32(), MemoryMultiplier: r.ReadInt32());
        settings = settings with { RefreshInterval = version >= 2 ? r.ReadInt32() : 1 };
        return new CentreLayout(samples, dimension, settings);
    }
}
