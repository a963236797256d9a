// A guard against wrong float32 convolutions. On this package's build machine (a virtualised AMD EPYC),
// libtorch 2.10's oneDNN convolution kernels for AVX2 and AVX-512 return wrong values for LeNet5-Caffe's
// second convolution (20 -> 50 channels, 5x5): errors of ~4 on outputs of magnitude ~10 against the same
// convolution in float64 or as unfold + matmul, and occasional NaNs during training. The SSE4.1 kernels are
// right: setting ONEDNN_MAX_CPU_ISA=SSE41 in the environment (before the process starts; oneDNN reads it
// once) fixes it. Runs on convolutional networks check first and refuse to train on a wrong convolution.
// The fault belongs to the host, not to the CPU model: on other machines of the same kind every kernel is right, and
// AVX-512 makes a LeNet5-Caffe EPR step 1.7x faster on two threads. So the instruction set is chosen per machine:
// environment/onednn-isa.sh runs `Experiments check-convolution` under ALL, AVX2 and AVX in child processes and
// takes the first that passes (SSE41 when none does); the Makefile and the Jupyter kernel use its answer.
using Compression.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.Training;

public static class ConvolutionCheck
{
    public const string Fix = "ONEDNN_MAX_CPU_ISA=SSE41";

    /// <summary>The largest relative error accepted (float32 rounding gives about 1e-6 here; the fault gave 0.14).</summary>
    public const double Tolerance = 1e-4;

    /// <summary>
    /// Largest |float32 - float64| relative to the float64 scale, over LeNet5-Caffe's two convolution shapes at batch 16
    /// and the second at batch 128 (training's batch): the output, and the gradients for the input and the weights that a
    /// training step computes from a fixed upstream gradient.
    /// </summary>
    public static double RelativeError(Device? device = null)
    {
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(20170214);
        double worst = 0;
        foreach (var (n, c, o, size) in new[] { (16L, 1L, 20L, 28L), (16L, 20L, 50L, 12L), (128L, 20L, 50L, 12L) })
        {
            var x = rand([n, c, size, size], generator: generator).to(device ?? CPU);
            var w = (randn([o, c, 5, 5], generator: generator) * 0.2).to(device ?? CPU);
            var b = (randn([o], generator: generator) * 0.1).to(device ?? CPU);
            var upstream = randn([n, o, size - 4, size - 4], generator: generator).to(device ?? CPU);
            var (y32, gx32, gw32) = Evaluate(x, w, b, upstream);
            var (y64, gx64, gw64) = Evaluate(x.to(float64), w.to(float64), b.to(float64), upstream.to(float64));
            foreach (var (single, exact) in new[] { (y32, y64), (gx32, gx64), (gw32, gw64) })
            {
                double error = (single.to(float64) - exact).abs().max().item<double>() / exact.abs().max().item<double>();
                worst = Math.Max(worst, double.IsFinite(error) ? error : double.PositiveInfinity);
            }
        }
        return worst;
    }

    static (Tensor Output, Tensor InputGradient, Tensor WeightGradient) Evaluate(Tensor x, Tensor w, Tensor b, Tensor upstream)
    {
        var input = x.detach().requires_grad_();
        var weight = w.detach().requires_grad_();
        var y = F.conv2d(input, weight, b);
        y.backward([upstream]);
        return (y.detach(), input.grad!, weight.grad!);
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
        if (error > Tolerance)
            throw new InvalidOperationException(
                $"float32 conv2d differs from float64 by {error:P1} of the output scale on this machine (libtorch's oneDNN AVX2/AVX-512 kernels); " +
                $"start the process with {Fix} in the environment (current value: '{Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA")}').");
    }
}
