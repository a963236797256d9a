// Straight-through rounding (Bengio et al. 2013): the forward pass sees the nearest integer, the backward pass
// treats rounding as the identity, so the task loss trains the continuous surrogate phi_hat.
using static TorchSharp.torch;

namespace Compression.Epr;

public static class StraightThrough
{
    /// <summary>round(x) forward, identity gradient.</summary>
    public static Tensor Round(Tensor x) => x + (x.detach().round() - x.detach());
}
