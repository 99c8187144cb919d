namespace Leap.Training.Export;

/// <summary>A module the ONNX exporter has no mapping for (or a setting of a mapped module it cannot express); names its path and type.</summary>
public sealed class UnsupportedModuleException : NotSupportedException
{
    public UnsupportedModuleException(string modulePath, Type moduleType, string reason)
        : base($"Cannot export module '{modulePath}' ({moduleType.FullName}) to ONNX: {reason}")
    {
        ModulePath = modulePath;
        ModuleType = moduleType;
    }

    public UnsupportedModuleException()
    {
        ModulePath = string.Empty;
        ModuleType = typeof(object);
    }

    public UnsupportedModuleException(string message) : base(message)
    {
        ModulePath = string.Empty;
        ModuleType = typeof(object);
    }

    public UnsupportedModuleException(string message, Exception innerException) : base(message, innerException)
    {
        ModulePath = string.Empty;
        ModuleType = typeof(object);
    }

    /// <summary>Dotted path from the exported network, e.g. "backbone._inner.layer1.0.conv1".</summary>
    public string ModulePath { get; }

    public Type ModuleType { get; }
}
