// `vision`: training images per second of the CIFAR-10 and ImageNet networks of EPR's Table 1, plain SGD step against
// EPR step (DFT kernels, the paper's groups, SGD as the paper budget), on random inputs of the real size (32x32 for
// CIFAR, 224x224 for ImageNet) with a small batch, after a warm-up; and the ImageNet loader's decoding rate (JPEG
// decode, random-resized crop, resize to 224, flip) on one thread for 500x375 JPEGs (ImageNet's typical size).
// Figures in this thread's CPU time (libtorch runs on the calling thread with one thread), robust on a shared,
// loaded machine, and in wall time; the machine's load average is printed beside them. Writes results/benchmarks/vision.md.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Compression.Data;
using Compression.Epr;
using Compression.Grouping;
using Compression.Models;
using Compression.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Benchmarks;

public static class VisionBenchmark
{
    public static int Run(string[] args)
    {
        int steps = 3, cifarBatch = 16, imagenetBatch = 4, threads = 1, images = 64;
        string? device = null, output = "results/benchmarks/vision.md";
        var models = new List<string>();
        for (int i = 0; i < args.Length; i++)
            switch (args[i])
            {
                case "--steps": steps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--cifar-batch": cifarBatch = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--imagenet-batch": imagenetBatch = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--images": images = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--model": models.Add(args[++i]); break;
                case "--device": device = args[++i]; break;
                case "--out": output = args[++i]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 1;
            }
        if (models.Count == 0) models = ["resnet20-4", "vgg16-cifar", "resnet18", "resnet50"];
        var dev = Devices.Choose(device);
        var report = new StringBuilder();
        report.AppendLine("# Training images per second of the CIFAR-10 and ImageNet networks").AppendLine()
              .AppendLine($"{steps} timed steps after a warm-up; libtorch threads {threads}; {Environment.ProcessorCount} cores visible; device {dev.type}; " +
                          $"ONEDNN_MAX_CPU_ISA={MachineLoad.Isa()}; load average before: {MachineLoad.Average()}.")
              .AppendLine("Images/s (CPU) = batch / this thread's CPU time per step (what one core gives, robust under load); images/s (wall) = batch / elapsed time.").AppendLine()
              .AppendLine("| model | input | batch | step | CPU s/step | images/s (CPU) | images/s (wall) |")
              .AppendLine("|---|---|---:|---|---:|---:|---:|");
        foreach (var model in models)
        {
            var architecture = Architectures.Create(model);
            bool imagenet = architecture is ResNetImageNet;
            int side = imagenet ? 224 : 32, batch = imagenet ? imagenetBatch : cifarBatch;
            foreach (var (variant, cpu, wall) in Measure(architecture, side, batch, steps, threads, dev))
            {
                var line = $"| {architecture.DisplayName} | {side}x{side} | {batch} | {variant} | {cpu:F3} | {batch / cpu:F2} | {batch / wall:F2} |";
                Console.WriteLine(line);
                report.AppendLine(line);
            }
        }
        var (decodeCpu, decodeWall) = DecodeRate(images);
        report.AppendLine().AppendLine("ImageNet loader, one thread, 500x375 JPEGs (quality 90) decoded, random-resized-cropped to 224x224, flipped:").AppendLine()
              .AppendLine($"| images | images/s (CPU) | images/s (wall) |").AppendLine("|---:|---:|---:|")
              .AppendLine($"| {images} | {decodeCpu:F1} | {decodeWall:F1} |");
        Console.WriteLine($"ImageNet decoding: {decodeCpu:F1} images/s per core (CPU time), {decodeWall:F1} wall");
        report.AppendLine().AppendLine($"Load average after: {MachineLoad.Average()}.");
        if (output != null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            File.WriteAllText(output, report.ToString());
            Console.WriteLine($"wrote {output}");
        }
        return 0;
    }

    static IEnumerable<(string Variant, double CpuSeconds, double WallSeconds)> Measure(Architecture architecture, int side, int batch, int steps, int threads, Device dev)
    {
        Devices.Seed(1, threads);
        using var x = randn(batch, 3, side, side, device: dev);
        using var y = randint(0, 10, batch, device: dev);
        {
            using var network = architecture.NewNetwork(dev);
            var weights = network.Parameters.Select(t => { var p = new Parameter(t.detach().clone()); p.DetachFromDisposeScope(); return p; }).ToList();
            using var values = new NetworkValues(architecture, weights, network.State, owns: false);
            using var sgd = optim.SGD(weights, 0.01, momentum: 0.9);
            var t = Time(steps, dev, () =>
            {
                using var scope = NewDisposeScope();
                var loss = F.cross_entropy(architecture.Forward(x, values, training: true), y);
                sgd.zero_grad();
                loss.backward();
                sgd.step();
                _ = loss.item<float>();
            });
            foreach (var w in weights) w.Dispose();
            yield return ("plain SGD", t.Cpu, t.Wall);
        }
        {
            ReparameterizedNetwork reparameterized;
            using (var init = NewDisposeScope())
            using (var start = architecture.NewNetwork(dev))
                reparameterized = ReparameterizedNetwork.Create(EprVisionGroups.For(architecture, TransformKind.Dft).For(architecture), start, device: dev);
            using (reparameterized)
            {
                var options = architecture is ResNetImageNet ? EprVisionBudgets.ImageNet("paper", architecture) : EprVisionBudgets.Cifar10("paper", architecture);
                using var stepper = new EprStep(reparameterized, options, 1e-6);
                var t = Time(steps, dev, () => stepper.Run(x, y));
                yield return ("EPR (DFT, SGD)", t.Cpu, t.Wall);
            }
        }
    }

    static (double Cpu, double Wall) Time(int steps, Device device, Action step)
    {
        for (int i = 0; i < Math.Max(1, steps / 3); i++) step();
        if (device.type == DeviceType.CUDA) cuda.synchronize();
        var wall = Stopwatch.StartNew();
        double cpu = ThreadClock.Now();
        for (int i = 0; i < steps; i++) step();
        if (device.type == DeviceType.CUDA) cuda.synchronize();
        return ((ThreadClock.Now() - cpu) / steps, wall.Elapsed.TotalSeconds / steps);
    }

    /// <summary>Images per second of ImageNet's training transform (decode, random-resized crop, resize to 224, flip) on this thread.</summary>
    static (double Cpu, double Wall) DecodeRate(int count)
    {
        var file = SyntheticJpeg(500, 375);
        var output = new byte[3 * 224 * 224];
        void One(int i) => ImageDecoding.CropResize(file, "synthetic.jpg", (w, h) =>
        {
            var random = Augmentation.For(1, i);
            var box = Augmentation.RandomResizedCrop(w, h, ref random);
            return (box, Augmentation.Flip(ref random));
        }, 224, output);
        One(0);
        var wall = Stopwatch.StartNew();
        double cpu = ThreadClock.Now();
        for (int i = 0; i < count; i++) One(i);
        return (count / (ThreadClock.Now() - cpu), count / wall.Elapsed.TotalSeconds);
    }

    static byte[] SyntheticJpeg(int width, int height)
    {
        var pixels = new byte[width * height * 4];
        var random = new Random(1);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int o = (y * width + x) * 4;
                pixels[o] = (byte)(128 + 100 * Math.Sin(x / 17.0) + random.Next(-20, 20));
                pixels[o + 1] = (byte)(128 + 100 * Math.Cos(y / 11.0) + random.Next(-20, 20));
                pixels[o + 2] = (byte)random.Next(256);
                pixels[o + 3] = 255;
            }
        using var image = SkiaSharp.SKImage.FromPixelCopy(new SkiaSharp.SKImageInfo(width, height, SkiaSharp.SKColorType.Rgba8888, SkiaSharp.SKAlphaType.Opaque), pixels);
        using var data = image.Encode(SkiaSharp.SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }
}
