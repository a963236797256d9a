// A group: parameter tensors that share one parameter decoder and one probability model, fixed before training.
// Its latents are d rows of l values: l = 1 (scalar decoders) or l = k*k for k x k convolution kernels coded as
// vectors through a fixed transform (EPR section 2, the CIFAR/ImageNet f_conv).
namespace Compression.Grouping;

public enum DecoderFamily { ScalarAffine, TransformAffine }

/// <summary>The fixed l x l matrix of a transform decoder: identity (scalar quantisation, "SQ"), DFT, or random orthogonal.</summary>
public enum TransformKind : byte { Identity = 0, Dft = 1, RandomOrthogonal = 2 }

/// <summary>
/// A group: its name (stored in files, so short), the architecture's parameter names it holds, and its decoder. For
/// TransformAffine the latent rows are the k x k kernels (l = k*k) and <see cref="Transform"/> picks the matrix.
/// </summary>
public sealed record GroupSpec(string Name, IReadOnlyList<string> Members, DecoderFamily Decoder = DecoderFamily.ScalarAffine,
    TransformKind Transform = TransformKind.Identity, int Columns = 1, int TransformSeed = 0)
{
    public static GroupSpec Scalar(string name, params string[] members) => new(name, members);

    public static GroupSpec Kernels(string name, TransformKind transform, int kernelSide, int seed, params string[] members) =>
        new(name, members, DecoderFamily.TransformAffine, transform, kernelSide * kernelSide, seed);

    public override string ToString() =>
        $"{Name}: {string.Join(", ", Members)} ({(Decoder == DecoderFamily.ScalarAffine ? "scalar affine, l = 1" : $"{Transform} transform, l = {Columns}")})";
}
