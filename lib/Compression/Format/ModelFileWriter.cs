// Serializes a CompressedModel (see FileLayout, FORMAT.md), checking it first so that only files the reader accepts
// are ever written, and accounting every byte to a size-breakdown row. A model without state side tensors or raw
// payloads is written as version 1, byte for byte as before version 2 existed.
namespace Compression.Format;

internal static class ModelFileWriter
{
    public static ByteSink Write(CompressedModel model)
    {
        Validate(model);
        byte version = FileLayout.VersionFor(model);
        var sink = new ByteSink();
        sink.Bytes(FileLayout.Magic);
        sink.Byte(version);
        sink.String(model.Architecture);
        sink.String(model.Method);
        sink.Varint((ulong)model.Groups.Count);
        sink.Account(SizePart.Header, "");

        foreach (var group in model.Groups)
        {
            sink.String(group.Name);
            sink.Varint((ulong)group.Columns);
            sink.Varint((ulong)group.Tensors.Count);
            foreach (var (name, shape) in group.Tensors)
            {
                sink.String(name);
                sink.Shape(shape);
            }
            sink.Byte(group.DecoderKind);
            sink.Varint((ulong)group.DecoderParameters.Length);
            sink.Account(SizePart.GroupRecord, group.Name);
            sink.Bytes(group.DecoderParameters);
            sink.Account(SizePart.DecoderParameters, group.Name);
            foreach (var table in group.Tables) sink.Table(table);
            sink.Account(SizePart.Tables, group.Name);
            sink.Varint((ulong)group.Bitstream.Length);
            sink.Account(SizePart.GroupRecord, group.Name);
            sink.Bytes(group.Bitstream);
            sink.Account(SizePart.Bitstream, group.Name);
        }

        sink.Varint((ulong)model.SideTensors.Count);
        sink.Account(SizePart.Header, "");
        foreach (var side in model.SideTensors)
        {
            bool state = side.Kind == SideTensorKind.State;
            sink.String(side.Name);
            if (version >= FileLayout.Version2) sink.Byte((byte)side.Kind);
            sink.Shape(side.Shape);
            sink.Account(state ? SizePart.StateRecord : SizePart.SideRecord, side.Name);
            sink.Float32s(side.Values);
            sink.Account(state ? SizePart.StateValues : SizePart.SideValues, side.Name);
        }

        if (version >= FileLayout.Version2)
        {
            sink.Varint((ulong)model.RawPayloads.Count);
            sink.Account(SizePart.Header, "");
            foreach (var raw in model.RawPayloads)
            {
                sink.String(raw.Name);
                sink.Varint((ulong)raw.BitLength);
                sink.Account(SizePart.RawRecord, raw.Name);
                sink.Bytes(raw.Bytes);
                sink.Account(SizePart.RawPayload, raw.Name);
            }
        }

        sink.UInt32(Crc32.Compute(sink.Written));
        sink.Account(SizePart.Checksum, "");
        return sink;
    }

    static void Validate(CompressedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckString(model.Architecture, "architecture");
        CheckString(model.Method, "method");
        ArgumentNullException.ThrowIfNull(model.Groups);
        ArgumentNullException.ThrowIfNull(model.SideTensors);
        ArgumentNullException.ThrowIfNull(model.RawPayloads);
        var groupNames = new HashSet<string>(StringComparer.Ordinal);
        var tensorNames = new HashSet<string>(StringComparer.Ordinal);
        for (int g = 0; g < model.Groups.Count; g++)
        {
            var group = model.Groups[g] ?? throw new ArgumentException($"group {g} is null");
            CheckString(group.Name, $"group {g} name");
            if (!groupNames.Add(group.Name)) throw new ArgumentException($"two groups are named '{group.Name}'");
            if (group.Columns < 1) throw new ArgumentException($"group '{group.Name}': {group.Columns} columns; need at least 1");
            if (group.Tensors is null) throw new ArgumentException($"group '{group.Name}': no tensor list");
            foreach (var (name, shape) in group.Tensors)
            {
                CheckString(name, $"group '{group.Name}' tensor name");
                TensorShape.ElementCount(shape, $"group '{group.Name}' tensor '{name}'");
                if (!tensorNames.Add(name)) throw new ArgumentException($"tensor name '{name}' occurs twice");
            }
            int symbols = group.SymbolCount;
            if (symbols % group.Columns != 0)
                throw new ArgumentException($"group '{group.Name}': {symbols} symbols do not fill rows of {group.Columns} columns");
            if (group.Tables is null || group.Tables.Count != group.Columns)
                throw new ArgumentException($"group '{group.Name}': {group.Tables?.Count ?? 0} tables for {group.Columns} columns; need one per column");
            if (group.Tables.Any(t => t is null)) throw new ArgumentException($"group '{group.Name}': a table is null");
            if (group.DecoderParameters is null) throw new ArgumentException($"group '{group.Name}': decoder parameters are null (use an empty array)");
            if (group.Bitstream is null) throw new ArgumentException($"group '{group.Name}': bitstream is null");
        }
        foreach (var side in model.SideTensors)
        {
            if (side is null) throw new ArgumentException("a side tensor is null");
            CheckString(side.Name, "side tensor name");
            if (!tensorNames.Add(side.Name)) throw new ArgumentException($"tensor name '{side.Name}' occurs twice");
        }
        var payloadNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in model.RawPayloads)
        {
            if (raw is null) throw new ArgumentException("a raw payload is null");
            CheckString(raw.Name, "raw payload name");
            if (!payloadNames.Add(raw.Name)) throw new ArgumentException($"two raw payloads are named '{raw.Name}'");
        }
    }

    static void CheckString(string? value, string what)
    {
        if (value is null) throw new ArgumentException($"{what} is null");
        int bytes = System.Text.Encoding.UTF8.GetByteCount(value);
        if (bytes > FileLayout.MaxStringBytes) throw new ArgumentException($"{what} is {bytes} UTF-8 bytes; at most {FileLayout.MaxStringBytes}");
    }
}
