// A compressed network as stored in one file: which architecture and method, the coded groups, the tensors kept
// uncompressed and the raw payloads. CompressedModelFile writes and reads it; SizeBreakdown accounts for its bytes.
namespace Compression.Format;

public sealed class CompressedModel
{
    /// <summary>Architecture id, e.g. "lenet300-100", "lenet5-caffe".</summary>
    public required string Architecture { get; init; }

    /// <summary>Compression method, e.g. "epr", "sws".</summary>
    public required string Method { get; init; }

    public IReadOnlyList<CodedGroup> Groups { get; init; } = [];

    public IReadOnlyList<SideTensor> SideTensors { get; init; } = [];

    /// <summary>Fixed-length fields stored as raw bits (version 2), e.g. MIRACLE's block indices.</summary>
    public IReadOnlyList<RawPayload> RawPayloads { get; init; } = [];

    /// <summary>The file version this model is written in: 1 unless it holds state side tensors or raw payloads.</summary>
    public byte FormatVersion => FileLayout.VersionFor(this);

    /// <summary>
    /// Parameters held: coded symbols plus the values of parameter side tensors (state tensors are not parameters;
    /// what raw payloads decode to is the method's to count).
    /// </summary>
    public long ParameterCount =>
        Groups.Sum(g => (long)g.SymbolCount) + SideTensors.Where(s => s.Kind == SideTensorKind.Parameter).Sum(s => (long)s.Values.Length);

    /// <summary>Size of the same parameters as float32: the uncompressed reference of a compression ratio.</summary>
    public long Float32Bytes => 4 * ParameterCount;

    public byte[] ToBytes() => CompressedModelFile.ToBytes(this);

    public static CompressedModel FromBytes(byte[] bytes) => CompressedModelFile.FromBytes(bytes);

    public override string ToString() =>
        $"CompressedModel {Architecture}/{Method} (version {FormatVersion}): {Groups.Count} groups, {SideTensors.Count} side tensors, " +
        $"{RawPayloads.Count} raw payloads, {ParameterCount} parameters";
}
