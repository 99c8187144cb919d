namespace Leap.Training.Modeling;

public enum BackboneKind
{
    /// <summary>Three conv blocks; for fast CPU runs on small images (e.g. 28x28).</summary>
    SmallCnn,

    /// <summary>TorchVision's ResNet-18 (fc = the embedding layer); the only kind with ImageNet weights.</summary>
    ResNet18,

    /// <summary>TorchVision's ResNet-50 (fc = the embedding layer).</summary>
    ResNet50,

    /// <summary>InsightFace's IResNet-18 (<see cref="IResNet"/>), for 112x112 face crops; any size of at least 16x16.</summary>
    IResNet18,

    /// <summary>InsightFace's IResNet-34 (<see cref="IResNet"/>).</summary>
    IResNet34,

    /// <summary>InsightFace's IResNet-50 (<see cref="IResNet"/>), ArcFace's usual backbone (43.6 M parameters at 112x112, D = 512).</summary>
    IResNet50,

    /// <summary><see cref="Modeling.MobileFaceNet"/> (about 1.2 M parameters at D = 512), for 112x112 face crops; any size of at least 16x16.</summary>
    MobileFaceNet,
}
