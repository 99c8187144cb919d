namespace Leap.Core.Margins;

public static class MarginFactory
{
    public static IMarginTransform Create(MarginKind kind, double scale, double margin) => kind switch
    {
        MarginKind.CosFace => new CosFaceMargin(scale, margin),
        MarginKind.ArcFace => new ArcFaceMargin(scale, margin),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown margin kind."),
    };
}
