using Google.Protobuf;

namespace Leap.Onnx;

/// <summary>Reads and writes .onnx files: one serialised <see cref="ModelProto"/>, initialisers inline.</summary>
public static class OnnxModelFile
{
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a model with a graph.</exception>
    public static ModelProto Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"ONNX model '{path}' does not exist.", path);
        }
        ModelProto model;
        try
        {
            using var stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"'{path}' is not an ONNX model: {e.Message}", e);
        }
        return model.Graph is null || model.Graph.Node.Count == 0
            ? throw new InvalidDataException($"'{path}' is not an ONNX model: it has no graph.")
            : model;
    }

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> (creating its folder) through a temporary file, so a failed write leaves no partial model.</summary>
    public static void Write(string path, ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temporary = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var stream = File.Create(temporary))
            {
                model.WriteTo(stream);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
