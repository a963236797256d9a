// An image file (JPEG, or the PNG that hides among ILSVRC2012's training JPEGs) to a square crop of C x S x S bytes:
// decoded by SkiaSharp (libjpeg-turbo) at full size, then resized here by an antialiased bilinear (triangle) filter,
// separable, written in C# so that the same bytes come out on every machine; optionally mirrored. (The JPEG decoder's
// own DCT scaling to 1/2 .. 1/8 would be faster for large crops, but SkiaSharp 2.88.6's Linux native library crashes
// on any scaled decode or GetScaledDimensions call: a segmentation fault, measured here.)
// Greyscale and CMYK images come out as RGB. A file that does not decode is an error naming it.
using SkiaSharp;

namespace Compression.Data;

/// <summary>An image file that is not a decodable JPEG or PNG.</summary>
public sealed class ImageDecodingException(string message) : IOException(message);

public static class ImageDecoding
{
    /// <summary>The decoded size of an image without decoding its pixels.</summary>
    public static (int Width, int Height) Size(byte[] file, string name)
    {
        using var data = SKData.CreateCopy(file);
        using var codec = SKCodec.Create(data) ?? throw new ImageDecodingException($"{name}: not a JPEG or PNG image Skia can read ({file.Length} bytes)");
        return (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>
    /// Decodes <paramref name="file"/>, picks the crop and the flip (a function of its size: a random-resized crop and a coin,
    /// or the centre crop), resizes the crop to <paramref name="side"/> x <paramref name="side"/>, mirrors it when asked, and
    /// writes RGB planes into <paramref name="output"/> (3 x side x side).
    /// </summary>
    public static void CropResize(byte[] file, string name, Func<int, int, (CropBox Box, bool Flip)> plan, int side, Span<byte> output)
    {
        using var data = SKData.CreateCopy(file);
        using var codec = SKCodec.Create(data) ?? throw new ImageDecodingException($"{name}: not a JPEG or PNG image Skia can read ({file.Length} bytes)");
        int width = codec.Info.Width, height = codec.Info.Height;
        if (width < 1 || height < 1 || (long)width * height > 100_000_000) throw new ImageDecodingException($"{name}: implausible size {width} x {height}");
        var (box, flip) = plan(width, height);
        if (box.Width < 1 || box.Height < 1 || box.Left < 0 || box.Top < 0 || box.Left + box.Width > width || box.Top + box.Height > height)
            throw new ArgumentException($"{name}: crop {box} outside the {width} x {height} image");
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var pixels = new byte[info.BytesSize];
        var result = codec.GetPixels(info, pixels);
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            throw new ImageDecodingException($"{name}: decoding failed ({result})");
        Resize(pixels, width, height, box.Left, box.Top, box.Width, box.Height, side, flip, output);
    }

    /// <summary>
    /// The region [left, left + w) x [top, top + h) of an RGBA image, resampled to side x side RGB planes by a triangle
    /// filter whose radius is the scale factor (at least 1: bilinear when enlarging), taps clamped to the region.
    /// </summary>
    public static void Resize(byte[] rgba, int width, int height, double left, double top, double w, double h, int side, bool flip, Span<byte> output)
    {
        var (xStart, xCount, xWeights) = Taps(left, w, side, width);
        var (yStart, yCount, yWeights) = Taps(top, h, side, height);
        int rowFirst = yStart.Min(), rowLast = Enumerable.Range(0, side).Max(i => yStart[i] + yCount[i] - 1);
        int rows = rowLast - rowFirst + 1;
        var horizontal = new float[rows * side * 3];
        for (int r = 0; r < rows; r++)
        {
            int rowOffset = (rowFirst + r) * width * 4;
            for (int x = 0; x < side; x++)
            {
                float red = 0, green = 0, blue = 0;
                int offset = x * xWeights.Length / side;
                for (int k = 0; k < xCount[x]; k++)
                {
                    float weight = xWeights[offset + k];
                    int p = rowOffset + (xStart[x] + k) * 4;
                    red += weight * rgba[p]; green += weight * rgba[p + 1]; blue += weight * rgba[p + 2];
                }
                int o = (r * side + x) * 3;
                horizontal[o] = red; horizontal[o + 1] = green; horizontal[o + 2] = blue;
            }
        }
        int plane = side * side;
        for (int y = 0; y < side; y++)
        {
            int offset = y * yWeights.Length / side;
            for (int x = 0; x < side; x++)
            {
                float red = 0, green = 0, blue = 0;
                for (int k = 0; k < yCount[y]; k++)
                {
                    float weight = yWeights[offset + k];
                    int o = ((yStart[y] + k - rowFirst) * side + x) * 3;
                    red += weight * horizontal[o]; green += weight * horizontal[o + 1]; blue += weight * horizontal[o + 2];
                }
                int target = y * side + (flip ? side - 1 - x : x);
                output[target] = ToByte(red);
                output[plane + target] = ToByte(green);
                output[2 * plane + target] = ToByte(blue);
            }
        }
    }

    static byte ToByte(float v) => (byte)Math.Clamp((int)MathF.Round(v), 0, 255);

    /// <summary>Per output pixel: the first source pixel, the tap count, and normalised weights (a fixed stride per output pixel).</summary>
    static (int[] Start, int[] Count, float[] Weights) Taps(double origin, double extent, int side, int limit)
    {
        double scale = extent / side, radius = Math.Max(1, scale);
        int lo = Math.Max(0, (int)Math.Floor(origin)), hi = Math.Min(limit - 1, (int)Math.Ceiling(origin + extent) - 1);
        int stride = (int)Math.Ceiling(2 * radius) + 2;
        var start = new int[side];
        var count = new int[side];
        var weights = new float[side * stride];
        for (int i = 0; i < side; i++)
        {
            double centre = origin + (i + 0.5) * scale;
            int first = Math.Max(lo, (int)Math.Floor(centre - radius)), last = Math.Min(hi, (int)Math.Ceiling(centre + radius));
            double total = 0;
            int n = 0;
            var w = new double[Math.Max(1, last - first + 1)];
            for (int j = first; j <= last; j++, n++) { w[n] = Math.Max(0, 1 - Math.Abs(j + 0.5 - centre) / radius); total += w[n]; }
            if (total <= 0)
            {
                // The centre sits between taps that all weigh 0 (a tiny region): take the nearest pixel.
                first = Math.Clamp((int)Math.Floor(centre), lo, hi);
                start[i] = first; count[i] = 1; weights[i * stride] = 1;
                continue;
            }
            // Drop zero-weight taps at the ends so the count fits the stride.
            int begin = 0, end = n - 1;
            while (begin < end && w[begin] == 0) begin++;
            while (end > begin && w[end] == 0) end--;
            start[i] = first + begin;
            count[i] = Math.Min(stride, end - begin + 1);
            double kept = 0;
            for (int k = 0; k < count[i]; k++) kept += w[begin + k];
            for (int k = 0; k < count[i]; k++) weights[i * stride + k] = (float)(w[begin + k] / kept);
        }
        return (start, count, weights);
    }
}
