// A named parameter tensor of an architecture: its shape, whether it is a weight or a bias, and the layer
// it belongs to. Compression methods partition these into groups.
namespace Compression.Models;

public enum ParameterRole { Weight, Bias }

public enum LayerKind { Dense, Convolution }

public sealed record ParameterSpec(string Name, long[] Shape, ParameterRole Role, string Layer, LayerKind Kind)
{
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Inputs feeding one output unit: in_features, or in_channels * kernel area.</summary>
    public long FanIn => Shape.Length switch { 1 => 1, _ => Shape.Skip(1).Aggregate(1L, (a, b) => a * b) };

    public override string ToString() => $"{Name} [{string.Join("x", Shape)}]";
}
