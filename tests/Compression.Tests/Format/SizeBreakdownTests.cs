// Size accounting: rows sum exactly to the file length, parts match what they count, and the frame/text views.
using Compression.Format;
using Compression.Notebooks;
using CsCheck;

namespace Compression.Tests.Format;

public class SizeBreakdownTests
{
    [Fact]
    public void RowsSumExactlyToTheFileLength() =>
        Gen.Int.Sample(seed =>
        {
            var model = ModelSamples.Random(new Random(seed));
            var sizes = SizeBreakdown.Of(model);
            Assert.Equal(model.ToBytes().Length, sizes.TotalBytes);
            Assert.Equal(sizes.TotalBytes, sizes.Rows.Sum(r => r.Bytes));
        }, iter: 200);

    [Fact]
    public void WrittenFileHasTheAccountedLength()
    {
        var dir = Directory.CreateTempSubdirectory("cmf").FullName;
        try
        {
            var model = ModelSamples.Small();
            var path = Path.Combine(dir, "m.eprc");
            CompressedModelFile.Write(model, path);
            Assert.Equal(new FileInfo(path).Length, CompressedModelFile.Sizes(model).TotalBytes);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void PartsCountWhatTheySay()
    {
        var model = ModelSamples.Small();
        var sizes = SizeBreakdown.Of(model);
        foreach (var g in model.Groups)
        {
            Assert.Equal(g.Bitstream.Length, sizes.Bytes(SizePart.Bitstream, g.Name));
            Assert.Equal(g.TableBytes, sizes.Bytes(SizePart.Tables, g.Name));
            Assert.Equal(g.DecoderParameters.Length, sizes.Bytes(SizePart.DecoderParameters, g.Name));
            Assert.True(sizes.Bytes(SizePart.GroupRecord, g.Name) > 0);
        }
        Assert.Equal(4 * 5, sizes.Bytes(SizePart.SideValues, "fc1.bias"));
        Assert.Equal(1 + 8 + 1 + 1, sizes.Bytes(SizePart.SideRecord, "fc1.bias"));
        Assert.Equal(4, sizes.Bytes(SizePart.Checksum));
        // magic 4, version 1, "lenet-test" 11, "epr" 4, group count 1, side count 1.
        Assert.Equal(22, sizes.Bytes(SizePart.Header));
        // Group record of "dense": name 6, columns 1, #tensors 1, two tensors (11 + 3, 11 + 3), kind 1, #parameters 1, #bitstream 1.
        Assert.Equal(6 + 1 + 1 + 14 + 14 + 1 + 1 + 1, sizes.Bytes(SizePart.GroupRecord, "dense"));
    }

    [Fact]
    public void SelfInformationSitsBesideEachBitstream()
    {
        var model = ModelSamples.Small();
        var sizes = SizeBreakdown.Of(model);
        Assert.Equal(model.Groups.Select(g => g.Name), sizes.Groups.Select(g => g.Group));
        foreach (var rate in sizes.Groups)
        {
            Assert.InRange(rate.OverheadBytes, -0.01, 2);
            Assert.Equal(model.Groups.Single(g => g.Name == rate.Group).SymbolCount, rate.Symbols);
        }
        Assert.Empty(SizeBreakdown.Of(model, estimateSelfInformation: false).Groups);
    }

    [Fact]
    public void FrameAndTextViews()
    {
        var sizes = SizeBreakdown.Of(ModelSamples.Small());
        var frame = sizes.ToFrame();
        Assert.Equal(sizes.Rows.Count, frame.RowCount);
        Assert.Contains("Bytes", frame.ColumnKeys);
        Assert.Contains("SelfInformationBytes", frame.ColumnKeys);
        Assert.Equal(sizes.TotalBytes, frame.GetColumn<long>("Bytes").Values.Sum());
        var groups = sizes.GroupsFrame();
        Assert.Equal(2, groups.RowCount);

        var text = sizes.ToText();
        Assert.Contains("total", text);
        Assert.Contains(sizes.TotalBytes.ToString(), text);
        Assert.Contains("bitstream", text);
        Assert.Contains("self-info", text);
        Assert.Equal(text, sizes.ToString());
    }
}
