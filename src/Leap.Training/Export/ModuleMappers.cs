using static TorchSharp.torch;

namespace Leap.Training.Export;

/// <summary>Adds the nodes of one module type: from its input tensor to the returned output tensor.</summary>
public delegate string ModuleMapper(OnnxExportContext context, nn.Module module, string path, string input);

/// <summary>
/// The module types the exporter knows, each with its <see cref="ModuleMapper"/>. A type without its own mapper uses
/// its nearest mapped base type (BatchNorm1d and BatchNorm2d share BatchNorm's). New backbones register mappers for
/// their composite blocks; layers (convolutions with groups, PReLU, BN, pooling, linear) are already mapped. A block
/// mapper emits its children in forward order through <see cref="OnnxExportContext.EmitChild"/> and adds what its
/// forward does between them (e.g. <c>context.RankPreserving("Add", path + ".add", [branch, shortcut])</c> for a
/// residual sum); see <see cref="ResNetMappers"/>.
/// </summary>
public sealed class ModuleMappers
{
    private readonly Dictionary<Type, ModuleMapper> _byType = [];

    /// <summary>The layers (<see cref="LayerMappers"/>), TorchVision's ResNets (<see cref="ResNetMappers"/>), the face backbones (<see cref="FaceBackboneMappers"/>) and this project's networks (<see cref="NetworkMappers"/>).</summary>
    public static ModuleMappers Default()
    {
        var mappers = new ModuleMappers();
        LayerMappers.AddTo(mappers);
        ResNetMappers.AddTo(mappers);
        FaceBackboneMappers.AddTo(mappers);
        NetworkMappers.AddTo(mappers);
        return mappers;
    }

    /// <summary>Maps <paramref name="type"/> (replacing an earlier mapping of it).</summary>
    public ModuleMappers Add(Type type, ModuleMapper mapper)
    {
        ArgumentNullException.ThrowIfNull(type);
        _byType[type] = mapper ?? throw new ArgumentNullException(nameof(mapper));
        return this;
    }

    public ModuleMappers Add<TModule>(ModuleMapper mapper) where TModule : nn.Module => Add(typeof(TModule), mapper);

    /// <summary>The mapper of <paramref name="type"/> or of its nearest mapped base type; null if none.</summary>
    public ModuleMapper? Find(Type type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (_byType.TryGetValue(t, out var mapper))
            {
                return mapper;
            }
        }
        return null;
    }

    /// <summary>The mapped type names, for error messages.</summary>
    public string Describe() => string.Join(", ", _byType.Keys.Select(t => t.Name).Order(StringComparer.Ordinal));
}
