using System.Globalization;

namespace Leap.Evaluation;

/// <summary>An LFW image named as in pairs.txt: the person's name and the 1-based image number (Name_0004.jpg is 4).</summary>
public readonly record struct LfwImageKey(string Name, int ImageNumber)
{
    /// <summary>"lfw/Aaron_Peirsol/Aaron_Peirsol_0002.jpg" -> (Aaron_Peirsol, 2); a file name without a number gets -1.</summary>
    public static LfwImageKey FromPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string stem = Path.GetFileNameWithoutExtension(path);
        int underscore = stem.LastIndexOf('_');
        string person = Path.GetFileName(Path.GetDirectoryName(path)) ?? "";
        return underscore > 0 && int.TryParse(stem[(underscore + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int number)
            ? new LfwImageKey(person, number)
            : new LfwImageKey(person, -1);
    }
}
