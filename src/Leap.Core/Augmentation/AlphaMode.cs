namespace Leap.Core.Augmentation;

public enum AlphaMode
{
    /// <summary>An independent draw for every class column (the paper writes alpha in R^{1 x C}).</summary>
    PerColumn,

    /// <summary>One draw per sample, shared by all class columns.</summary>
    PerSample,
}
