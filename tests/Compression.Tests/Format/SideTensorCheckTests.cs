// Every method's decoder checks the side tensors of a file against the network it builds through one check
// (Methods/SideTensorCheck), and a rejection points at the side tensor's entry in the file, not at "no offset".
using Compression.Format;
using Compression.Methods;
using Compression.Models;

namespace Compression.Tests.Format;

public class SideTensorCheckTests
{
    static readonly byte[] BogusEntry = [5, (byte)'b', (byte)'o', (byte)'g', (byte)'u', (byte)'s'];

    [Theory]
    [InlineData("results/epr-lenet300-100/lenet300-100.epr", "has no parameter or state 'bogus'")]
    [InlineData("results/sws-lenet300-100/model.eprc", "has no parameter or state 'bogus'")]
    [InlineData("results/ec-lenet300-100/lenet300-100.eprc", "has no parameter or state 'bogus'")]
    [InlineData("results/miracle-lenet300-100/lenet300-100.eprc", "has no state tensor 'bogus'")]
    public void AnUnknownSideTensorIsRejectedAtItsEntry(string committed, string problem)
    {
        var original = CompressedModelFile.Read(Path.Combine(CommittedFiles.Root, committed));
        var model = new CompressedModel
        {
            Architecture = original.Architecture, Method = original.Method, Groups = original.Groups, RawPayloads = original.RawPayloads,
            SideTensors = [.. original.SideTensors, new SideTensor("bogus", [2], [1f, 2f])],
        };
        var bytes = CompressedModelFile.ToBytes(model);
        long entry = bytes.AsSpan().IndexOf(BogusEntry);
        Assert.True(entry > 0);

        var e = Assert.Throws<CorruptModelFileException>(() => CompressionMethods.Decode(CompressedModelFile.FromBytes(bytes), new LeNet300100()));
        Assert.Equal(entry, e.Offset);
        Assert.Equal("side tensor 'bogus'", e.Field);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void ASideTensorThatRepeatsACodedTensorOrHasTheWrongShapeIsRejected()
    {
        var original = CompressedModelFile.Read(Path.Combine(CommittedFiles.Root, "results/ec-lenet300-100/lenet300-100.eprc"));
        var coded = original.Groups.SelectMany(g => g.Tensors).First();
        CompressedModel With(SideTensor extra) => new()
        {
            Architecture = original.Architecture, Method = original.Method, Groups = original.Groups, RawPayloads = original.RawPayloads,
            SideTensors = [.. original.SideTensors, extra],
        };
        // the container refuses a repeated name, so this one only reaches a decoder in memory
        var copy = new SideTensor(coded.Name, coded.Shape.ToArray(), new float[coded.Shape.Aggregate(1, (a, b) => a * b)]);
        Assert.Contains("is stored twice", Assert.Throws<CorruptModelFileException>(() => CompressionMethods.Decode(With(copy), new LeNet300100())).Message);
        var wrong = Assert.Throws<CorruptModelFileException>(() => CompressionMethods.Decode(With(new SideTensor("fc1.bias", [3], [1f, 2f, 3f])), new LeNet300100()));
        Assert.Contains("stored shape [3], lenet300-100 has [300]", wrong.Message);
    }

    [Fact]
    public void AFileWithoutATensorTheNetworkNeedsNamesIt()
    {
        var original = CompressedModelFile.Read(Path.Combine(CommittedFiles.Root, "results/ec-lenet300-100/lenet300-100.eprc"));
        var model = new CompressedModel
        {
            Architecture = original.Architecture, Method = original.Method, Groups = original.Groups.Take(original.Groups.Count - 1).ToList(),
            SideTensors = original.SideTensors, RawPayloads = original.RawPayloads,
        };
        var e = Assert.Throws<CorruptModelFileException>(() => CompressionMethods.Decode(CompressedModelFile.FromBytes(CompressedModelFile.ToBytes(model)), new LeNet300100()));
        Assert.Contains($"{string.Join(", ", original.Groups[^1].Tensors.Select(t => t.Name))} missing from the file", e.Message);
        Assert.Equal("groups and side tensors", e.Field);
    }
}
