// The Pareto front of a set of (size, error) results: the points no other point beats on both axes at once (no other
// is at most as large and at most as wrong, and better on one). Sorted by size, the front's errors fall strictly.
namespace Compression.Notebooks;

public static class Pareto
{
    /// <summary>The non-dominated items, by increasing <paramref name="size"/> (ties: the lower error only).</summary>
    public static IReadOnlyList<T> Front<T>(IEnumerable<T> items, Func<T, double> size, Func<T, double> error)
    {
        var front = new List<T>();
        double best = double.PositiveInfinity;
        foreach (var item in items.Where(i => double.IsFinite(size(i)) && double.IsFinite(error(i)))
                                  .OrderBy(size).ThenBy(error))
        {
            if (error(item) >= best) continue;   // a smaller (or equal) point is at least as accurate
            front.Add(item);
            best = error(item);
        }
        return front;
    }
}
