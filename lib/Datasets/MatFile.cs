// Just enough of MATLAB's Level 5 MAT-file format (MathWorks, "MAT-File Format", version 7) to read the ILSVRC2012
// devkit's meta.mat: a 128-byte header ("IM" = little-endian), then data elements, each a tag (type, byte count; or
// the "small element" form with the count in the upper 16 bits and the data in the tag's second word) and its data
// padded to 8 bytes. Supported: miCOMPRESSED (zlib) wrapping miMATRIX; numeric arrays of any stored integer or float
// type (MATLAB stores doubles in the narrowest type that holds them) read as doubles; char arrays (UTF-16, UTF-8 or
// bytes); struct arrays. Everything else is skipped by its length. Sizes are checked against what the file holds.
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Datasets;

/// <summary>A MAT value: a numeric array (Numbers), a string (Text) or a struct array (Fields per element).</summary>
public sealed record MatValue(string Name, int[] Dimensions, double[]? Numbers = null, string? Text = null, IReadOnlyList<IReadOnlyDictionary<string, MatValue>>? Elements = null);

public static class MatFile
{
    const int MiInt8 = 1, MiUInt8 = 2, MiInt16 = 3, MiUInt16 = 4, MiInt32 = 5, MiUInt32 = 6, MiSingle = 7, MiDouble = 9, MiInt64 = 12, MiUInt64 = 13,
              MiMatrix = 14, MiCompressed = 15, MiUtf8 = 16, MiUtf16 = 17;
    const int ClassStruct = 2, ClassChar = 4;

    /// <summary>The top-level variables of a MAT file, by name.</summary>
    public static IReadOnlyDictionary<string, MatValue> Read(byte[] bytes, string name)
    {
        if (bytes.Length < 128 || bytes[126] != (byte)'I' || bytes[127] != (byte)'M')
            throw new InvalidDataException($"{name}: not a little-endian Level 5 MAT file");
        var result = new Dictionary<string, MatValue>();
        int position = 128;
        while (position + 8 <= bytes.Length)
        {
            var (type, data, next) = Element(bytes, position, name);
            position = next;
            if (type == MiCompressed)
            {
                byte[] inflated;
                using (var z = new ZLibStream(new MemoryStream(data.ToArray()), CompressionMode.Decompress))
                using (var output = new MemoryStream())
                {
                    z.CopyTo(output);
                    inflated = output.ToArray();
                }
                var (innerType, innerData, _) = Element(inflated, 0, name);
                if (innerType == MiMatrix) { var v = Matrix(innerData.ToArray(), name); result[v.Name] = v; }
            }
            else if (type == MiMatrix) { var v = Matrix(data.ToArray(), name); result[v.Name] = v; }
        }
        return result;
    }

    /// <summary>One element at <paramref name="position"/>: its type, data, and where the next one starts.</summary>
    static (int Type, ReadOnlyMemory<byte> Data, int Next) Element(byte[] bytes, int position, string name)
    {
        if (position + 8 > bytes.Length) throw new InvalidDataException($"{name}: truncated at byte {position}");
        uint first = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position));
        if ((first >> 16) != 0)
        {
            int smallCount = (int)(first >> 16);
            if (smallCount > 4) throw new InvalidDataException($"{name}: small element of {smallCount} bytes at byte {position}");
            return ((int)(first & 0xFFFF), bytes.AsMemory(position + 4, smallCount), position + 8);
        }
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position + 4));
        if (count > bytes.Length - position - 8) throw new InvalidDataException($"{name}: element at byte {position} declares {count} bytes, {bytes.Length - position - 8} remain");
        int next = position + 8 + (int)count;
        if ((int)first != MiCompressed) next = position + 8 + (int)((count + 7) / 8 * 8);
        return ((int)first, bytes.AsMemory(position + 8, (int)count), Math.Min(next, bytes.Length));
    }

    static MatValue Matrix(byte[] data, string name)
    {
        if (data.Length == 0) return new MatValue("", [0, 0], Numbers: []);
        var (flagsType, flags, p) = Element(data, 0, name);
        if (flagsType != MiUInt32 || flags.Length < 8) throw new InvalidDataException($"{name}: matrix without array flags");
        int cls = flags.Span[0];
        var (_, dimsData, p2) = Element(data, p, name);
        var dims = Ints(dimsData.Span);
        var (_, nameData, p3) = Element(data, p2, name);
        string variable = Encoding.ASCII.GetString(nameData.Span);
        long count = dims.Aggregate(1L, (a, b) => a * b);
        if (count < 0 || count > int.MaxValue) throw new InvalidDataException($"{name}: {variable} declares {count} elements");
        if (cls == ClassStruct)
        {
            var (_, lengthData, p4) = Element(data, p3, name);
            int fieldLength = Ints(lengthData.Span).FirstOrDefault();
            var (_, namesData, p5) = Element(data, p4, name);
            if (fieldLength <= 0 || namesData.Length % fieldLength != 0) throw new InvalidDataException($"{name}: {variable}: bad field names");
            var fields = Enumerable.Range(0, namesData.Length / fieldLength)
                .Select(i => Encoding.ASCII.GetString(namesData.Span.Slice(i * fieldLength, fieldLength)).TrimEnd('\0')).ToArray();
            var elements = new List<IReadOnlyDictionary<string, MatValue>>();
            int position = p5;
            for (long e = 0; e < count; e++)
            {
                var element = new Dictionary<string, MatValue>();
                foreach (var field in fields)
                {
                    var (type, fieldData, next) = Element(data, position, name);
                    if (type != MiMatrix) throw new InvalidDataException($"{name}: {variable}.{field} is not a matrix");
                    element[field] = Matrix(fieldData.ToArray(), name) with { Name = field };
                    position = next;
                }
                elements.Add(element);
            }
            return new MatValue(variable, dims, Elements: elements);
        }
        var (realType, realData, _) = Element(data, p3, name);
        if (cls == ClassChar)
        {
            string text = realType switch
            {
                MiUInt16 or MiUtf16 => Encoding.Unicode.GetString(realData.Span),
                MiUtf8 => Encoding.UTF8.GetString(realData.Span),
                _ => Encoding.Latin1.GetString(realData.Span),
            };
            return new MatValue(variable, dims, Text: text);
        }
        return new MatValue(variable, dims, Numbers: Numbers(realType, realData.Span, name));
    }

    static int[] Ints(ReadOnlySpan<byte> s)
    {
        var r = new int[s.Length / 4];
        for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadInt32LittleEndian(s[(4 * i)..]);
        return r;
    }

    static double[] Numbers(int type, ReadOnlySpan<byte> s, string name)
    {
        int size = type switch { MiInt8 or MiUInt8 => 1, MiInt16 or MiUInt16 => 2, MiInt32 or MiUInt32 or MiSingle => 4, MiDouble or MiInt64 or MiUInt64 => 8,
                                 _ => throw new InvalidDataException($"{name}: numeric data of type {type}") };
        var r = new double[s.Length / size];
        for (int i = 0; i < r.Length; i++)
        {
            var b = s.Slice(i * size, size);
            r[i] = type switch
            {
                MiInt8 => (sbyte)b[0], MiUInt8 => b[0],
                MiInt16 => BinaryPrimitives.ReadInt16LittleEndian(b), MiUInt16 => BinaryPrimitives.ReadUInt16LittleEndian(b),
                MiInt32 => BinaryPrimitives.ReadInt32LittleEndian(b), MiUInt32 => BinaryPrimitives.ReadUInt32LittleEndian(b),
                MiSingle => BinaryPrimitives.ReadSingleLittleEndian(b), MiDouble => BinaryPrimitives.ReadDoubleLittleEndian(b),
                MiInt64 => BinaryPrimitives.ReadInt64LittleEndian(b), _ => BinaryPrimitives.ReadUInt64LittleEndian(b),
            };
        }
        return r;
    }
}
