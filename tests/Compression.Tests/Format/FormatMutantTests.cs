// Edge cases of the format's records and file entry points, pinned where a changed argument check, message or sum
// would otherwise pass unnoticed: which argument a null is reported for (checks run before any other work), the
// numbers and names in the error messages of RawPayload and SideTensor, a side tensor's "not from a file" offset,
// the parameter count summing over every parameter side tensor, and a path that names no file.
using Compression.Coding;
using Compression.Format;

namespace Compression.Tests.Format;

public class FormatMutantTests
{
    /// <summary>A model the writer refuses (architecture string too long), to tell argument checks from model validation.</summary>
    static CompressedModel Invalid() => new() { Architecture = new string('x', 2000), Method = "m" };

    [Fact]
    public void ParameterCountSumsEveryParameterSideTensorAndSkipsState()
    {
        var table = CdfTable.FromPmf([1.0, 1.0], 0.1, 0);
        var model = new CompressedModel
        {
            Architecture = "a", Method = "m",
            Groups = [CodedGroup.Encode("g", 1, [("w", [4])], [0, 1, 0, 1], [table])],
            SideTensors =
            [
                new SideTensor("b1", [3], new float[3]),
                new SideTensor("b2", [2], new float[2]),
                new SideTensor("bn.var", [7], new float[7], SideTensorKind.State),
            ],
        };
        Assert.Equal(4 + 3 + 2, model.ParameterCount);
        Assert.Equal(4 * 9, model.Float32Bytes);
    }

    [Fact]
    public void FromBytesOfNullIsAnArgumentNullException() =>
        Assert.Equal("bytes", Assert.Throws<ArgumentNullException>(() => CompressedModelFile.FromBytes(null!)).ParamName);

    [Fact]
    public void WriteChecksThePathBeforeTheModel()
    {
        // A null path is reported as such even for a model the writer would refuse.
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => CompressedModelFile.Write(Invalid(), null!)).ParamName);
    }

    [Fact]
    public void WriteToAFileSystemRootNamesNoFile()
    {
        string root = Path.GetPathRoot(Path.GetTempPath())!;
        var e = Assert.Throws<ArgumentException>(() => CompressedModelFile.Write(new CompressedModel { Architecture = "a", Method = "m" }, root));
        Assert.Equal("path", e.ParamName);
        Assert.StartsWith($"{root} names no file", e.Message);
    }

    [Fact]
    public void NullRawPayloadListIsAnArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => new CompressedModel { Architecture = "a", Method = "m", RawPayloads = null! }.ToBytes());

    [Fact]
    public void RawPayloadMessagesGiveTheNumbers()
    {
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => new RawPayload("p", -1, []));
        Assert.Equal("bitLength", negative.ParamName);
        Assert.Contains("a payload has at least 0 bits", negative.Message);

        var length = Assert.Throws<ArgumentException>(() => new RawPayload("idx", 9, [0x00]));
        Assert.StartsWith("raw payload 'idx': 9 bits need 2 bytes, not 1", length.Message);

        // 2 bytes hold 16 bits, 9 used: 7 unused bits (neither 16 + 9 nor 8 / 2 - 9).
        var unused = Assert.Throws<ArgumentException>(() => new RawPayload("idx", 9, [0xFF, 0x40]));
        Assert.StartsWith("raw payload 'idx': the 7 unused bits of the last byte must be zero", unused.Message);
        Assert.Equal("bytes", unused.ParamName);

        var wide = Assert.Throws<ArgumentOutOfRangeException>(() => RawPayload.FromFields("p", [1, 8], 3));
        Assert.Equal("fields", wide.ParamName);
        Assert.Equal(8UL, wide.ActualValue);
        Assert.Contains("does not fit 3 bits", wide.Message);

        foreach (int bits in new[] { 0, 65 })
        {
            var width = Assert.Throws<ArgumentOutOfRangeException>(() => RawPayload.FromFields("p", [1], bits));
            Assert.Equal("bitsPerField", width.ParamName);
            Assert.Contains("1..64 bits a field", width.Message);
        }
    }

    [Fact]
    public void SideTensorChecksShapeBeforeValuesAndKind()
    {
        Assert.Equal("shape", Assert.Throws<ArgumentNullException>(() => new SideTensor("b", null!, null!)).ParamName);
        Assert.Equal("shape", Assert.Throws<ArgumentNullException>(() => new SideTensor("b", null!, [1f], (SideTensorKind)7)).ParamName);
    }

    [Fact]
    public void SideTensorMessagesNameTheTensor()
    {
        var kind = Assert.Throws<ArgumentOutOfRangeException>(() => new SideTensor("b", [1], [1f], (SideTensorKind)2));
        Assert.Equal("kind", kind.ParamName);
        Assert.Contains("Parameter or State", kind.Message);
        Assert.Equal("side tensor 'bias': negative dimension -1", Assert.Throws<ArgumentException>(() => new SideTensor("bias", [-1], [])).Message);
    }

    [Fact]
    public void SideTensorMadeInMemoryHasNoFileOffset()
    {
        Assert.Equal(-1, new SideTensor("b", [1], [1f]).FileOffset);
        var model = new CompressedModel { Architecture = "a", Method = "m", SideTensors = [new SideTensor("b", [1], [1f])] };
        // magic 4, version 1, "a" 2, "m" 2, group count 1, side count 1: the entry starts at byte 11.
        Assert.Equal(11, CompressedModel.FromBytes(model.ToBytes()).SideTensors[0].FileOffset);
    }
}
