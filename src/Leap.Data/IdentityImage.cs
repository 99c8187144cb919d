namespace Leap.Data;

/// <summary>One image file of an identity-per-folder tree and the id of its identity.</summary>
public readonly record struct IdentityImage(string Path, int ClassId);
