namespace Leap.Core.Statistics;

/// <summary>How a class centre blends with the mean of the class's new features (Eq. 4).</summary>
public enum CentreUpdateRule
{
    /// <summary>
    /// c &lt;- (1 - gamma) c + gamma * batch_mean: the centre-loss reading, where gamma is the centre's learning
    /// rate and a small gamma (0.1) makes the centre a slow moving average. This is the default because it is what
    /// "centre learning rate" means in the centre-loss work the paper builds on, and it keeps centres stable.
    /// </summary>
    CentreLoss,

    /// <summary>c &lt;- gamma c + (1 - gamma) * batch_mean: Eq. 4 as printed (the new batch mean weighs 1 - gamma).</summary>
    PaperEquation4,
}
