namespace Leap.Data.Images;

/// <summary>The channels a decoder produces, whatever the file stores.</summary>
public enum ImageChannels
{
    /// <summary>Three planes R, G, B; a grey source is copied to all three.</summary>
    Rgb = 3,

    /// <summary>One plane; a colour source becomes luma 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601).</summary>
    Grey = 1,
}
