// Encoding half of a byte-oriented 32-bit range coder (Martin 1979), integer arithmetic only: the interval
// [low, low + range) narrows by each symbol's slot, whole bytes leave once range < 2^24, carries are held back
// in a cached byte plus a count of pending 0xFF bytes. Finish() spends at most one byte beyond what is pending.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Compression.Coding;

public sealed class RangeEncoder
{
    /// <summary>The coder renormalises (shifts out a byte) whenever range falls below this.</summary>
    internal const uint Top = 1u << 24;

    ulong low;
    uint range = uint.MaxValue;
    byte cache;
    bool hasCache;
    long pending;
    byte[] buffer;
    int count;
    bool finished;

    public RangeEncoder(int capacity = 256) => buffer = new byte[Math.Max(capacity, 16)];

    /// <summary>Codes <paramref name="value"/> with <paramref name="table"/>, by escape when it lies outside the table.</summary>
    public void Encode(int value, CdfTable table)
    {
        CheckOpen();
        int index = value - table.Offset;
        if ((uint)index < (uint)table.Length)
        {
            EncodeSlot(table.Slots[index], table.Precision);
        }
        else
        {
            EncodeSlot(table.Slots[table.Length], table.Precision);
            EncodeEscape(EscapeCode.Overflow(value, table.Offset, table.Length));
        }
    }

    /// <summary>Codes <paramref name="bits"/> (1..16) raw bits of <paramref name="value"/> under a uniform distribution.</summary>
    public void EncodeBits(uint value, int bits)
    {
        CheckOpen();
        if (bits is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(bits), bits, "1..16 bits at a time");
        if (value >> bits != 0) throw new ArgumentOutOfRangeException(nameof(value), value, $"does not fit {bits} bits");
        RawBits(value, bits);
    }

    /// <summary>Terminates the stream and returns it. The encoder cannot be used afterwards.</summary>
    public byte[] Finish()
    {
        CheckOpen();
        finished = true;
        // Pick the point of [low, low + range) with the most trailing zero bytes; the decoder reads zeros
        // past the end, so those bytes need not be written.
        ulong limit = low + range;
        for (int k = 32; k >= 0; k -= 8)
        {
            ulong mask = (1UL << k) - 1;
            ulong x = (low + mask) & ~mask;
            if (x < limit)
            {
                low = x;
                break;
            }
        }
        for (int i = 0; i < 5; i++) low = ShiftLow(low);
        int end = count;
        while (end > 0 && buffer[end - 1] == 0) end--;
        return buffer.AsSpan(0, end).ToArray();
    }

    /// <summary>Codes a whole group: value k with views[k % views.Length].</summary>
    // Fully optimised from the first call: tiering and PGO made the speed depend on which group was coded first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void EncodeMany(ReadOnlySpan<int> symbols, TableView[] views)
    {
        CheckOpen();
        ulong low = this.low;
        uint range = this.range;
        ref TableView first = ref MemoryMarshal.GetArrayDataReference(views);
        int columns = views.Length, column = 0;
        for (int k = 0; k < symbols.Length; k++)
        {
            ref readonly TableView view = ref Unsafe.Add(ref first, column);
            if (++column == columns) column = 0;
            int value = symbols[k];
            int index = value - view.Offset;
            int precision = view.Precision;
            bool escape = (uint)index >= (uint)view.Length;
            if (escape) index = view.Length;
            CodingSlot slot = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(view.Slots), index);
            uint r = range >> precision;
            low += r * slot.Start;
            range = r * slot.Frequency + ((range - (r << precision)) & slot.RemainderMask);
            while (range < Top)
            {
                range <<= 8;
                low = ShiftLow(low);
            }
            if (escape)
            {
                this.low = low;
                this.range = range;
                EncodeEscape(EscapeCode.Overflow(value, view.Offset, view.Length));
                low = this.low;
                range = this.range;
            }
        }
        this.low = low;
        this.range = range;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    void EncodeSlot(in CodingSlot slot, int precision)
    {
        uint r = range >> precision;
        low += r * slot.Start;
        range = r * slot.Frequency + ((range - (r << precision)) & slot.RemainderMask);
        while (range < Top)
        {
            range <<= 8;
            low = ShiftLow(low);
        }
    }

    void RawBits(uint value, int bits)
    {
        uint r = range >> bits;
        low += r * value;
        range = r;
        while (range < Top)
        {
            range <<= 8;
            low = ShiftLow(low);
        }
    }

    // Elias-gamma code of overflow + 1: as many zero bits as it has significant bits after the first, a one,
    // then those bits, most significant first.
    void EncodeEscape(ulong overflow)
    {
        ulong v = overflow + 1;
        int significant = 64 - BitOperations.LeadingZeroCount(v);
        for (int i = 1; i < significant; i++) RawBits(0, 1);
        RawBits(1, 1);
        for (int left = significant - 1; left > 0;)
        {
            int chunk = Math.Min(left, 16);
            left -= chunk;
            RawBits((uint)(v >> left) & ((1u << chunk) - 1), chunk);
        }
    }

    // Moves the top byte of the 32-bit window out: into the cache (or the pending 0xFF run, which a later
    // carry may still turn into 0x00 bytes), writing what the carry can no longer change.
    ulong ShiftLow(ulong low)
    {
        if (low < 0xFF000000UL || low > 0xFFFFFFFFUL)
        {
            byte carry = (byte)(low >> 32);
            if (hasCache) Put((byte)(cache + carry));
            for (; pending != 0; pending--) Put((byte)(0xFF + carry));
            cache = (byte)(low >> 24);
            hasCache = true;
        }
        else
        {
            pending++;
        }
        return (low & 0x00FFFFFFUL) << 8;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    void Put(byte b)
    {
        if (count == buffer.Length) Array.Resize(ref buffer, checked(buffer.Length * 2));
        buffer[count++] = b;
    }

    void CheckOpen()
    {
        if (finished) throw new InvalidOperationException("the stream is finished; start a new RangeEncoder");
    }
}
