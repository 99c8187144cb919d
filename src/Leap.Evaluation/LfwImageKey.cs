namespace Leap.Evaluation;

/// <summary>An LFW image named as in pairs.txt: the person's name and the 1-based image number (Name_0004.jpg is 4).</summary>
public readonly record struct LfwImageKey(string Name, int ImageNumber);
