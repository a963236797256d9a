// Decoding half of the range coder: mirrors RangeEncoder step for step. The symbol is found by one
// division and a 2^precision-entry lookup (or, for a table used for few symbols, a binary search); bytes past the
// end of the stream read as zero. Corrupt input yields wrong symbols or CorruptBitstreamException (from an
// impossible escape code), never a crash or a hang.
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Compression.Coding;

public sealed class RangeDecoder
{
    /// <summary>The stream followed by 8 zero bytes, so whole words can always be read.</summary>
    readonly byte[] data;
    readonly int length;
    int position;
    uint code;
    uint range = uint.MaxValue;

    public RangeDecoder(ReadOnlySpan<byte> stream)
    {
        data = new byte[stream.Length + 8];
        stream.CopyTo(data);
        length = stream.Length;
        code = BinaryPrimitives.ReadUInt32BigEndian(data);
        position = Math.Min(4, length);
    }

    /// <summary>Bytes of the stream read so far. After the last symbol of a stream the encoder wrote, exactly its length.</summary>
    public int Position => position;

    /// <summary>Decodes one value coded with <paramref name="table"/>.</summary>
    public int Decode(CdfTable table)
    {
        int index = DecodeIndex(table);
        return index == table.Length ? DecodeEscape(table) : table.Offset + index;
    }

    /// <summary>Decodes <paramref name="bits"/> (1..16) raw bits written by <see cref="RangeEncoder.EncodeBits"/>.</summary>
    public uint DecodeBits(int bits)
    {
        if (bits is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(bits), bits, "1..16 bits at a time");
        return RawBits(bits);
    }

    /// <summary>Decodes output.Length values: value k with views[k % views.Length].</summary>
    // Fully optimised from the first call: a model's groups are decoded once each, in one long call, which
    // would otherwise start in unoptimised tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void DecodeMany(Span<int> output, TableView[] views)
    {
        uint code = this.code, range = this.range;
        int position = this.position;
        ref byte bytes = ref MemoryMarshal.GetArrayDataReference(data);
        ref TableView first = ref MemoryMarshal.GetArrayDataReference(views);
        int columns = views.Length, column = 0;
        for (int k = 0; k < output.Length; k++)
        {
            ref readonly TableView view = ref Unsafe.Add(ref first, column);
            if (++column == columns) column = 0;
            int precision = view.Precision;
            uint r = range >> precision;
            uint t = Math.Min(code / r, view.LastPosition);
            int index = view.ByteLookup != null
                ? Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(view.ByteLookup), (int)t)
                : view.Lookup != null
                    ? Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(view.Lookup), (int)t)
                    : view.Table.IndexAt(t);
            CodingSlot slot = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(view.Slots), index);
            code -= r * slot.Start;
            range = r * slot.Frequency + ((range - (r << precision)) & slot.RemainderMask);
            // Renormalise: shift in as many bytes (0, 1 or 2) as bring range back to >= 2^24.
            int shift = (BitOperations.LeadingZeroCount(range) >> 3) << 3;
            range <<= shift;
            uint word = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref bytes, position)));
            code = (code << shift) | (uint)((ulong)word >> (32 - shift));
            position = Math.Min(position + (shift >> 3), length);
            if (index == view.Length)
            {
                this.code = code;
                this.range = range;
                this.position = position;
                output[k] = DecodeEscape(view.Table);
                code = this.code;
                range = this.range;
                position = this.position;
            }
            else
            {
                output[k] = view.Offset + index;
            }
        }
        this.code = code;
        this.range = range;
        this.position = position;
    }

    int DecodeIndex(CdfTable table)
    {
        int precision = table.Precision;
        uint r = range >> precision;
        uint t = Math.Min(code / r, (uint)table.Total - 1);
        int index = table.ByteLookup is { } small ? small[t] : table.Lookup[t];
        CodingSlot slot = table.Slots[index];
        code -= r * slot.Start;
        range = r * slot.Frequency + ((range - (r << precision)) & slot.RemainderMask);
        Normalize();
        return index;
    }

    uint RawBits(int bits)
    {
        uint r = range >> bits;
        uint t = Math.Min(code / r, (1u << bits) - 1);
        code -= r * t;
        range = r;
        Normalize();
        return t;
    }

    void Normalize()
    {
        while (range < RangeEncoder.Top)
        {
            range <<= 8;
            code = (code << 8) | data[position];
            if (position < length) position++;
        }
    }

    int DecodeEscape(CdfTable table)
    {
        int zeros = 0;
        while (RawBits(1) == 0)
        {
            if (++zeros > EscapeCode.MaxPrefixZeros)
                throw new CorruptBitstreamException($"escape code with more than {EscapeCode.MaxPrefixZeros} leading zeros", position);
        }
        ulong v = 1;
        for (int left = zeros; left > 0;)
        {
            int chunk = Math.Min(left, 16);
            left -= chunk;
            v = (v << chunk) | RawBits(chunk);
        }
        if (!EscapeCode.TryValue(v - 1, table.Offset, table.Length, out int value))
            throw new CorruptBitstreamException($"escape code decodes to a value outside int (table offset {table.Offset})", position);
        return value;
    }
}
