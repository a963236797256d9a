// A tensor stored uncompressed beside the coded groups (float32, little-endian), e.g. biases a method does
// not code; its bytes count towards the file like everything else.
namespace Compression.Format;

public sealed class SideTensor
{
    public SideTensor(string name, int[] shape, float[] values)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(values);
        long count = TensorShape.ElementCount(shape, $"side tensor '{name}'");
        if (count != values.Length)
            throw new ArgumentException($"side tensor '{name}' has shape [{string.Join(", ", shape)}] ({count} elements) but {values.Length} values");
        Name = name;
        Shape = shape;
        Values = values;
    }

    public string Name { get; }

    public int[] Shape { get; }

    public float[] Values { get; }

    public override string ToString() => $"SideTensor '{Name}' [{string.Join(", ", Shape)}]";
}
