// The writer's growing output buffer. It attributes every byte to a (part, group) as it goes, so the size
// breakdown is a by-product of serialization and sums to the file length by construction.
using System.Buffers.Binary;
using System.Text;
using Compression.Coding;

namespace Compression.Format;

/// <summary>Bytes [Start, Start + Length) of a file, attributed to a part (see SizePart) of a group or tensor.</summary>
internal readonly record struct FileSpan(string Part, string Group, int Start, int Length);

internal sealed class ByteSink
{
    byte[] buffer = new byte[1024];
    int length;
    int accounted;
    readonly List<SizeRow> rows = [];
    readonly List<FileSpan> spans = [];

    public int Length => length;

    public IReadOnlyList<SizeRow> Rows => rows;

    /// <summary>The same accounting unmerged, as stretches of the file in order: where each part of each group lies.</summary>
    public IReadOnlyList<FileSpan> Spans => spans;

    /// <summary>Attributes the bytes written since the last call to (part, group), merging with an equal last row.</summary>
    public void Account(string part, string group)
    {
        int bytes = length - accounted;
        if (bytes == 0) return;
        spans.Add(new FileSpan(part, group, accounted, bytes));
        accounted = length;
        int i = rows.FindIndex(r => r.Part == part && r.Group == group);
        if (i >= 0) rows[i] = rows[i] with { Bytes = rows[i].Bytes + bytes };
        else rows.Add(new SizeRow(part, group, bytes));
    }

    public Span<byte> Reserve(int count)
    {
        if (length + count > buffer.Length) Array.Resize(ref buffer, Math.Max(checked(buffer.Length * 2), checked(length + count)));
        var span = buffer.AsSpan(length, count);
        length += count;
        return span;
    }

    public void Byte(byte value) => Reserve(1)[0] = value;

    public void Bytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    public void Varint(ulong value)
    {
        Span<byte> scratch = stackalloc byte[Coding.Varint.MaxBytes];
        Bytes(scratch[..Coding.Varint.Write(scratch, value)]);
    }

    public void String(string value) => LengthPrefixed(Encoding.UTF8.GetBytes(value));

    public void LengthPrefixed(ReadOnlySpan<byte> bytes)
    {
        Varint((ulong)bytes.Length);
        Bytes(bytes);
    }

    public void Shape(int[] shape)
    {
        Varint((ulong)shape.Length);
        foreach (int d in shape) Varint((ulong)d);
    }

    public void Table(CdfTable table) => table.WriteTo(Reserve(table.SerializedSize));

    public void Float32s(float[] values)
    {
        var span = Reserve(checked(values.Length * 4));
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(span[(4 * i)..], values[i]);
    }

    public void UInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    public ReadOnlySpan<byte> Written => buffer.AsSpan(0, length);

    public byte[] ToArray() => buffer.AsSpan(0, length).ToArray();
}
