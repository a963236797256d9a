// LEB128 variable-length integers (7 bits a byte, low group first) and zig-zag signs: the compact
// length and count fields of serialized tables and of the compressed-model file. Only minimal
// encodings are accepted, so every value has exactly one byte form.
using System.Runtime.CompilerServices;

namespace Compression.Coding;

public static class Varint
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
    /// Reads one unsigned varint. Returns false (and the reason) on truncation, on an encoding longer than
    /// 10 bytes or above 2^64 - 1, and on a non-minimal encoding (a final zero byte after the first).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ulong value, out int bytesRead, out string? problem)
    {
        value = 0;
        for (int i = 0; i < MaxBytes; i++)
        {
            if (i >= source.Length)
            {
                bytesRead = i;
                problem = "truncated varint";
                return false;
            }
            byte b = source[i];
            if (i == MaxBytes - 1 && b > 1)
            {
                bytesRead = i + 1;
                problem = "varint exceeds 64 bits";
                return false;
            }
            value |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                bytesRead = i + 1;
                if (b == 0 && i > 0)
                {
                    problem = "non-minimal varint encoding";
                    return false;
                }
                problem = null;
                return true;
            }
        }
        bytesRead = MaxBytes;
        problem = "varint longer than 10 bytes";
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
