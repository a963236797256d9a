// A guard against wrong float32 convolutions. On this package's build machine (a virtualised AMD EPYC),
// libtorch 2.10's oneDNN convolution kernels for AVX2 and AVX-512 return wrong values for LeNet5-Caffe's
// second convolution (20 -> 50 channels, 5x5): errors of ~4 on outputs of magnitude ~10 against the same
// convolution in float64 or as unfold + matmul, and occasional NaNs during training. The SSE4.1 kernels are
// right: setting ONEDNN_MAX_CPU_ISA=SSE41 in the environment (before the process starts; oneDNN reads it
// once) fixes it. Runs on convolutional networks check first and refuse to train on a wrong convolution.
using Compression.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.Training;

public static class ConvolutionCheck
{
    public const string Fix = "ONEDNN_MAX_CPU_ISA=SSE41";

    /// <summary>Largest |float32 conv2d - float64 conv2d| relative to the output scale, on LeNet5-Caffe's two convolution shapes.</summary>
    public static double RelativeError(Device? device = null)
    {
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(20170214);
        double worst = 0;
        foreach (var (c, o, size) in new[] { (1L, 20L, 28L), (20L, 50L, 12L) })
        {
            var x = rand([16, c, size, size], generator: generator).to(device ?? CPU);
            var w = (randn([o, c, 5, 5], generator: generator) * 0.2).to(device ?? CPU);
            var b = (randn([o], generator: generator) * 0.1).to(device ?? CPU);
            var single = F.conv2d(x, w, b).to(float64);
            var exact = F.conv2d(x.to(float64), w.to(float64), b.to(float64));
            double error = (single - exact).abs().max().item<double>() / exact.abs().max().item<double>();
            worst = Math.Max(worst, double.IsFinite(error) ? error : double.PositiveInfinity);
        }
        return worst;
    }

    /// <summary>For a network with convolutions, <see cref="EnsureAccurate"/>; for one without, nothing to check.</summary>
    public static void EnsureAccurateFor(Architecture architecture, Device? device = null)
    {
        if (architecture.Parameters.Any(p => p.Kind == LayerKind.Convolution)) EnsureAccurate(device);
    }

    /// <summary>Throws when float32 convolutions are wrong here, naming the fix.</summary>
    public static void EnsureAccurate(Device? device = null)
    {
        double error = RelativeError(device);
        if (error > 1e-4)
            throw new InvalidOperationException(
                $"float32 conv2d differs from float64 by {error:P1} of the output scale on this machine (libtorch's oneDNN AVX2/AVX-512 kernels); " +
                $"start the process with {Fix} in the environment (current value: '{Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA")}').");
    }
}
