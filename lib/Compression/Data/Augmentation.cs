// The standard training augmentations of the CIFAR and ImageNet papers, drawn per image from the package's own
// generator (SplitMix64), so that a batch's augmentation is a function of (augmentation seed, position in the batch)
// only: the same on every machine, thread count and device, and the same after a resume.
//   CIFAR (He et al. 2016, section 4.2): pad 4 pixels of zeros on each side, take a random 32x32 crop, flip
//     horizontally with probability 1/2, each image on its own (TorchVision 0.107's RandomHorizontalFlip flips a whole
//     batch at once, and it has no RandomCrop).
//   ImageNet (Szegedy et al. 2015, as torchvision's RandomResizedCrop): a crop of 8% to 100% of the image's area with
//     an aspect ratio between 3/4 and 4/3 (log-uniform), up to 10 tries, else the central crop of the clamped ratio;
//     resized to 224x224; flipped with probability 1/2. Evaluation: shorter side to 256, the central 224x224.
using Compression.Randomness;

namespace Compression.Data;

/// <summary>A crop box in pixels of the source image.</summary>
public readonly record struct CropBox(int Left, int Top, int Width, int Height);

public static class Augmentation
{
    /// <summary>The generator of image <paramref name="position"/> of a batch augmented with <paramref name="seed"/>.</summary>
    public static SplitMix64 For(long seed, int position) => new((ulong)SeedSequence.Derive(seed, position, 0x1A6E));

    /// <summary>
    /// CIFAR's pad-crop-flip of one channel-major image (channels x side x side bytes) into <paramref name="output"/>:
    /// output(c, y, x) = input(c, y + dy, x' + dx) with x' = side - 1 - x when flipped, 0 outside the image;
    /// dy, dx uniform in [-padding, padding].
    /// </summary>
    public static void PadCropFlip(ReadOnlySpan<byte> input, Span<byte> output, int channels, int side, int padding, ref SplitMix64 random)
    {
        int dy = (int)(random.Next() % (ulong)(2 * padding + 1)) - padding;
        int dx = (int)(random.Next() % (ulong)(2 * padding + 1)) - padding;
        bool flip = (random.Next() & 1) == 1;
        int plane = side * side;
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < side; y++)
            {
                int sy = y + dy;
                var row = output.Slice(c * plane + y * side, side);
                if (sy < 0 || sy >= side) { row.Clear(); continue; }
                var source = input.Slice(c * plane + sy * side, side);
                for (int x = 0; x < side; x++)
                {
                    int sx = (flip ? side - 1 - x : x) + dx;
                    row[x] = sx >= 0 && sx < side ? source[sx] : (byte)0;
                }
            }
    }

    /// <summary>
    /// The box of a random-resized crop (torchvision's algorithm): area fraction uniform in [<paramref name="minArea"/>, 1],
    /// log aspect uniform in [ln 3/4, ln 4/3], up to 10 tries; else the whole image cropped centrally to the nearest allowed ratio.
    /// </summary>
    public static CropBox RandomResizedCrop(int width, int height, ref SplitMix64 random, double minArea = 0.08, double minRatio = 3.0 / 4, double maxRatio = 4.0 / 3)
    {
        double area = (double)width * height;
        double logMin = Math.Log(minRatio), logMax = Math.Log(maxRatio);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double target = area * (minArea + (1 - minArea) * random.NextDouble());
            double ratio = Math.Exp(logMin + (logMax - logMin) * random.NextDouble());
            int w = (int)Math.Round(Math.Sqrt(target * ratio));
            int h = (int)Math.Round(Math.Sqrt(target / ratio));
            if (w > 0 && h > 0 && w <= width && h <= height)
            {
                int top = (int)(random.Next() % (ulong)(height - h + 1));
                int left = (int)(random.Next() % (ulong)(width - w + 1));
                return new CropBox(left, top, w, h);
            }
        }
        double inRatio = (double)width / height;
        int cw = width, ch = height;
        if (inRatio < minRatio) ch = (int)Math.Round(cw / minRatio);
        else if (inRatio > maxRatio) cw = (int)Math.Round(ch * maxRatio);
        return new CropBox((width - cw) / 2, (height - ch) / 2, cw, ch);
    }

    /// <summary>
    /// Evaluation's crop: the image scaled so its shorter side is <paramref name="resize"/> (256), then the central
    /// <paramref name="crop"/> x <paramref name="crop"/> (224); returned as the box in the source image's pixels.
    /// </summary>
    public static CropBox CentreCrop(int width, int height, int resize = 256, int crop = 224)
    {
        double scale = (double)resize / Math.Min(width, height);
        double side = crop / scale;
        double left = (width - side) / 2, top = (height - side) / 2;
        int l = Math.Max(0, (int)Math.Round(left)), t = Math.Max(0, (int)Math.Round(top));
        int s = Math.Min((int)Math.Round(side), Math.Min(width - l, height - t));
        return new CropBox(l, t, Math.Max(1, s), Math.Max(1, s));
    }

    /// <summary>A fair coin for the horizontal flip.</summary>
    public static bool Flip(ref SplitMix64 random) => (random.Next() & 1) == 1;
}
