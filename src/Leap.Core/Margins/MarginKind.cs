namespace Leap.Core.Margins;

public enum MarginKind
{
    /// <summary>Eq. 1: s (cos theta_y - m_c) for the target column.</summary>
    CosFace,

    /// <summary>Eq. 2: s cos(theta_y + m_a) for the target column.</summary>
    ArcFace,
}
