// Element counts of tensor shapes, checked: no negative dimensions, no rank above FileLayout.MaxRank, and no
// count beyond int.MaxValue (what one array can hold).
namespace Compression.Format;

public static class TensorShape
{
    /// <summary>Product of <paramref name="shape"/>; throws ArgumentException (naming <paramref name="what"/>) when invalid.</summary>
    public static long ElementCount(IReadOnlyList<int> shape, string what)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count > FileLayout.MaxRank) throw new ArgumentException($"{what}: rank {shape.Count} exceeds {FileLayout.MaxRank}");
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"{what}: negative dimension {d}");
            count *= d;
            if (count > int.MaxValue) throw new ArgumentException($"{what}: more than int.MaxValue elements");
        }
        return count;
    }

    public static string Format(IReadOnlyList<int> shape) => $"[{string.Join(", ", shape)}]";
}
