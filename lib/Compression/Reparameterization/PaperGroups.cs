// The parameter groups of section 3.1, l = 1 everywhere, scalar affine decoders:
//   LeNet300-100: first two FC weights; classifier weights; all biases (3 groups).
//   LeNet5-Caffe: both conv weights; penultimate FC weights; classifier weights; all biases (4 groups).
using Compression.Models;

namespace Compression.Reparameterization;

public static class PaperGroups
{
    public static IReadOnlyList<GroupSpec> For(Architecture architecture) => architecture.Id switch
    {
        "lenet300-100" =>
        [
            GroupSpec.Scalar("hidden-weights", "fc1.weight", "fc2.weight"),
            GroupSpec.Scalar("classifier-weights", "fc3.weight"),
            GroupSpec.Scalar("biases", "fc1.bias", "fc2.bias", "fc3.bias"),
        ],
        "lenet5-caffe" =>
        [
            GroupSpec.Scalar("conv-weights", "conv1.weight", "conv2.weight"),
            GroupSpec.Scalar("fc-weights", "fc1.weight"),
            GroupSpec.Scalar("classifier-weights", "fc2.weight"),
            GroupSpec.Scalar("biases", "conv1.bias", "conv2.bias", "fc1.bias", "fc2.bias"),
        ],
        _ => throw new ArgumentException($"no paper grouping for {architecture.Id}"),
    };

    /// <summary>
    /// The CIFAR/ImageNet-style alternative for a conv network: kernels coded as k x k vectors (l = k*k) through
    /// a fixed transform (Figure 4's SQ / DFT / random orthogonal), other groups as in the paper.
    /// </summary>
    public static IReadOnlyList<GroupSpec> WithKernelTransform(Architecture architecture, TransformKind transform, int seed = 1)
    {
        var groups = For(architecture).ToList();
        var convs = architecture.Parameters.Where(p => p.Kind == LayerKind.Convolution && p.Role == ParameterRole.Weight).ToList();
        if (convs.Count == 0) return groups;
        int side = (int)convs[0].Shape[^1];
        if (convs.Any(c => c.Shape[^1] != side || c.Shape[^2] != side))
            throw new ArgumentException("kernel transforms need square kernels of one size in the group");
        int index = groups.FindIndex(g => g.Members.Any(m => convs.Any(c => c.Name == m)));
        groups[index] = GroupSpec.Kernels(groups[index].Name, transform, side, seed, [.. groups[index].Members]);
        return groups;
    }
}
