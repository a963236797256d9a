// A tensor stored uncompressed beside the coded groups (float32, little-endian). Its kind says what the papers
// count: a Parameter (e.g. a bias the method does not code) is part of the network's size; State (e.g. a
// BatchNorm layer's running mean and variance) is needed to decode a working network but is not a parameter,
// and the papers leave it out. State tensors need a version-2 file; their bytes get their own size parts.
namespace Compression.Format;

/// <summary>What a side tensor holds; stored as one byte in version-2 files (version 1 holds only parameters).</summary>
public enum SideTensorKind : byte
{
    /// <summary>A network parameter kept as float32: counted in the network's size, as the papers do.</summary>
    Parameter = 0,
    /// <summary>State a working network needs but the papers do not count (e.g. BatchNorm running statistics).</summary>
    State = 1,
}

public sealed class SideTensor
{
    public SideTensor(string name, int[] shape, float[] values, SideTensorKind kind = SideTensorKind.Parameter)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(values);
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Parameter or State");
        long count = TensorShape.ElementCount(shape, $"side tensor '{name}'");
        if (count != values.Length)
            throw new ArgumentException($"side tensor '{name}' has shape {TensorShape.Format(shape)} ({count} elements) but {values.Length} values");
        Name = name;
        Shape = shape;
        Values = values;
        Kind = kind;
    }

    public string Name { get; }

    public int[] Shape { get; }

    public float[] Values { get; }

    public SideTensorKind Kind { get; }

    /// <summary>Where the tensor's entry starts in the file it was read from (-1 when it was not read from a file).</summary>
    internal long FileOffset { get; init; } = -1;

    public override string ToString() => $"SideTensor '{Name}' {TensorShape.Format(Shape)}{(Kind == SideTensorKind.State ? " (state)" : "")}";
}
