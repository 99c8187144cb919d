namespace Leap.Training.Modeling;

public enum BackboneKind
{
    /// <summary>Three conv blocks; for fast CPU runs on small images (e.g. 28x28).</summary>
    SmallCnn,
    ResNet18,
    ResNet50,
}
