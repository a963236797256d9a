// Layers that need more than one tensor, written once for every architecture.
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.Models;

public static class Layers
{
    /// <summary>PyTorch's defaults.</summary>
    public const double BatchNormMomentum = 0.1, BatchNormEpsilon = 1e-5;

    /// <summary>
    /// Batch normalisation of layer <paramref name="layer"/>: y = gamma (x - mean) / sqrt(var + eps) + beta, with
    /// batch statistics in training mode (which also update "&lt;layer&gt;.running_mean/var" in place) and the running
    /// statistics otherwise. gamma is "&lt;layer&gt;.weight" and beta "&lt;layer&gt;.bias"; either may be absent from the
    /// architecture (EPR's convention fixes gamma to 1).
    /// </summary>
    public static Tensor BatchNorm(Tensor x, NetworkValues values, string layer, bool training)
    {
        var mean = values[$"{layer}.running_mean"];
        var variance = values[$"{layer}.running_var"];
        return F.batch_norm(x, mean, variance, values.Find($"{layer}.weight"), values.Find($"{layer}.bias"), training, BatchNormMomentum, BatchNormEpsilon);
    }

    /// <summary>
    /// 2 x 2 max pooling with stride 2, the same values and gradients as <c>F.max_pool2d(x, 2)</c> bit for bit, several
    /// times faster on the CPU (see <see cref="MaxPool2x2Function"/>); other devices and types use max_pool2d.
    /// </summary>
    public static Tensor MaxPool2x2(Tensor x) => MaxPool2x2Function.Applies(x) ? MaxPool2x2Function.apply(x) : F.max_pool2d(x, 2);
}
