// LEB128 variable-length integers (7 bits a byte, low group first) and zig-zag signs: the compact
// length and count fields of serialized tables and of the compressed-model file. Only minimal
// encodings are accepted, so every value has exactly one byte form.
using System.Runtime.CompilerServices;

namespace Compression.Coding;

internal static class Varint
{
    /// <summary>Longest encoding of a 64-bit value.</summary>
    public const int MaxBytes = 10;

    public static int Size(ulong value)
    {
        int size = 1;
        while (value >= 0x80) { value >>= 7; size++; }
        return size;
    }

    public static int Size(long value) => Size(ZigZag(value));

    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    public static int Write(Span<byte> destination, long value) => Write(destination, ZigZag(value));

    /// <summary>
    /// Reads one unsigned varint from the start of <paramref name="source"/>. Anything but
    /// <see cref="VarintStatus.Ok"/> means no value: the input ended inside it, it exceeds 64 bits (or 10 bytes),
    /// or it is not minimal (a final zero byte after the first).
    /// </summary>
    public static VarintStatus TryRead(ReadOnlySpan<byte> source, out ulong value, out int bytesRead)
    {
        value = 0;
        for (int i = 0; i < MaxBytes; i++)
        {
            bytesRead = i + 1;
            if (i >= source.Length)
            {
                bytesRead = i;
                return VarintStatus.Truncated;
            }
            byte b = source[i];
            if (i == MaxBytes - 1 && b > 1) return VarintStatus.Overflow;
            value |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80) return b == 0 && i > 0 ? VarintStatus.NonMinimal : VarintStatus.Ok;
        }
        bytesRead = MaxBytes;
        return VarintStatus.Overflow;
    }

    public static string Describe(VarintStatus status) => status switch
    {
        VarintStatus.Ok => "valid varint",
        VarintStatus.Truncated => "truncated varint",
        VarintStatus.Overflow => "varint exceeds 64 bits",
        VarintStatus.NonMinimal => "non-minimal varint encoding",
        _ => "unknown varint status",
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}

internal enum VarintStatus
{
    Ok,
    /// <summary>The input ended inside the varint.</summary>
    Truncated,
    /// <summary>More than 64 bits (or more than 10 bytes).</summary>
    Overflow,
    /// <summary>A longer form than needed (ends in a zero byte).</summary>
    NonMinimal,
}
