// The named tensors of an architecture. Parameters are what compression methods code; each has a role (weight,
// bias, or a normalisation layer's scale or shift) that decides its initialisation and, through grouping rules,
// how it is coded. State (running statistics of batch normalisation) is not trained by gradient and not counted
// by the papers, but a decoded network needs it to compute anything, so files carry it and count its bytes apart.
namespace Compression.Models;

public enum ParameterRole
{
    /// <summary>A dense or convolution weight: He-normal initialisation N(0, 2 / fan_in).</summary>
    Weight,
    /// <summary>A layer's bias: initialised to 0.</summary>
    Bias,
    /// <summary>Gamma of a normalisation layer: initialised to 1.</summary>
    NormScale,
    /// <summary>Beta of a normalisation layer: initialised to 0; EPR keeps and counts it as the layer's bias.</summary>
    NormShift,
}

public enum LayerKind { Dense, Convolution, Normalization }

public sealed record ParameterSpec(string Name, long[] Shape, ParameterRole Role, string Layer, LayerKind Kind)
{
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Inputs feeding one output unit: in_features, or in_channels * kernel area.</summary>
    public long FanIn => Shape.Length switch { 1 => 1, _ => Shape.Skip(1).Aggregate(1L, (a, b) => a * b) };

    /// <summary>k for the weight of a convolution with square k x k kernels, else 0.</summary>
    public int KernelSide => Role == ParameterRole.Weight && Shape.Length == 4 && Shape[2] == Shape[3] ? (int)Shape[2] : 0;

    /// <summary>True for the biases and normalisation shifts (the paper's "biases").</summary>
    public bool IsBiasLike => Role is ParameterRole.Bias or ParameterRole.NormShift;

    /// <summary>The weight of a dense layer: outputs x inputs, named "&lt;layer&gt;.weight" as PyTorch does.</summary>
    public static ParameterSpec DenseWeight(string layer, long outputs, long inputs) =>
        new($"{layer}.weight", [outputs, inputs], ParameterRole.Weight, layer, LayerKind.Dense);

    /// <summary>The weight of a 2-D convolution: outputs x inputs x k x k.</summary>
    public static ParameterSpec ConvolutionWeight(string layer, long outputs, long inputs, long kernel) =>
        new($"{layer}.weight", [outputs, inputs, kernel, kernel], ParameterRole.Weight, layer, LayerKind.Convolution);

    public static ParameterSpec Bias(string layer, long units, LayerKind kind) =>
        new($"{layer}.bias", [units], ParameterRole.Bias, layer, kind);

    /// <summary>A batch-normalisation layer's gamma, "&lt;layer&gt;.weight" as in PyTorch.</summary>
    public static ParameterSpec NormScale(string layer, long channels) =>
        new($"{layer}.weight", [channels], ParameterRole.NormScale, layer, LayerKind.Normalization);

    /// <summary>A batch-normalisation layer's beta, "&lt;layer&gt;.bias" as in PyTorch.</summary>
    public static ParameterSpec NormShift(string layer, long channels) =>
        new($"{layer}.bias", [channels], ParameterRole.NormShift, layer, LayerKind.Normalization);

    public override string ToString() => $"{Name} [{string.Join("x", Shape)}]";
}

/// <summary>A state tensor (not a parameter): its name, shape and initial value, e.g. "bn1.running_var", ones.</summary>
public sealed record StateSpec(string Name, long[] Shape, float Initial, string Layer)
{
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The running mean and variance of a batch-normalisation layer, named as PyTorch names them.</summary>
    public static StateSpec[] BatchNorm(string layer, long channels) =>
    [
        new($"{layer}.running_mean", [channels], 0f, layer),
        new($"{layer}.running_var", [channels], 1f, layer),
    ];

    public override string ToString() => $"{Name} [{string.Join("x", Shape)}]";
}

/// <summary>
/// A unit of a layer (row u of <paramref name="Weight"/>, element u of <paramref name="Bias"/>) whose output reaches
/// the rest of the network only through inputs [u * Span, (u + 1) * Span) of every row of <paramref name="Next"/>: a
/// plain chain, as in the LeNets. Where an architecture declares these links, a unit whose outgoing weights are all
/// zero can have its incoming weights and bias zeroed without changing any output (exact dead-unit pruning). Residual
/// connections and normalisation layers break the premise: such architectures declare no links.
/// </summary>
public sealed record UnitLink(string Weight, string? Bias, string Next, long Span);
