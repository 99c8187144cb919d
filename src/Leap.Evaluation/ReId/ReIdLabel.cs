namespace Leap.Evaluation.ReId;

/// <summary>
/// Who and where: the person id and the camera of a re-ID image. Person id -1 marks a junk image (never a match nor a
/// mismatch, removed from every ranking), as in Market-1501.
/// </summary>
public readonly record struct ReIdLabel(int PersonId, int CameraId)
{
    public const int JunkPersonId = -1;

    public bool IsJunk => PersonId == JunkPersonId;
}
