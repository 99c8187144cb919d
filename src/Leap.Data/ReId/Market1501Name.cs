using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Leap.Data.ReId;

/// <summary>
/// The fields of a Market-1501 style file name <c>PID_cCAMsSEQ_FRAME_BOX.ext</c>, e.g. <c>0002_c1s1_000451_03.jpg</c>:
/// person 2, camera 1, sequence 1, frame 451, detection box 3. Person id -1 marks a junk image (counted neither as
/// a match nor a mismatch), 0 a distractor.
/// </summary>
public readonly partial record struct Market1501Name(int PersonId, int CameraId, int Sequence, int Frame, int Box)
{
    public const int JunkPersonId = -1;
    public const int DistractorPersonId = 0;

    public bool IsJunk => PersonId == JunkPersonId;
    public bool IsDistractor => PersonId == DistractorPersonId;

    /// <summary>Parses a file name (a path is allowed; only its last segment is read).</summary>
    /// <exception cref="FormatException">The name does not follow the pattern.</exception>
    public static Market1501Name Parse(string fileName) =>
        TryParse(fileName, out Market1501Name name)
            ? name
            : throw new FormatException(
                $"'{fileName}' is not a Market-1501 name PID_cCAMsSEQ_FRAME_BOX.jpg (e.g. 0002_c1s1_000451_03.jpg).");

    public static bool TryParse([NotNullWhen(true)] string? fileName, out Market1501Name name)
    {
        name = default;
        if (fileName is null)
        {
            return false;
        }

        Match match = Pattern().Match(Path.GetFileName(fileName));
        if (!match.Success)
        {
            return false;
        }

        if (!TryInt(match.Groups["pid"].Value, out int pid) || !TryInt(match.Groups["cam"].Value, out int camera)
            || !TryInt(match.Groups["seq"].Value, out int sequence) || !TryInt(match.Groups["frame"].Value, out int frame)
            || !TryInt(match.Groups["box"].Value, out int box))
        {
            return false;
        }

        name = new Market1501Name(pid, camera, sequence, frame, box);
        return true;
    }

    private static bool TryInt(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    [GeneratedRegex(@"^(?<pid>-1|\d{1,9})_c(?<cam>\d{1,9})s(?<seq>\d{1,9})_(?<frame>\d{1,9})_(?<box>\d{1,9})\.(jpe?g|png)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
