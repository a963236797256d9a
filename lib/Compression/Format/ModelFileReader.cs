// Parses versions 1 and 2 of the layout (see FileLayout, FORMAT.md) from untrusted bytes: magic and version first,
// then every field with bounds, then the exact end and the CRC-32. Any defect is a CorruptModelFileException. No
// count or length is acted on before it has been checked against the bytes that remain, so reading costs time
// and memory proportional to the file's length.
using Compression.Coding;

namespace Compression.Format;

internal static class ModelFileReader
{
    // Lower bounds on encoded sizes, used to reject counts the remaining bytes cannot hold.
    const int MinimumGroupBytes = 8;   // name, columns, #tensors, kind, #parameters, one 2-byte table, #bitstream
    const int MinimumTensorBytes = 2;  // name length, rank
    const int MinimumTableBytes = 2;   // header, offset
    const int MinimumPayloadBytes = 2; // name length, bit length

    public static CompressedModel Read(byte[] data)
    {
        var magic = FileLayout.Magic;
        int present = Math.Min(data.Length, magic.Length);
        if (!data.AsSpan(0, present).SequenceEqual(magic[..present]))
            throw new CorruptModelFileException(
                $"not a compressed-model file: magic is {Convert.ToHexString(data, 0, present)}, expected {Convert.ToHexString(magic)} (\"EPRC\")", 0, "magic");
        if (data.Length < FileLayout.MinimumBytes)
            throw new CorruptModelFileException($"file ends early: {data.Length} bytes, the smallest valid file has {FileLayout.MinimumBytes} (truncated file?)", data.Length, "header");
        byte version = data[4];
        if (version is not (FileLayout.Version1 or FileLayout.Version2))
            throw new CorruptModelFileException(
                $"unsupported format version {version}; this reader reads versions {FileLayout.Version1} and {FileLayout.Version2}", 4, "version");

        var source = new ByteSource(data);
        source.Skip(5);
        string architecture = source.String("architecture");
        string method = source.String("method");
        int groupCount = source.Count("group count", int.MaxValue, MinimumGroupBytes);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var groupNames = new HashSet<string>(StringComparer.Ordinal);
        var groups = new List<CodedGroup>();
        for (int g = 0; g < groupCount; g++) groups.Add(ReadGroup(source, g, names, groupNames));

        int sideCount = source.Count("side tensor count", int.MaxValue, MinimumTensorBytes);
        var sides = new List<SideTensor>();
        for (int s = 0; s < sideCount; s++) sides.Add(ReadSideTensor(source, s, version, names));

        var payloads = new List<RawPayload>();
        if (version >= FileLayout.Version2)
        {
            int payloadCount = source.Count("raw payload count", int.MaxValue, MinimumPayloadBytes);
            var payloadNames = new HashSet<string>(StringComparer.Ordinal);
            for (int p = 0; p < payloadCount; p++) payloads.Add(ReadPayload(source, p, payloadNames));
        }

        if (source.Remaining < FileLayout.ChecksumBytes)
            throw source.Error($"file ends early: the checksum needs {FileLayout.ChecksumBytes} bytes, {source.Remaining} remain (truncated file?)", "checksum");
        if (source.Remaining > FileLayout.ChecksumBytes)
            throw source.Error($"{source.Remaining - FileLayout.ChecksumBytes} bytes more than the layout accounts for (trailing data or a damaged count)", "end of file");
        int checksumAt = source.Position;
        uint stored = source.UInt32("checksum");
        uint computed = Crc32.Compute(data.AsSpan(0, checksumAt));
        if (stored != computed)
            throw new CorruptModelFileException($"checksum mismatch: stored 0x{stored:X8}, computed 0x{computed:X8} over bytes 0..{checksumAt - 1} (the file is damaged)", checksumAt, "checksum");

        return new CompressedModel { Architecture = architecture, Method = method, Groups = groups, SideTensors = sides, RawPayloads = payloads };
    }

    static CodedGroup ReadGroup(ByteSource source, int g, HashSet<string> names, HashSet<string> groupNames)
    {
        int start = source.Position;
        string name = source.String($"group {g} name");
        string at = $"group {g} '{name}'";
        if (!groupNames.Add(name)) throw source.Error($"two groups are named '{name}'", $"group {g} name", start);
        int columnsAt = source.Position;
        int columns = source.Count($"{at} columns", int.MaxValue, MinimumTableBytes);
        if (columns < 1) throw source.Error("0 columns; a group has at least 1", $"{at} columns", columnsAt);
        int tensorsAt = source.Position;
        int tensorCount = source.Count($"{at} tensor count", int.MaxValue, MinimumTensorBytes);
        var tensors = new List<(string Name, int[] Shape)>();
        long symbols = 0;
        for (int t = 0; t < tensorCount; t++)
        {
            int nameAt = source.Position;
            string tensor = source.String($"{at} tensor {t} name");
            if (!names.Add(tensor)) throw source.Error($"tensor name '{tensor}' occurs twice", $"{at} tensor {t} name", nameAt);
            int shapeAt = source.Position;
            var shape = source.Shape($"{at} tensor '{tensor}' shape");
            symbols += ElementCount(shape);
            if (symbols > int.MaxValue) throw source.Error("group holds more than int.MaxValue symbols", $"{at} tensor '{tensor}' shape", shapeAt);
            tensors.Add((tensor, shape));
        }
        if (symbols % columns != 0)
            throw source.Error($"{symbols} symbols do not fill rows of {columns} columns", $"{at} tensors", tensorsAt);
        byte kind = source.Byte($"{at} decoder kind");
        int parameterLength = source.Count($"{at} decoder-parameter length", int.MaxValue, 1);
        int parametersAt = source.Position;
        byte[] parameters = source.Bytes(parameterLength, $"{at} decoder parameters").ToArray();
        var tables = new CdfTable[columns];
        for (int c = 0; c < columns; c++) tables[c] = source.Table($"{at} table {c}");
        int bitstreamLength = source.Count($"{at} bitstream length", int.MaxValue, 1);
        int bitstreamAt = source.Position;
        byte[] bitstream = source.Bytes(bitstreamLength, $"{at} bitstream").ToArray();
        return new CodedGroup
        {
            Name = name,
            Columns = columns,
            Tensors = tensors,
            DecoderKind = kind,
            DecoderParameters = parameters,
            Tables = tables,
            Bitstream = bitstream,
            TensorsOffset = tensorsAt,
            DecoderParametersOffset = parametersAt,
            BitstreamOffset = bitstreamAt,
        };
    }

    static SideTensor ReadSideTensor(ByteSource source, int s, byte version, HashSet<string> names)
    {
        int at = source.Position;
        string name = source.String($"side tensor {s} name");
        if (!names.Add(name)) throw source.Error($"tensor name '{name}' occurs twice", $"side tensor {s} name", at);
        var kind = SideTensorKind.Parameter;
        if (version >= FileLayout.Version2)
        {
            int kindAt = source.Position;
            byte k = source.Byte($"side tensor '{name}' kind");
            if (!Enum.IsDefined((SideTensorKind)k))
                throw source.Error($"unknown side-tensor kind {k} (0 parameter, 1 state)", $"side tensor '{name}' kind", kindAt);
            kind = (SideTensorKind)k;
        }
        var shape = source.Shape($"side tensor '{name}' shape");
        var values = source.Float32s(ElementCount(shape), $"side tensor '{name}' values");
        return new SideTensor(name, shape, values, kind) { FileOffset = at };
    }

    static RawPayload ReadPayload(ByteSource source, int p, HashSet<string> payloadNames)
    {
        int at = source.Position;
        string name = source.String($"raw payload {p} name");
        if (!payloadNames.Add(name)) throw source.Error($"two raw payloads are named '{name}'", $"raw payload {p} name", at);
        int lengthAt = source.Position;
        ulong bits = source.Varint($"raw payload '{name}' bit length");
        if (bits > 8UL * (ulong)source.Remaining)
            throw source.Error($"file ends early or the length is damaged: {bits} bits need {(bits + 7) / 8} bytes, {source.Remaining} remain",
                $"raw payload '{name}' bit length", lengthAt);
        int bytesAt = source.Position;
        var bytes = source.Bytes((int)RawPayload.ByteCount((long)bits), $"raw payload '{name}'");
        if (RawPayload.UnusedBits((long)bits, bytes) != 0)
            throw source.Error($"the {8 * bytes.Length - (long)bits} unused bits of the last byte are not zero", $"raw payload '{name}'", bytesAt + bytes.Length - 1);
        return new RawPayload(name, (long)bits, bytes.ToArray()) { FileOffset = bytesAt };
    }

    static int ElementCount(int[] shape)
    {
        long count = 1;
        foreach (int d in shape) count *= d;
        return (int)count;
    }
}
