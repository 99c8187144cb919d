namespace Leap.Data.Images;

/// <summary>
/// A decoded image as a float buffer in CHW order ([Channels, Height, Width], the layout a tensor takes):
/// element (c, y, x) is at <c>(c * Height + y) * Width + x</c>. Decoders produce values in [0, 1].
/// </summary>
public sealed class ImageBuffer
{
    public ImageBuffer(int channels, int height, int width, float[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentNullException.ThrowIfNull(data);
        if ((long)channels * height * width != data.LongLength)
        {
            throw new ArgumentException(
                $"{data.Length} values do not fill [{channels}, {height}, {width}].", nameof(data));
        }

        Channels = channels;
        Height = height;
        Width = width;
        Data = data;
    }

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }

    /// <summary>The CHW values; writable so a transform may work in place on a buffer it owns.</summary>
    public float[] Data { get; }

    public int PlaneSize => Height * Width;

    public float this[int channel, int y, int x]
    {
        get => Data[Index(channel, y, x)];
        set => Data[Index(channel, y, x)] = value;
    }

    public static ImageBuffer Zeros(int channels, int height, int width) =>
        new(channels, height, width, new float[checked(channels * height * width)]);

    /// <summary>The plane of one channel, row-major.</summary>
    public Span<float> Plane(int channel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, Channels);
        return Data.AsSpan(channel * PlaneSize, PlaneSize);
    }

    /// <summary>A new buffer holding rows top..top+height-1 and columns left..left+width-1.</summary>
    public ImageBuffer Crop(int top, int left, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        ArgumentOutOfRangeException.ThrowIfNegative(left);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (top + height > Height || left + width > Width)
        {
            throw new ArgumentOutOfRangeException(
                nameof(height), $"Crop {height}x{width} at ({top}, {left}) leaves the {Height}x{Width} image.");
        }

        var cropped = Zeros(Channels, height, width);
        for (int c = 0; c < Channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                Data.AsSpan(Index(c, top + y, left), width).CopyTo(cropped.Data.AsSpan(cropped.Index(c, y, 0), width));
            }
        }

        return cropped;
    }

    /// <summary>A new buffer mirrored left-right.</summary>
    public ImageBuffer FlipHorizontal()
    {
        var flipped = new ImageBuffer(Channels, Height, Width, (float[])Data.Clone());
        for (int row = 0; row < Channels * Height; row++)
        {
            flipped.Data.AsSpan(row * Width, Width).Reverse();
        }

        return flipped;
    }

    private int Index(int channel, int y, int x)
    {
        if ((uint)channel >= (uint)Channels || (uint)y >= (uint)Height || (uint)x >= (uint)Width)
        {
            throw new ArgumentOutOfRangeException(
                nameof(channel), $"({channel}, {y}, {x}) is outside [{Channels}, {Height}, {Width}].");
        }

        return (((channel * Height) + y) * Width) + x;
    }
}
