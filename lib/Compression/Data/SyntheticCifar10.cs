// A stand-in for CIFAR-10 where the real data cannot be had (tests, smoke runs of the notebooks): files in the real
// binary format and folder layout (<dataDir>/cifar10/cifar-10-batches-bin/data_batch_1..5.bin, test_batch.bin,
// batches.meta.txt, MANIFEST), with fewer records, that a network can learn: image of class c =
//     128 + 48 * tint_c[channel] + 40 * cos(2 pi f_c (x cos a_c + y sin a_c) / 32 + phase) + brightness + noise,
// a class colour and a class stripe orientation/frequency, a random phase, brightness (+-16) and noise (sd 24) per image.
// The manifest's source says "synthetic", so a loaded set is named "cifar10-synthetic" and cannot pass for CIFAR-10.
using Compression.Randomness;
using Datasets;

namespace Compression.Data;

public static class SyntheticCifar10
{
    /// <summary>Writes the six files (<paramref name="perTrainFile"/> records in each training file, <paramref name="test"/> in the test file) and the manifest.</summary>
    public static string Write(string dataDir, int perTrainFile = 400, int test = 500, long seed = 1)
    {
        if (perTrainFile < 1 || test < 1) throw new ArgumentOutOfRangeException(nameof(perTrainFile), "at least one record per file");
        var batches = Cifar10Files.BatchesDirectory(dataDir);
        Directory.CreateDirectory(batches);
        var random = new SplitMix64((ulong)SeedSequence.Derive(seed, 0, 0xC1FA));
        for (int f = 0; f < Cifar10Files.TrainFiles.Length; f++)
            AtomicFile.WriteAllBytes(Path.Combine(batches, Cifar10Files.TrainFiles[f]), Cifar10Files.Encode(Images(perTrainFile, ref random)));
        AtomicFile.WriteAllBytes(Path.Combine(batches, Cifar10Files.TestFile), Cifar10Files.Encode(Images(test, ref random)));
        AtomicFile.WriteAllText(Path.Combine(batches, Cifar10Files.MetaFile), string.Join("\n", Cifar10Files.ClassNames) + "\n");
        Cifar10Manifest.Write(dataDir, $"synthetic (SyntheticCifar10, seed {seed}, {perTrainFile} x 5 training and {test} test images): not CIFAR-10");
        return Cifar10Files.DirectoryFor(dataDir);
    }

    static Cifar10Images Images(int count, ref SplitMix64 random)
    {
        var labels = new byte[count];
        var pixels = new byte[count * Cifar10Files.ImageBytes];
        for (int i = 0; i < count; i++)
        {
            int c = (int)(random.Next() % Cifar10Files.Classes);
            labels[i] = (byte)c;
            double angle = Math.PI * c / Cifar10Files.Classes, frequency = 2 + c % 3;
            double phase = 2 * Math.PI * random.NextDouble(), brightness = 32 * (random.NextDouble() - 0.5);
            for (int ch = 0; ch < 3; ch++)
            {
                double tint = Math.Cos(2 * Math.PI * (c / 10.0 + ch / 3.0));
                for (int y = 0; y < Cifar10Files.Side; y++)
                    for (int x = 0; x < Cifar10Files.Side; x++)
                    {
                        double stripes = Math.Cos(2 * Math.PI * frequency * (x * Math.Cos(angle) + y * Math.Sin(angle)) / Cifar10Files.Side + phase);
                        double v = 128 + 48 * tint + 40 * stripes + brightness + 24 * random.NextGaussian();
                        pixels[i * Cifar10Files.ImageBytes + (ch * Cifar10Files.Side + y) * Cifar10Files.Side + x] = (byte)Math.Clamp(Math.Round(v), 0, 255);
                    }
            }
        }
        return new Cifar10Images(labels, pixels);
    }
}
