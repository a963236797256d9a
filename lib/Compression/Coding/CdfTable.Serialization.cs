// The compact byte form of a CdfTable: varint (Length << 4 | Precision - 1), zig-zag varint Offset,
// then Length varints (frequency - 1); the escape frequency is implied by the exact total 2^Precision.
// The reader validates every field and never allocates more than the input can describe.
namespace Compression.Coding;

public sealed partial class CdfTable
{
    /// <summary>Bytes of <see cref="WriteTo"/>'s output.</summary>
    public int SerializedSize { get; }

    int ComputeSerializedSize()
    {
        int size = Varint.Size(((ulong)Length << 4) | (uint)(Precision - 1)) + Varint.Size((long)Offset);
        for (int i = 0; i < Length; i++) size += Varint.Size((ulong)(frequencies[i] - 1));
        return size;
    }

    /// <summary>Writes the table at the start of <paramref name="destination"/>; returns <see cref="SerializedSize"/>.</summary>
    public int WriteTo(Span<byte> destination)
    {
        if (destination.Length < SerializedSize) throw new ArgumentException($"need {SerializedSize} bytes, have {destination.Length}", nameof(destination));
        int at = Varint.Write(destination, ((ulong)Length << 4) | (uint)(Precision - 1));
        at += Varint.Write(destination[at..], (long)Offset);
        for (int i = 0; i < Length; i++) at += Varint.Write(destination[at..], (ulong)(frequencies[i] - 1));
        return at;
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[SerializedSize];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Reads a table that must fill <paramref name="source"/> exactly (exceptions as <see cref="ReadFrom"/>).</summary>
    public static CdfTable FromBytes(ReadOnlySpan<byte> source)
    {
        var table = ReadFrom(source, out int used);
        if (used != source.Length) throw new InvalidDataException($"{source.Length - used} bytes follow the table");
        return table;
    }

    /// <summary>
    /// Reads one table from the start of <paramref name="source"/>. Throws <see cref="EndOfStreamException"/> when
    /// the input ends inside the table, and <see cref="InvalidDataException"/> on bad varints, a length beyond the
    /// precision or the input, an offset outside int, or frequencies that leave the escape symbol no count; both
    /// name the problem and its byte position relative to <paramref name="source"/>.
    /// </summary>
    public static CdfTable ReadFrom(ReadOnlySpan<byte> source, out int bytesRead)
    {
        int at = 0;
        ulong header = ReadVarint(source, ref at, "table header");
        int precision = (int)(header & 15) + 1;
        ulong length = header >> 4;
        long total = 1L << precision;
        if (length > (ulong)(total - 1))
            throw new InvalidDataException($"table length {length} exceeds {total - 1}, the most a {precision}-bit table holds (byte 0)");
        int headerEnd = at;
        long offset = Varint.UnZigZag(ReadVarint(source, ref at, "table offset"));
        if (offset < int.MinValue || offset > int.MaxValue || offset + (long)length - 1 > int.MaxValue)
            throw new InvalidDataException($"table offset {offset} with length {length} leaves the int range (byte {headerEnd})");
        if ((ulong)(source.Length - at) < length)
            throw new EndOfStreamException($"table claims {length} frequencies but only {source.Length - at} bytes remain (byte {at})");

        var frequencies = new int[(int)length + 1];
        long sum = 0;
        for (int i = 0; i < (int)length; i++)
        {
            int start = at;
            ulong belowOne = ReadVarint(source, ref at, "table frequency");
            ulong f = Math.Min(belowOne, (ulong)total) + 1;
            sum += (long)f;
            if (f >= (ulong)total || sum > total - 1)
                throw new InvalidDataException($"table frequencies exceed 2^{precision} - 1 at symbol {i}, leaving the escape symbol no count (byte {start})");
            frequencies[i] = (int)f;
        }
        frequencies[^1] = (int)(total - sum);
        bytesRead = at;
        return new CdfTable((int)offset, precision, frequencies);
    }

    static ulong ReadVarint(ReadOnlySpan<byte> source, ref int at, string what)
    {
        var status = Varint.TryRead(source[at..], out ulong value, out int used);
        if (status == VarintStatus.Truncated) throw new EndOfStreamException($"input ends inside the {what} (byte {at})");
        if (status != VarintStatus.Ok) throw new InvalidDataException($"{Varint.Describe(status)} in {what} (byte {at})");
        at += used;
        return value;
    }
}
