// Versions 1 and 2 of the container: a model without version-2 features is written as version 1 (so the committed
// results re-write to the same bytes), side-tensor kinds and raw payloads round-trip in version 2 with their own
// size parts, and every committed file still reads, decodes and accounts its bytes as its summary.json says.
using System.Text.Json;
using Compression.Coding;
using Compression.Format;

namespace Compression.Tests.Format;

public class FormatVersionTests
{
    static CompressedModel WithExtras(CompressedModel model, IReadOnlyList<SideTensor>? sides = null, IReadOnlyList<RawPayload>? payloads = null) => new()
    {
        Architecture = model.Architecture,
        Method = model.Method,
        Groups = model.Groups,
        SideTensors = sides ?? model.SideTensors,
        RawPayloads = payloads ?? model.RawPayloads,
    };

    static CompressedModel Version2Sample() => WithExtras(ModelSamples.Small(),
        sides: [.. ModelSamples.Small().SideTensors,
            new SideTensor("bn1.running_mean", [3], [0.25f, -0.5f, 1f], SideTensorKind.State),
            new SideTensor("bn1.running_var", [3], [1f, 2f, 0.5f], SideTensorKind.State)],
        payloads: [RawPayload.FromFields("fc1.block_indices", [5, 0, 1023, 512, 7], 10), new RawPayload("empty", 0, [])]);

    [Fact]
    public void ModelsWithoutVersion2FeaturesAreWrittenAsVersion1()
    {
        var model = ModelSamples.Small();
        Assert.Equal(FileLayout.Version1, model.FormatVersion);
        var bytes = model.ToBytes();
        Assert.Equal(FileLayout.Version1, bytes[4]);
        Assert.Equal(bytes, CompressedModel.FromBytes(bytes).ToBytes());
        // Parameter side tensors and an empty payload list keep version 1.
        Assert.Equal(bytes, WithExtras(model, payloads: []).ToBytes());
    }

    [Fact]
    public void StateTensorsOrRawPayloadsNeedVersion2()
    {
        var model = ModelSamples.Small();
        var state = WithExtras(model, sides: [new SideTensor("bn.mean", [1], [1f], SideTensorKind.State)]);
        Assert.Equal(FileLayout.Version2, state.FormatVersion);
        Assert.Equal(FileLayout.Version2, state.ToBytes()[4]);
        var raw = WithExtras(model, payloads: [RawPayload.FromFields("idx", [1], 1)]);
        Assert.Equal(FileLayout.Version2, raw.FormatVersion);
        Assert.Equal(FileLayout.Version2, raw.ToBytes()[4]);
    }

    [Fact]
    public void Version2RoundTripsKindsAndPayloads()
    {
        var model = Version2Sample();
        var bytes = model.ToBytes();
        var back = CompressedModel.FromBytes(bytes);
        ModelSamples.AssertSame(model, back);
        Assert.Equal(model.SideTensors.Select(s => s.Kind), back.SideTensors.Select(s => s.Kind));
        Assert.Equal(model.RawPayloads.Select(p => p.Name), back.RawPayloads.Select(p => p.Name));
        Assert.Equal(model.RawPayloads.Select(p => p.BitLength), back.RawPayloads.Select(p => p.BitLength));
        for (int i = 0; i < model.RawPayloads.Count; i++) Assert.Equal(model.RawPayloads[i].Bytes, back.RawPayloads[i].Bytes);
        Assert.Equal([5UL, 0, 1023, 512, 7], back.RawPayloads[0].ReadFields(10, 5));
        Assert.Equal(bytes, back.ToBytes());
    }

    [Fact]
    public void Version2LayoutIsAsDocumented()
    {
        // One state tensor of one value, one payload of 3 bits (101): every byte after the header spelled out.
        var model = new CompressedModel
        {
            Architecture = "a", Method = "m",
            SideTensors = [new SideTensor("s", [1], [1f], SideTensorKind.State)],
            RawPayloads = [RawPayload.FromFields("r", [5], 3)],
        };
        byte[] expected = [.. "EPRC"u8, 2, 1, (byte)'a', 1, (byte)'m', 0, // groups
            1, 1, (byte)'s', 1, 1, 1, 0x00, 0x00, 0x80, 0x3F,              // side count, name, kind 1 (state), rank 1, dim 1, 1.0f
            1, 1, (byte)'r', 3, 0b1010_0000];                               // payload count, name, 3 bits, MSB first
        var bytes = model.ToBytes();
        Assert.Equal(expected, bytes[..^4]);
        Assert.Equal(Crc32.Compute(expected), BitConverter.ToUInt32(bytes, bytes.Length - 4));
    }

    [Fact]
    public void SizePartsSeparateStateAndRawBytes()
    {
        var model = Version2Sample();
        var sizes = SizeBreakdown.Of(model);
        Assert.Equal(model.ToBytes().Length, sizes.TotalBytes);
        // name (1 + 16) + kind 1 + rank 1 + dim 1.
        Assert.Equal(1 + 16 + 1 + 1 + 1, sizes.Bytes(SizePart.StateRecord, "bn1.running_mean"));
        Assert.Equal(12, sizes.Bytes(SizePart.StateValues, "bn1.running_mean"));
        Assert.Equal(20 + 19, sizes.Bytes(SizePart.StateRecord));
        Assert.Equal(24, sizes.Bytes(SizePart.StateValues));
        // The parameter side tensor keeps its parts, now with a kind byte: name (1 + 8) + kind + rank + dim.
        Assert.Equal(1 + 8 + 1 + 1 + 1, sizes.Bytes(SizePart.SideRecord, "fc1.bias"));
        Assert.Equal(20, sizes.Bytes(SizePart.SideValues));
        // Payload: name (1 + 17) + bit length 50 (1 byte), then 7 bytes; the empty one: name (1 + 5) + length.
        Assert.Equal(1 + 17 + 1, sizes.Bytes(SizePart.RawRecord, "fc1.block_indices"));
        Assert.Equal(7, sizes.Bytes(SizePart.RawPayload, "fc1.block_indices"));
        Assert.Equal(0, sizes.Bytes(SizePart.RawPayload, "empty"));
        Assert.Equal(1 + 5 + 1, sizes.Bytes(SizePart.RawRecord, "empty"));
        // Header: magic 4, version 1, "lenet-test" 11, "epr" 4, group, side and payload counts.
        Assert.Equal(4 + 1 + 11 + 4 + 1 + 1 + 1, sizes.Bytes(SizePart.Header));
        Assert.Equal(sizes.TotalBytes - 39 - 24, sizes.PaperComparableBytes);
        Assert.Contains("without state (papers)", sizes.ToText());
    }

    [Fact]
    public void PaperComparableBytesIsTheTotalWithoutState()
    {
        var plain = SizeBreakdown.Of(ModelSamples.Small());
        Assert.Equal(plain.TotalBytes, plain.PaperComparableBytes);
        Assert.DoesNotContain("without state", plain.ToText());
        Assert.Equal([SizePart.StateRecord, SizePart.StateValues], SizePart.NotCountedByPapers);
    }

    [Fact]
    public void StateTensorsAreNotParameters()
    {
        var model = Version2Sample();
        Assert.Equal(ModelSamples.Small().ParameterCount, model.ParameterCount);
        Assert.Equal(4 * model.ParameterCount, model.Float32Bytes);
        Assert.Contains("version 2", model.ToString());
        Assert.Contains("2 raw payloads", model.ToString());
    }

    [Fact]
    public void EveryCommittedFileReadsDecodesAndRewritesIdentically()
    {
        var files = CommittedFiles.All();
        Assert.True(files.Count >= 11, $"found {files.Count} committed files");
        foreach (var path in files)
        {
            var bytes = File.ReadAllBytes(path);
            var model = CompressedModelFile.Read(path);
            Assert.Equal(bytes, model.ToBytes());
            // version 1 unless the file needs version 2 (MIRACLE's raw payloads): the writer's rule
            Assert.Equal(FileLayout.VersionFor(model), bytes[4]);
            if (bytes[4] == FileLayout.Version1)
            {
                Assert.All(model.SideTensors, s => Assert.Equal(SideTensorKind.Parameter, s.Kind));
                Assert.Empty(model.RawPayloads);
            }
            // Every group decodes its declared count and uses its bitstream to the last byte.
            foreach (var g in model.Groups) Assert.Equal(g.SymbolCount, g.DecodeSymbols(g.SymbolCount).Length);

            var summaryPath = Path.Combine(Path.GetDirectoryName(path)!, "summary.json");
            if (!File.Exists(summaryPath)) continue;
            using var summary = JsonDocument.Parse(File.ReadAllText(summaryPath));
            var sizes = SizeBreakdown.Of(model);
            Assert.Equal(summary.RootElement.GetProperty("compressed_bytes").GetInt64(), sizes.TotalBytes);
            Assert.Equal(sizes.TotalBytes, sizes.PaperComparableBytes);
            if (summary.RootElement.TryGetProperty("size_breakdown", out var recorded))
                Assert.Equal(recorded.EnumerateArray().Select(r => (r.GetProperty("part").GetString(), r.GetProperty("group").GetString(), r.GetProperty("bytes").GetInt64())),
                    sizes.Rows.Select(r => ((string?)r.Part, (string?)r.Group, r.Bytes)));
            if (summary.RootElement.TryGetProperty("self_information_bits", out var bits) && bits.ValueKind == JsonValueKind.Number)
                Assert.Equal(bits.GetDouble(), sizes.Groups.Sum(g => g.SelfInformationBits), 1e-6 * bits.GetDouble());
        }
    }

    [Fact]
    public void CommittedLeNet300FileKeepsItsBreakdown()
    {
        var sizes = SizeBreakdown.Of(CompressedModelFile.Read(Path.Combine(CommittedFiles.Root, "results", "epr-lenet300-100", "lenet300-100.epr")));
        Assert.Equal(6604, sizes.TotalBytes);
        Assert.Equal(24, sizes.Bytes(SizePart.Header));
        Assert.Equal(5994, sizes.Bytes(SizePart.Bitstream, "hidden-weights"));
        Assert.Equal(392, sizes.Bytes(SizePart.Bitstream, "classifier-weights"));
        Assert.Equal(1, sizes.Bytes(SizePart.Bitstream, "biases"));
        Assert.Equal(5994 + 392 + 1, sizes.Bytes(SizePart.Bitstream));
        Assert.Equal(52 + 39 + 46, sizes.Bytes(SizePart.GroupRecord));
        Assert.Equal(7 + 16 + 5, sizes.Bytes(SizePart.Tables));
        Assert.Equal(24, sizes.Bytes(SizePart.DecoderParameters));
        Assert.Equal(4, sizes.Bytes(SizePart.Checksum));
    }
}
