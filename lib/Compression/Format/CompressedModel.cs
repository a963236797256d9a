// A compressed network as stored in one file: which architecture and method, the coded groups, and the
// tensors kept uncompressed. CompressedModelFile writes and reads it; SizeBreakdown accounts for its bytes.
namespace Compression.Format;

public sealed class CompressedModel
{
    /// <summary>Architecture id, e.g. "lenet300-100", "lenet5-caffe".</summary>
    public required string Architecture { get; init; }

    /// <summary>Compression method, e.g. "epr", "sws".</summary>
    public required string Method { get; init; }

    public IReadOnlyList<CodedGroup> Groups { get; init; } = [];

    public IReadOnlyList<SideTensor> SideTensors { get; init; } = [];

    /// <summary>Parameters held: coded symbols plus side-tensor values.</summary>
    public long ParameterCount => Groups.Sum(g => (long)g.SymbolCount) + SideTensors.Sum(s => (long)s.Values.Length);

    /// <summary>Size of the same parameters as float32: the uncompressed reference of a compression ratio.</summary>
    public long Float32Bytes => 4 * ParameterCount;

    public byte[] ToBytes() => CompressedModelFile.ToBytes(this);

    public static CompressedModel FromBytes(byte[] bytes) => CompressedModelFile.FromBytes(bytes);

    public override string ToString() =>
        $"CompressedModel {Architecture}/{Method}: {Groups.Count} groups, {SideTensors.Count} side tensors, {ParameterCount} parameters";
}
