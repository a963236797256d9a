// A quantized probability table of one scalar model q_i: integer frequencies for the values
// [Offset, Offset + Length) plus one escape symbol for everything else, summing to exactly 2^Precision.
// The range coder codes with it, the compressed-model file stores it, self-information is measured under it.
using System.Runtime.CompilerServices;

namespace Compression.Coding;

public sealed partial class CdfTable : IEquatable<CdfTable>
{
    public const int MaxPrecision = 16;
    public const int DefaultPrecision = 16;

    readonly int[] frequencies;
    ushort[]? lookup;
    double[]? costs;

    /// <summary>Per symbol (natural order, escape last): its interval in coding order.</summary>
    internal readonly CodingSlot[] Slots;

    /// <summary>Index of the symbol placed last in coding order (see <see cref="LastInCodingOrder"/>).</summary>
    readonly int lastInCodingOrder;

    /// <summary>Smallest value the table covers without escape.</summary>
    public int Offset { get; }

    /// <summary>Number of in-range symbols; the escape symbol has index Length.</summary>
    public int Length { get; }

    /// <summary>Bits of the frequencies: they sum to 2^Precision.</summary>
    public int Precision { get; }

    public int Total => 1 << Precision;

    /// <summary>The Length + 1 frequencies in value order, the escape symbol's last.</summary>
    public IReadOnlyList<int> Frequencies => frequencies;

    public int EscapeFrequency => frequencies[Length];

    public double EscapeProbability => (double)EscapeFrequency / Total;

    CdfTable(int offset, int precision, int[] frequencies)
    {
        Offset = offset;
        Precision = precision;
        Length = frequencies.Length - 1;
        this.frequencies = frequencies;
        lastInCodingOrder = LastInCodingOrder(frequencies);
        Slots = BuildSlots(frequencies, lastInCodingOrder);
        SerializedSize = ComputeSerializedSize();
    }

    /// <summary>
    /// The table for a model with masses <paramref name="pmf"/> on offset, offset + 1, ... and
    /// <paramref name="tailMass"/> on everything else, rounded rate-optimally (see <see cref="PmfQuantizer"/>).
    /// Masses need not be normalised. Needs pmf.Length + 1 &lt;= 2^precision.
    /// </summary>
    public static CdfTable FromPmf(ReadOnlySpan<double> pmf, double tailMass, int offset, int precision = DefaultPrecision)
    {
        CheckShape(pmf.Length, offset, precision);
        var masses = new double[pmf.Length + 1];
        pmf.CopyTo(masses);
        masses[^1] = tailMass;
        return new CdfTable(offset, precision, PmfQuantizer.Quantize(masses, precision));
    }

    /// <inheritdoc cref="FromPmf(ReadOnlySpan{double}, double, int, int)"/>
    public static CdfTable FromPmf(ReadOnlySpan<float> pmf, float tailMass, int offset, int precision = DefaultPrecision)
    {
        var masses = new double[pmf.Length];
        for (int i = 0; i < pmf.Length; i++) masses[i] = pmf[i];
        return FromPmf(masses, tailMass, offset, precision);
    }

    /// <summary>
    /// A table from exact frequencies: Length + 1 of them, the escape symbol's last, each >= 1, summing
    /// to 2^precision.
    /// </summary>
    public static CdfTable FromFrequencies(ReadOnlySpan<int> frequencies, int offset, int precision = DefaultPrecision)
    {
        if (frequencies.Length == 0) throw new ArgumentException("a table needs at least the escape symbol's frequency", nameof(frequencies));
        CheckShape(frequencies.Length - 1, offset, precision);
        long sum = 0;
        for (int i = 0; i < frequencies.Length; i++)
        {
            if (frequencies[i] < 1) throw new ArgumentException($"frequency {i} is {frequencies[i]}; every symbol needs >= 1", nameof(frequencies));
            sum += frequencies[i];
        }
        if (sum != 1L << precision) throw new ArgumentException($"frequencies sum to {sum}, not 2^{precision} = {1L << precision}", nameof(frequencies));
        return new CdfTable(offset, precision, frequencies.ToArray());
    }

    static void CheckShape(int length, int offset, int precision)
    {
        if (precision is < 1 or > MaxPrecision)
            throw new ArgumentOutOfRangeException(nameof(precision), precision, $"precision must be 1..{MaxPrecision}");
        if (length + 1L > 1L << precision)
            throw new ArgumentException($"{length} symbols plus the escape do not fit {precision}-bit precision (at most {(1 << precision) - 1} symbols)");
        if ((long)offset + length - 1 > int.MaxValue)
            throw new ArgumentException($"table [{offset}, {offset}+{length}) runs past int.MaxValue");
    }

    /// <summary>True when <paramref name="value"/> is coded by its own symbol rather than by escape.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(int value) => (uint)(value - Offset) < (uint)Length;

    /// <summary>Frequency of the symbol that codes <paramref name="value"/>: its own, or the escape's.</summary>
    public int Frequency(int value) => frequencies[Contains(value) ? value - Offset : Length];

    /// <summary>Quantized probability q(value) of the symbol that codes it (the escape's outside the table).</summary>
    public double Probability(int value) => (double)Frequency(value) / Total;

    /// <summary>
    /// Self-information of <paramref name="value"/> in bits under this table: -log2 q(value) inside the table;
    /// outside, the escape symbol's -log2 q plus the escape code's raw bits.
    /// </summary>
    public double Bits(int value)
    {
        var c = Costs;
        return Contains(value) ? c[value - Offset] : c[Length] + EscapeCode.RawBits(value, this);
    }

    // The caches below are built on first use; racing threads may each build one, and one copy wins.

    /// <summary>-log2 q per symbol index (escape last).</summary>
    internal double[] Costs => Volatile.Read(ref costs) ?? Publish(ref costs, BuildCosts());

    /// <summary>Symbol index for each of the 2^Precision positions of the cumulative frequency.</summary>
    internal ushort[] Lookup => Volatile.Read(ref lookup) ?? Publish(ref lookup, BuildLookup());

    /// <summary>
    /// The same lookup in bytes, for tables of at most 256 symbols (escape included), else null: half the
    /// cache footprint, which matters when a group's l tables are decoded together.
    /// </summary>
    internal byte[]? ByteLookup => Slots.Length > 256 ? null : Volatile.Read(ref byteLookup) ?? Publish(ref byteLookup, BuildByteLookup());

    byte[]? byteLookup;

    static T Publish<T>(ref T? field, T value) where T : class => Interlocked.CompareExchange(ref field, value, null) ?? value;

    byte[] BuildByteLookup()
    {
        var table = new byte[Total];
        for (int i = 0; i < Slots.Length; i++)
            table.AsSpan((int)Slots[i].Start, (int)Slots[i].Frequency).Fill((byte)i);
        return table;
    }

    /// <summary>Index of the symbol placed last in coding order: the most frequent (lowest index on ties).</summary>
    internal static int LastInCodingOrder(ReadOnlySpan<int> frequencies)
    {
        int best = 0;
        for (int i = 1; i < frequencies.Length; i++)
            if (frequencies[i] > frequencies[best]) best = i;
        return best;
    }

    // Coding order is value order with the most frequent symbol moved to the end: that symbol absorbs the
    // range remainder the scaling leaves, which costs the least expected length there.
    static CodingSlot[] BuildSlots(int[] frequencies, int last)
    {
        var slots = new CodingSlot[frequencies.Length];
        uint start = 0;
        for (int i = 0; i < frequencies.Length; i++)
        {
            if (i == last) continue;
            slots[i] = new CodingSlot(start, (uint)frequencies[i], 0);
            start += (uint)frequencies[i];
        }
        slots[last] = new CodingSlot(start, (uint)frequencies[last], uint.MaxValue);
        return slots;
    }

    /// <summary>
    /// The symbol whose coding interval holds the cumulative position <paramref name="t"/> (below <see cref="Total"/>),
    /// found by binary search over the slots: the decoder's way for tables whose 2^Precision-entry lookup would cost
    /// more than the few symbols it decodes with them.
    /// </summary>
    internal int IndexAt(uint t)
    {
        int last = lastInCodingOrder;
        if (t >= Slots[last].Start) return last;
        // Without the last symbol, coding order is value order, so the starts grow with j (j >= last stands for j + 1).
        int low = 0, high = Slots.Length - 2;
        while (low < high)
        {
            int middle = (low + high + 1) >> 1;
            if (Slots[middle < last ? middle : middle + 1].Start <= t) low = middle;
            else high = middle - 1;
        }
        return low < last ? low : low + 1;
    }

    ushort[] BuildLookup()
    {
        var table = new ushort[Total];
        for (int i = 0; i < Slots.Length; i++)
            table.AsSpan((int)Slots[i].Start, (int)Slots[i].Frequency).Fill((ushort)i);
        return table;
    }

    double[] BuildCosts()
    {
        var c = new double[frequencies.Length];
        for (int i = 0; i < c.Length; i++) c[i] = Precision - Math.Log2(frequencies[i]);
        return c;
    }

    public bool Equals(CdfTable? other) =>
        other is not null && Offset == other.Offset && Precision == other.Precision
        && frequencies.AsSpan().SequenceEqual(other.frequencies);

    public override bool Equals(object? obj) => Equals(obj as CdfTable);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Offset);
        hash.Add(Precision);
        foreach (int f in frequencies) hash.Add(f);
        return hash.ToHashCode();
    }

    public override string ToString() =>
        $"CdfTable [{Offset}, {(long)Offset + Length}) + escape, {Precision}-bit, {SerializedSize} bytes";
}
