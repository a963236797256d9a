// CodedGroup: decoding bounded by the count the caller's network expects (checked before anything is allocated),
// damaged bitstreams reported as CorruptModelFileException with the byte's offset in the file, and its accessors.
using Compression.Coding;
using Compression.Format;

namespace Compression.Tests.Format;

public class CodedGroupTests
{
    [Fact]
    public void DecodesTheExpectedCount()
    {
        var group = ModelSamples.Small().Groups[0];
        Assert.Equal(64, group.SymbolCount);
        Assert.Equal(group.DecodeSymbols(), group.DecodeSymbols(64));
        Assert.Equal(group.SelfInformationBits(), group.SelfInformationBits(64));
        Assert.Throws<CorruptModelFileException>(() => group.SelfInformationBits(65));
        Assert.Throws<ArgumentOutOfRangeException>(() => group.DecodeSymbols(-1));
    }

    [Fact]
    public void AnyOtherCountIsRejectedBeforeAllocating()
    {
        // A group declaring 2^31 - 1 symbols over an empty stream: the network expects 1,000.
        var group = new CodedGroup
        {
            Name = "fc1", Columns = 1, Tensors = [("fc1.weight", [int.MaxValue])],
            Tables = [CdfTable.FromFrequencies([1, 65534, 1], 0, 16)], Bitstream = [],
        };
        var bytes = new CompressedModel { Architecture = "a", Method = "m", Groups = [group] }.ToBytes();
        var read = CompressedModel.FromBytes(bytes).Groups[0];
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<CorruptModelFileException>(() => read.DecodeSymbols(1000));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 << 10);
        Assert.Equal($"declares {int.MaxValue} symbols; the network expects 1000", e.Problem);
        Assert.Equal("group 'fc1' tensors", e.Field);
        // The tensor list starts after magic, version, "a", "m", group count, name "fc1" and the column count.
        Assert.Equal(4 + 1 + 2 + 2 + 1 + 4 + 1, e.Offset);
        Assert.Equal(0, Assert.Throws<CorruptModelFileException>(() => group.DecodeSymbols(0)).Offset);
        Assert.Throws<CorruptModelFileException>(() => read.DecodeSymbols(int.MaxValue - 1));
    }

    [Fact]
    public void DamagedBitstreamsAreCorruptFilesWithTheirOffset()
    {
        var model = ModelSamples.Small();
        var bytes = model.ToBytes();
        var layout = CompressedModelFile.Layout(model);
        var bitstream = layout.First(s => s.Part == SizePart.Bitstream && s.Group == "dense");
        // A zero byte appended to the bitstream (the length prefix and checksum fixed up): no encoder ends a stream so.
        var group = model.Groups[0];
        var longer = new CodedGroup
        {
            Name = group.Name, Columns = group.Columns, Tensors = group.Tensors, DecoderKind = group.DecoderKind,
            DecoderParameters = group.DecoderParameters, Tables = group.Tables, Bitstream = [.. group.Bitstream, 0x00],
        };
        var damaged = new CompressedModel { Architecture = model.Architecture, Method = model.Method, Groups = [longer, model.Groups[1]], SideTensors = model.SideTensors };
        var read = CompressedModel.FromBytes(damaged.ToBytes()).Groups[0];
        var e = Assert.Throws<CorruptModelFileException>(() => read.DecodeSymbols(64));
        Assert.Equal("group 'dense' bitstream", e.Field);
        Assert.Equal(bitstream.Start + group.Bitstream.Length, e.Offset);
        Assert.IsType<CorruptBitstreamException>(e.InnerException);
        Assert.Equal(bytes.Length + 1, damaged.ToBytes().Length);
    }

    [Fact]
    public void AccessorsDescribeTheGroup()
    {
        var group = ModelSamples.Small().Groups[1];
        Assert.Equal(3, group.Columns);
        Assert.Equal(18, group.SymbolCount);
        Assert.Equal(group.Tables.Sum(t => t.SerializedSize), group.TableBytes);
        Assert.Equal($"CodedGroup 'conv': 1 tensors, 18 symbols in 3 columns, {group.Bitstream.Length} bitstream bytes", group.ToString());
        Assert.Equal(2, group.DecoderKind);
        Assert.Equal([1, 2, 3], group.DecoderParameters);
    }

    [Fact]
    public void EncodeChecksItsArguments()
    {
        var table = CdfTable.FromPmf([1.0, 1.0], 0.1, 0);
        var e = Assert.Throws<ArgumentException>(() => CodedGroup.Encode("g", 1, [("w", [3])], [0, 1], [table]));
        Assert.Equal("group 'g': 2 symbols for tensors holding 3 (Parameter 'symbols')", e.Message);
        Assert.Contains("more than int.MaxValue", Assert.Throws<ArgumentException>(() =>
            CodedGroup.Encode("g", 1, [("a", [int.MaxValue]), ("b", [1])], [], [table])).Message);
        var group = CodedGroup.Encode("g", 2, [("w", [2, 2])], [0, 1, 1, 0], [table, table]);
        Assert.Empty(group.DecoderParameters);
        Assert.Equal(0, group.DecoderKind);
        Assert.Equal([0, 1, 1, 0], group.DecodeSymbols(4));
    }
}
