// Which integers a probability table covers. Every value inside the table costs -log2 q(v); a value outside
// costs the escape symbol plus its raw overflow bits; every table entry costs its serialized bytes. Among the
// ranges between occupied values (the actual [min, max] of the latents, where nothing escapes, included), the
// one with the fewest table plus coded bits wins, so a lone outlier does not widen the table.
using Compression.Coding;
using Compression.Probability;

namespace Compression.Probability;

internal static class TableRange
{
    /// <summary>Above this many distinct values the full range is used without search.</summary>
    public const int MaxSearched = 96;

    /// <summary>
    /// The cheapest table over a sub-range of <paramref name="full"/> (a PMF over [min, max] of the values)
    /// given the values' histogram <paramref name="counts"/> over the same range.
    /// </summary>
    public static CdfTable Best(ColumnPmf full, long[] counts)
    {
        int n = full.Pmf.Length;
        if (counts.Length != n) throw new ArgumentException("histogram and PMF ranges differ");
        // Mass below index i: prefix sums; the mass outside [a, b] is the full tail plus the trimmed ends.
        var prefix = new double[n + 1];
        for (int i = 0; i < n; i++) prefix[i + 1] = prefix[i] + full.Pmf[i];
        CdfTable Build(int a, int b)
        {
            double tail = full.TailMass + prefix[a] + (prefix[n] - prefix[b + 1]);
            return CdfTable.FromPmf(full.Pmf.AsSpan(a, b - a + 1), tail, full.Offset + a);
        }
        double Cost(CdfTable table)
        {
            double bits = 8.0 * table.SerializedSize;
            for (int i = 0; i < n; i++)
                if (counts[i] > 0) bits += counts[i] * table.Bits(full.Offset + i);
            return bits;
        }
        // Tables that start or end on an empty bin are never worth their entry: search the occupied ends.
        var occupied = Enumerable.Range(0, n).Where(i => counts[i] > 0).ToArray();
        if (occupied.Length > MaxSearched) occupied = [occupied[0], occupied[^1]];
        CdfTable best = Build(occupied[0], occupied[^1]);
        double bestCost = Cost(best);
        foreach (int a in occupied)
            foreach (int b in occupied)
            {
                if (b < a || (a == occupied[0] && b == occupied[^1])) continue;
                var table = Build(a, b);
                double cost = Cost(table);
                if (cost < bestCost) { best = table; bestCost = cost; }
            }
        return best;
    }
}
