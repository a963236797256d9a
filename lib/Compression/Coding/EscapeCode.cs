// The escape (overflow) code for values outside a table's support: the value's distance beyond the
// table, zig-zagged by side as tensorflow-compression does (below: 2d - 1, above: 2d), then an
// Elias-gamma code of (that + 1) in raw bits behind the table's escape symbol.
using System.Numerics;

namespace Compression.Coding;

internal static class EscapeCode
{
    /// <summary>Largest number of leading zero bits a valid gamma code can have (the overflow is below 2^33).</summary>
    public const int MaxPrefixZeros = 32;

    /// <summary>
    /// The zig-zagged overflow of <paramref name="value"/> for a table covering [offset, offset + length):
    /// 2(offset - value) - 1 below it, 2(value - offset - length) above it. At most 2^33 - 2.
    /// </summary>
    public static ulong Overflow(int value, int offset, int length)
    {
        long relative = (long)value - offset;
        if (relative < 0) return (ulong)(-2 * relative - 1);
        if (relative < length) throw new ArgumentOutOfRangeException(nameof(value), value, "value lies inside the table; it needs no escape");
        return (ulong)(2 * (relative - length));
    }

    /// <summary>Inverse of <see cref="Overflow"/>; false when the result does not fit an int.</summary>
    public static bool TryValue(ulong overflow, int offset, int length, out int value)
    {
        long relative = (overflow & 1) != 0
            ? -(long)((overflow + 1) >> 1)
            : (long)(overflow >> 1) + length;
        long v = relative + offset;
        if (overflow > (1UL << 34) || v < int.MinValue || v > int.MaxValue)
        {
            value = 0;
            return false;
        }
        value = (int)v;
        return true;
    }

    /// <summary>Significant bits of the gamma-coded number (overflow + 1).</summary>
    public static int SignificantBits(ulong overflow) => 64 - BitOperations.LeadingZeroCount(overflow + 1);

    /// <summary>Raw bits the escape code spends after the escape symbol: 2 * bits(overflow + 1) - 1.</summary>
    public static int RawBits(ulong overflow) => 2 * SignificantBits(overflow) - 1;

    /// <summary>Raw bits spent on <paramref name="value"/>, which must lie outside the table.</summary>
    public static int RawBits(int value, CdfTable table) => RawBits(Overflow(value, table.Offset, table.Length));
}
