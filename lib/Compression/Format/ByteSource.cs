// The reader's cursor over an untrusted file: every read is bounded by the bytes that remain, and every
// failure is a CorruptModelFileException naming the field and its offset. No length from the file is
// allocated before it has been checked against the bytes left.
using System.Buffers.Binary;
using System.Text;
using Compression.Coding;

namespace Compression.Format;

internal sealed class ByteSource(byte[] data)
{
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    int position;

    public int Position => position;

    public int Remaining => data.Length - position;

    public CorruptModelFileException Error(string problem, string field, int? at = null) => new(problem, at ?? position, field);

    CorruptModelFileException Truncated(long needed, string field) =>
        Error($"file ends early: needs {needed} bytes, {Remaining} remain (truncated file?)", field);

    public void Skip(int count) => position += count;

    public byte Byte(string field)
    {
        if (Remaining < 1) throw Truncated(1, field);
        return data[position++];
    }

    public ulong Varint(string field)
    {
        var status = Coding.Varint.TryRead(data.AsSpan(position), out ulong value, out int used);
        if (status == VarintStatus.Truncated) throw Error("file ends early, inside a varint (truncated file?)", field);
        if (status != VarintStatus.Ok) throw Error(Coding.Varint.Describe(status), field);
        position += used;
        return value;
    }

    /// <summary>A count of items each at least <paramref name="minimumBytesEach"/> bytes long, so bounded by what remains.</summary>
    public int Count(string field, long maximum, int minimumBytesEach)
    {
        int at = position;
        ulong value = Varint(field);
        if (value > (ulong)maximum) throw Error($"{value} exceeds the limit of {maximum}", field, at);
        if (value * (ulong)minimumBytesEach > (ulong)Remaining)
            throw Error($"file ends early or the count is damaged: count {value} needs at least {value * (ulong)minimumBytesEach} more bytes, {Remaining} remain", field, at);
        return (int)value;
    }

    public ReadOnlySpan<byte> Bytes(int count, string field)
    {
        if (count > Remaining) throw Truncated(count, field);
        var span = data.AsSpan(position, count);
        position += count;
        return span;
    }

    public string String(string field)
    {
        int length = Count(field + " length", FileLayout.MaxStringBytes, 1);
        int at = position;
        var bytes = Bytes(length, field);
        try { return StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException) { throw Error("not valid UTF-8", field, at); }
    }

    /// <summary>Rank and dimensions; the element count must fit an int.</summary>
    public int[] Shape(string field)
    {
        int rank = Count(field + " rank", FileLayout.MaxRank, 1);
        var shape = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            int at = position;
            ulong d = Varint($"{field} dimension {i}");
            if (d > int.MaxValue) throw Error($"dimension {d} exceeds int.MaxValue", field, at);
            shape[i] = (int)d;
            count *= (long)d;
            if (count > int.MaxValue) throw Error($"shape {TensorShape.Format(shape[..(i + 1)])} holds more than int.MaxValue elements", field, at);
        }
        return shape;
    }

    public CdfTable Table(string field)
    {
        int at = position;
        try
        {
            var table = CdfTable.ReadFrom(data.AsSpan(position), out int used);
            position += used;
            return table;
        }
        catch (EndOfStreamException e)
        {
            throw new CorruptModelFileException($"file ends early inside a table: {e.Message} (truncated file?)", at, field, inner: e);
        }
        catch (InvalidDataException e)
        {
            throw new CorruptModelFileException($"bad table: {e.Message}", at, field, inner: e);
        }
    }

    public float[] Float32s(int count, string field)
    {
        if ((long)count * 4 > Remaining) throw Truncated((long)count * 4, field);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(position + 4 * i));
        position += 4 * count;
        return values;
    }

    public uint UInt32(string field)
    {
        var bytes = Bytes(4, field);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }
}
