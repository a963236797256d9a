// The alternative the coder's decoder was measured against: the same stream decoded by branchless binary
// search over the coding-order interval starts instead of the 2^precision-entry lookup table.
using System.Buffers.Binary;
using System.Numerics;
using Compression.Coding;

namespace Benchmarks;

static class SearchDecoder
{
    public static int[] Decode(ReadOnlySpan<byte> stream, int count, CdfTable table)
    {
        var slots = table.Slots;
        int n = slots.Length;
        // Coding-order starts and the symbol index at each coding position.
        var order = Enumerable.Range(0, n).OrderBy(i => slots[i].Start).ToArray();
        var starts = order.Select(i => slots[i].Start).ToArray();
        var data = new byte[stream.Length + 8];
        stream.CopyTo(data);
        int length = stream.Length, position = Math.Min(4, length), precision = table.Precision;
        uint code = BinaryPrimitives.ReadUInt32BigEndian(data), range = uint.MaxValue;
        var output = new int[count];
        for (int k = 0; k < count; k++)
        {
            uint r = range >> precision;
            uint t = Math.Min(code / r, (uint)table.Total - 1);
            int lo = 0, size = n;
            while (size > 1)
            {
                int half = size >> 1;
                lo = starts[lo + half] <= t ? lo + half : lo;
                size -= half;
            }
            int index = order[lo];
            var slot = slots[index];
            code -= r * slot.Start;
            range = r * slot.Frequency + ((range - (r << precision)) & slot.RemainderMask);
            int shift = (BitOperations.LeadingZeroCount(range) >> 3) << 3;
            range <<= shift;
            uint word = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(position));
            code = (code << shift) | (uint)((ulong)word >> (32 - shift));
            position = Math.Min(position + (shift >> 3), length);
            output[k] = index == table.Length ? Escape() : table.Offset + index;
        }
        return output;

        // Elias-gamma overflow behind the escape symbol, as the library's decoder reads it.
        int Escape()
        {
            int zeros = 0;
            while (Raw(1) == 0) zeros++;
            ulong v = 1;
            for (int left = zeros; left > 0;)
            {
                int chunk = Math.Min(left, 16);
                left -= chunk;
                v = (v << chunk) | Raw(chunk);
            }
            return EscapeCode.TryValue(v - 1, table.Offset, table.Length, out int value) ? value : throw new InvalidDataException("bad escape");
        }

        uint Raw(int bits)
        {
            uint r = range >> bits;
            uint t = Math.Min(code / r, (1u << bits) - 1);
            code -= r * t;
            range = r;
            while (range < 1u << 24)
            {
                range <<= 8;
                code = (code << 8) | data[position];
                if (position < length) position++;
            }
            return t;
        }
    }
}
