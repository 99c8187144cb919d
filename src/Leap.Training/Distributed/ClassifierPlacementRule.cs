namespace Leap.Training.Distributed;

/// <summary>
/// Resolves <see cref="ClassifierPlacement.Auto"/>: replicate the classifier when its gradient adds at most a quarter
/// to the backbone gradient every step all-reduces anyway (classes x embedding dimension &lt;= backbone parameters / 4)
/// and neither partial FC (it updates sampled rows of a shard) nor the overlapped backward (it runs on the sharded step)
/// is on. The quick start's 10 x 64 classifier next to a 0.1 M
/// parameter CNN, or Market's 730 x 512 next to ResNet-18's 11 M, are replicated; MS-Celeb's 85 k x 512 is sharded.
/// </summary>
public static class ClassifierPlacementRule
{
    public static ClassifierPlacement Resolve(ClassifierPlacement requested, int worldSize, long classes, long embeddingDimension,
        long backboneParameters, double sampleRate, bool overlapGradients)
    {
        if (worldSize <= 1)
        {
            return ClassifierPlacement.Sharded;
        }
        if (requested != ClassifierPlacement.Auto)
        {
            return requested;
        }
        bool small = classes * embeddingDimension * 4 <= backboneParameters;
        return small && sampleRate >= 1 && !overlapGradients ? ClassifierPlacement.Replicated : ClassifierPlacement.Sharded;
    }
}
