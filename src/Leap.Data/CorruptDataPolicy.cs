namespace Leap.Data;

/// <summary>What a reader or decoder does when it meets a corrupt record or image.</summary>
public enum CorruptDataPolicy
{
    /// <summary>Throw <see cref="InvalidDataException"/> naming the source and, where there is one, the byte offset.</summary>
    Throw,

    /// <summary>Log a warning, count the item in a <see cref="SkippedItems{TId}"/> and go on without it.</summary>
    Skip,
}
