// Which parameter tensors form a group, fixed before training. A group shares one parameter decoder and one
// factorized density with l columns. The paper's partitions for the MNIST networks are in PaperGroups.
namespace Compression.Reparameterization;

public enum DecoderFamily { ScalarAffine, TransformAffine }

/// <summary>
/// A group: its name, the architecture's parameter names it holds, and its decoder. For TransformAffine the
/// latent rows are the k x k kernels (l = k*k) and <see cref="Transform"/> picks the matrix.
/// </summary>
public sealed record GroupSpec(string Name, IReadOnlyList<string> Members, DecoderFamily Decoder = DecoderFamily.ScalarAffine,
    TransformKind Transform = TransformKind.Identity, int Columns = 1, int TransformSeed = 0)
{
    public static GroupSpec Scalar(string name, params string[] members) => new(name, members);

    public static GroupSpec Kernels(string name, TransformKind transform, int kernelSide, int seed, params string[] members) =>
        new(name, members, DecoderFamily.TransformAffine, transform, kernelSide * kernelSide, seed);
}
