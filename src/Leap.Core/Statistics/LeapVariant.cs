namespace Leap.Core.Statistics;

public enum LeapVariant
{
    /// <summary>No feature clouds: plain CosFace / ArcFace.</summary>
    None,

    /// <summary>Eq. 6: sigma^2 is the mean sigma_i^2 over head classes (K_i &gt; T); only tail classes get clouds.</summary>
    Vanilla,

    /// <summary>Eq. 9: sigma^2 is the (K_i - 1)-weighted mean of sigma_i^2 over all classes; any class with sigma_i^2 &lt; sigma^2 gets a cloud.</summary>
    Full,
}
