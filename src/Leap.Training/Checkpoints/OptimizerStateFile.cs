using TorchSharp.Modules;

namespace Leap.Training.Checkpoints;

/// <summary>
/// An optimizer's state in TorchSharp's file format, under the name of the TorchSharp optimizer it derives from
/// ("SGD", "Adam"). TorchSharp heads the file with the object's own type name and refuses any other on load, so without
/// this a <see cref="Optimization.ScalarSafeAdam"/> would neither read the checkpoints written before it existed (or by a
/// plain TorchSharp Adam) nor write ones they can read. The state itself is TorchSharp's, byte for byte.
/// </summary>
public static class OptimizerStateFile
{
    public static void Save(OptimizerHelper optimizer, string path)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            optimizer.save_state_dict(writer);
        }
        buffer.Position = 0;
        using var reader = new BinaryReader(buffer);
        reader.ReadString();
        using var file = File.Create(path);
        using (var writer = new BinaryWriter(file, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(TorchSharpName(optimizer));
        }
        buffer.CopyTo(file);
    }

    public static void Load(OptimizerHelper optimizer, string path)
    {
        using var file = File.OpenRead(path);
        string written;
        using (var reader = new BinaryReader(file, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            written = reader.ReadString();
        }
        string own = optimizer.GetType().Name;
        string expected = TorchSharpName(optimizer);
        if (written != own && written != expected)
        {
            throw new InvalidDataException($"{path} holds the state of a '{written}' optimizer; this run's is '{expected}' (Optimizer:Kind).");
        }
        using var renamed = new MemoryStream();
        using (var writer = new BinaryWriter(renamed, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(own);
        }
        file.CopyTo(renamed);
        renamed.Position = 0;
        using var stateReader = new BinaryReader(renamed);
        optimizer.load_state_dict(stateReader);
    }

    /// <summary>The name of the nearest TorchSharp type in the optimizer's ancestry (its own, for TorchSharp's).</summary>
    public static string TorchSharpName(OptimizerHelper optimizer)
    {
        for (var type = optimizer.GetType(); type is not null; type = type.BaseType)
        {
            if (type.Namespace?.StartsWith("TorchSharp", StringComparison.Ordinal) == true)
            {
                return type.Name;
            }
        }
        return optimizer.GetType().Name;
    }
}
