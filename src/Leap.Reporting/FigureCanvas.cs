using OxyPlot;
using OxyPlot.SkiaSharp;
using SkiaSharp;

namespace Leap.Reporting;

/// <summary>
/// Renders OxyPlot models as panels of one PNG (row-major grid, white background), through OxyPlot's SkiaSharp
/// render context.
/// </summary>
public static class FigureCanvas
{
    public const string Font = "DejaVu Sans";

    /// <summary>Writes <paramref name="panels"/> in a grid of <paramref name="columns"/> columns; returns the image size.</summary>
    public static (int Width, int Height) SavePng(string path, IReadOnlyList<PlotModel> panels, int columns, int panelWidth = 560, int panelHeight = 420)
    {
        ArgumentNullException.ThrowIfNull(panels);
        ArgumentOutOfRangeException.ThrowIfZero(panels.Count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        columns = Math.Min(columns, panels.Count);
        int rows = (panels.Count + columns - 1) / columns;
        int width = columns * panelWidth, height = rows * panelHeight;
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        using (var context = new SkiaRenderContext { RenderTarget = RenderTarget.PixelGraphic, SkCanvas = canvas })
        {
            canvas.Clear(SKColors.White);
            for (int i = 0; i < panels.Count; i++)
            {
                PlotModel model = panels[i];
                model.Background = OxyColors.White;
                ((IPlotModel)model).Update(true);
                canvas.Save();
                canvas.Translate(i % columns * panelWidth, i / columns * panelHeight);
                ((IPlotModel)model).Render(context, new OxyRect(0, 0, panelWidth, panelHeight));
                canvas.Restore();
            }
        }
        using var stream = File.Create(path);
        if (!bitmap.Encode(stream, SKEncodedImageFormat.Png, 100))
        {
            throw new IOException($"Could not encode the figure {path} as PNG.");
        }
        return (width, height);
    }

    /// <summary>A panel with the house font and a title.</summary>
    public static PlotModel Panel(string title, string? subtitle = null) => new()
    {
        Title = title,
        Subtitle = subtitle,
        DefaultFont = Font,
        TitleFontSize = 15,
        SubtitleFontSize = 12,
        DefaultFontSize = 12,
        PlotMargins = new OxyThickness(double.NaN),
    };
}
