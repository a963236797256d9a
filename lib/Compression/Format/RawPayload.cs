// A named run of raw bits stored as is, for fields a method codes at a fixed length rather than with the range
// coder (e.g. MIRACLE's block indices, each log2(K) bits). Version-2 files only. The bits are packed
// most significant bit first: bit i of the payload is bit 7 - (i mod 8) of byte i / 8; the unused low bits of
// the last byte are zero, so every payload has exactly one byte form (the reader checks).
namespace Compression.Format;

public sealed class RawPayload
{
    /// <summary>A payload of <paramref name="bitLength"/> bits held in <paramref name="bytes"/> (ceil(bitLength / 8) bytes, unused bits zero).</summary>
    public RawPayload(string name, long bitLength, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(bytes);
        if (bitLength < 0) throw new ArgumentOutOfRangeException(nameof(bitLength), bitLength, "a payload has at least 0 bits");
        if (ByteCount(bitLength) != bytes.Length)
            throw new ArgumentException($"raw payload '{name}': {bitLength} bits need {ByteCount(bitLength)} bytes, not {bytes.Length}", nameof(bytes));
        if (UnusedBits(bitLength, bytes) != 0)
            throw new ArgumentException($"raw payload '{name}': the {8 * bytes.Length - bitLength} unused bits of the last byte must be zero", nameof(bytes));
        Name = name;
        BitLength = bitLength;
        Bytes = bytes;
    }

    public string Name { get; }

    /// <summary>Number of bits the payload holds.</summary>
    public long BitLength { get; }

    /// <summary>The bits, most significant bit of byte 0 first: ceil(BitLength / 8) bytes.</summary>
    public byte[] Bytes { get; }

    /// <summary>Where <see cref="Bytes"/> start in the file it was read from (0 for a payload made in memory).</summary>
    internal long FileOffset { get; init; }

    /// <summary>Bytes that hold <paramref name="bitLength"/> bits.</summary>
    public static long ByteCount(long bitLength) => (bitLength + 7) >> 3;

    /// <summary>The bits of the last byte past <paramref name="bitLength"/> (zero in a valid payload).</summary>
    internal static int UnusedBits(long bitLength, ReadOnlySpan<byte> bytes)
    {
        int used = (int)(bitLength & 7);
        return used == 0 || bytes.Length == 0 ? 0 : bytes[^1] & (0xFF >> used);
    }

    /// <summary>Packs <paramref name="fields"/>, each <paramref name="bitsPerField"/> bits (1..64), one after another.</summary>
    public static RawPayload FromFields(string name, ReadOnlySpan<ulong> fields, int bitsPerField)
    {
        CheckFieldWidth(bitsPerField);
        long bits = (long)fields.Length * bitsPerField;
        var bytes = new byte[ByteCount(bits)];
        long at = 0;
        foreach (ulong field in fields)
        {
            if (bitsPerField < 64 && field >> bitsPerField != 0)
                throw new ArgumentOutOfRangeException(nameof(fields), field, $"does not fit {bitsPerField} bits");
            for (int b = bitsPerField - 1; b >= 0; b--, at++)
                if ((field >> b & 1) != 0) bytes[at >> 3] |= (byte)(0x80 >> (int)(at & 7));
        }
        return new RawPayload(name, bits, bytes);
    }

    /// <summary>
    /// The payload as <paramref name="expectedCount"/> fields of <paramref name="bitsPerField"/> bits, the count the
    /// caller's network needs; a payload of any other length is a <see cref="CorruptModelFileException"/>.
    /// </summary>
    public ulong[] ReadFields(int bitsPerField, int expectedCount)
    {
        CheckFieldWidth(bitsPerField);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedCount);
        if (BitLength != (long)expectedCount * bitsPerField)
            throw new CorruptModelFileException(
                $"holds {BitLength} bits, not the {expectedCount} fields of {bitsPerField} bits ({(long)expectedCount * bitsPerField} bits) expected",
                FileOffset, $"raw payload '{Name}'");
        var fields = new ulong[expectedCount];
        long at = 0;
        for (int i = 0; i < fields.Length; i++)
        {
            ulong value = 0;
            for (int b = 0; b < bitsPerField; b++, at++) value = value << 1 | (uint)(Bytes[at >> 3] >> (7 - (int)(at & 7)) & 1);
            fields[i] = value;
        }
        return fields;
    }

    static void CheckFieldWidth(int bitsPerField)
    {
        if (bitsPerField is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(bitsPerField), bitsPerField, "1..64 bits a field");
    }

    public override string ToString() => $"RawPayload '{Name}': {BitLength} bits";
}
