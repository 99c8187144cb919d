namespace Leap.Training.Distributed;

/// <summary>How a data-parallel job holds the classifier's rows (Training:Distributed:Classifier).</summary>
public enum ClassifierPlacement
{
    /// <summary>Replicated when the classifier is small next to the backbone (ClassifierPlacementRule), else sharded.</summary>
    Auto,

    /// <summary>
    /// Model parallel: each rank holds a contiguous class range (ClassShard.For) and the step gathers the
    /// global batch's embeddings and computes a distributed softmax (DataParallelStep). What a classifier of
    /// millions of classes needs.
    /// </summary>
    Sharded,

    /// <summary>
    /// Every rank holds every row and computes its own slice's loss; the classifier's gradient joins the backbone's in
    /// one fused all-reduce (ReplicatedClassifierStep). One collective per step instead of four.
    /// </summary>
    Replicated,
}
