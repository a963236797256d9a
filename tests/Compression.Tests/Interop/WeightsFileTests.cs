// Import and export of networks as weight files: files written by an independent writer (Python's standard library,
// Fixtures/make_fixtures.py) read to the exact values; export then import is the identity to the bit in all three
// formats; exports load in TorchSharp's own loaders; what does not match an architecture is named, all of it.
using System.Buffers.Binary;
using System.Text.Json;
using Compression.Interop;
using Compression.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Compression.Tests.Interop;

public class WeightsFileTests
{
    static void AssertFixtureValues(NetworkValues values)
    {
        var a = values.Architecture;
        for (int i = 0; i < a.Parameters.Count; i++)
            Assert.Equal(InteropSamples.FixtureValues(a.Parameters[i].Name, a.Parameters[i].Count), values.ParameterFloats(i));
        for (int i = 0; i < a.State.Count; i++)
            Assert.Equal(InteropSamples.FixtureValues(a.State[i].Name, a.State[i].Count), values.StateFloats(i));
    }

    [Fact]
    public void ReadsAStateDictInTorchSaveFormat()
    {
        using var values = WeightsFile.Import(InteropSamples.Fixture("tiny.pt"), new TinyBatchNormNet(), out var report);
        AssertFixtureValues(values);
        Assert.Equal(WeightsFormat.PyTorch, report.Format);
        Assert.Equal(["bn1.num_batches_tracked"], report.Ignored);
        Assert.Empty(report.Converted);

        using var file = WeightsFile.ReadTensors(InteropSamples.Fixture("tiny.pt"));
        var counter = file.Tensors.Single(kv => kv.Key == "bn1.num_batches_tracked").Value;
        Assert.Equal(ScalarType.Int64, counter.dtype);
        Assert.Empty(counter.shape);
        Assert.Equal(7L, counter.item<long>());
    }

    [Fact]
    public void ReadsSafetensorsAndConvertsOtherPrecisionsToFloat32()
    {
        using var values = WeightsFile.Import(InteropSamples.Fixture("tiny.safetensors"), new TinyBatchNormNet(), out var report);
        AssertFixtureValues(values);
        Assert.Equal(WeightsFormat.Safetensors, report.Format);
        Assert.Equal(["fc1.weight (Float64)", "bn1.bias (Float16)"], report.Converted);
        Assert.Empty(report.Ignored);
        using var file = WeightsFile.ReadTensors(InteropSamples.Fixture("tiny.safetensors"));
        Assert.Equal(InteropSamples.FixtureOrder, file.Tensors.Select(kv => kv.Key));
    }

    [Fact]
    public void ReadsATrainingCheckpointThroughARenameAndHintsAtThePrefix()
    {
        var path = InteropSamples.Fixture("checkpoint.pt");
        var e = Assert.Throws<WeightsFileException>(() => WeightsFile.Import(path, new TinyBatchNormNet()));
        Assert.Contains("missing from the file: fc1.weight, fc1.bias", e.Message);
        Assert.Contains("not in tiny-bn: model.module.bn1.bias", e.Message);
        Assert.Contains("with the prefix 'model.module.'", e.Message);

        var options = new ImportOptions { Rename = n => n.StartsWith("model.module.", StringComparison.Ordinal) ? n["model.module.".Length..] : n };
        using var values = WeightsFile.Import(path, new TinyBatchNormNet(), out var report, options);
        AssertFixtureValues(values);
        Assert.Equal(["epoch (Int32)", "model.module.bn1.num_batches_tracked"], report.Ignored);
    }

    public static TheoryData<string> Extensions() => new() { ".safetensors", ".pt", ".dat" };

    [Theory]
    [MemberData(nameof(Extensions))]
    public void ExportThenImportGivesTheSameBits(string extension)
    {
        foreach (Architecture a in new Architecture[] { new TinyBatchNormNet(), new LeNet5Caffe() })
        {
            using var values = InteropSamples.Random(a, seed: 5);
            var path = InteropSamples.TempPath("weights" + extension);
            WeightsFile.Export(values, path);
            using var back = WeightsFile.Import(path, a, out var report);
            Assert.True(values.BitwiseEquals(back, out var first), $"{a.Id} {extension}: {first} differs");
            Assert.Equal(WeightsFormats.FromExtension(path), report.Format);
            Assert.Empty(report.Ignored);
            Assert.Empty(report.Converted);
            Assert.DoesNotContain(Directory.GetFiles(Path.GetDirectoryName(path)!), f => f.EndsWith(".tmp", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(".safetensors")]
    [InlineData(".dat")]
    public void ExportIsDeterministic(string extension)
    {
        using var values = InteropSamples.Random(new LeNet300100(), seed: 2);
        var first = InteropSamples.TempPath("a" + extension);
        var second = InteropSamples.TempPath("b" + extension);
        WeightsFile.Export(values, first);
        WeightsFile.Export(values, second);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public void ExportedSafetensorsFollowTheFormatByteForByte()
    {
        // parsed here without PyBridge: u64 header length, JSON, then float32 little-endian data at the stated offsets
        var a = new TinyBatchNormNet();
        using var values = InteropSamples.Random(a, seed: 9);
        var path = InteropSamples.TempPath("tiny.safetensors");
        WeightsFile.Export(values, path);
        var bytes = File.ReadAllBytes(path);
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)n));
        var names = a.Parameters.Select(p => p.Name).Concat(a.State.Select(s => s.Name)).ToList();
        Assert.Equal(names, header.RootElement.EnumerateObject().Select(p => p.Name));
        long expectedOffset = 0;
        foreach (var (name, i) in names.Select((x, i) => (x, i)))
        {
            var entry = header.RootElement.GetProperty(name);
            Assert.Equal("F32", entry.GetProperty("dtype").GetString());
            var shape = entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = entry.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            Assert.Equal(expectedOffset, offsets[0]);
            var floats = i < a.Parameters.Count ? values.ParameterFloats(i) : values.StateFloats(i - a.Parameters.Count);
            Assert.Equal(shape.Aggregate(1L, (x, y) => x * y) * 4, offsets[1] - offsets[0]);
            var data = bytes.AsSpan((int)(8 + n + offsets[0]), (int)(offsets[1] - offsets[0]));
            for (int k = 0; k < floats.Length; k++)
                Assert.Equal(BitConverter.SingleToInt32Bits(floats[k]), BinaryPrimitives.ReadInt32LittleEndian(data[(4 * k)..]));
            expectedOffset = offsets[1];
        }
        Assert.Equal(bytes.Length, 8 + n + expectedOffset);
    }

    [Fact]
    public void ExportedPickleHasTorchSaveStructure()
    {
        using var values = InteropSamples.Random(new TinyBatchNormNet(), seed: 3);
        var path = InteropSamples.TempPath("tiny.pt");
        WeightsFile.Export(values, path);
        using var zip = System.IO.Compression.ZipFile.OpenRead(path);
        var pickle = zip.Entries.Single(e => e.Name == "data.pkl");
        using var s = pickle.Open();
        var bytes = new MemoryStream();
        s.CopyTo(bytes);
        var text = System.Text.Encoding.Latin1.GetString(bytes.ToArray());
        Assert.Equal(0x80, bytes.ToArray()[0]);                                   // PROTO
        Assert.Contains("torch._utils\n_rebuild_tensor_v2\n", text);             // what torch.load rebuilds tensors with
        Assert.Contains("torch\nFloatStorage\n", text);
        Assert.Equal(8, zip.Entries.Count(e => e.FullName.Contains("/data/", StringComparison.Ordinal)));   // one storage per tensor
        Assert.Contains(zip.Entries, e => e.FullName.EndsWith("/version", StringComparison.Ordinal));
    }

    /// <summary>LeNet300-100 as TorchSharp modules, so that its state_dict names are "fc1.weight" ... "fc3.bias".</summary>
    static TorchSharp.Modules.Sequential TorchSharpLeNet() => nn.Sequential(
        ("fc1", nn.Linear(784, 300)), ("relu1", nn.ReLU()), ("fc2", nn.Linear(300, 100)), ("relu2", nn.ReLU()), ("fc3", nn.Linear(100, 10)));

    static void AssertModuleHolds(nn.Module module, NetworkValues values)
    {
        var sd = module.state_dict();
        Assert.Equal(values.Architecture.Parameters.Count, sd.Count);
        for (int i = 0; i < values.Parameters.Count; i++)
        {
            var name = values.Architecture.Parameters[i].Name;
            Assert.Equal(values.ParameterFloats(i), sd[name].data<float>().ToArray());
        }
    }

    [Fact]
    public void ExportsLoadInTorchSharpModules()
    {
        using var values = InteropSamples.Random(new LeNet300100(), seed: 4);
        var dat = InteropSamples.TempPath("lenet.dat");
        WeightsFile.Export(values, dat);
        using (var m = TorchSharpLeNet()) { m.load(dat, strict: true); AssertModuleHolds(m, values); }

        var pt = InteropSamples.TempPath("lenet.pt");
        WeightsFile.Export(values, pt);
        using (var m = TorchSharpLeNet()) { m.load_py(pt, strict: true); AssertModuleHolds(m, values); }

        var st = InteropSamples.TempPath("lenet.safetensors");
        WeightsFile.Export(values, st);
        using (var m = TorchSharpLeNet()) { m.load_safetensors(st, strict: true); AssertModuleHolds(m, values); }
    }

    [Fact]
    public void ReadsWhatTorchSharpModulesSave()
    {
        using var m = TorchSharpLeNet();
        var dat = InteropSamples.TempPath("module.dat");
        m.save(dat);
        var pt = InteropSamples.TempPath("module.pt");
        m.save_py(pt);
        foreach (var path in new[] { dat, pt })
        {
            using var values = WeightsFile.Import(path, new LeNet300100());
            AssertModuleHolds(m, values);
        }
    }

    [Fact]
    public void NamesEveryMissingExtraAndMisShapedTensor()
    {
        using var lenet300 = InteropSamples.Random(new LeNet300100(), seed: 1);
        var path = InteropSamples.TempPath("lenet300.safetensors");
        WeightsFile.Export(lenet300, path);
        var e = Assert.Throws<WeightsFileException>(() => WeightsFile.Import(path, new LeNet5Caffe()));
        Assert.Equal(path, e.Path);
        Assert.Contains("missing from the file: conv1.weight, conv1.bias, conv2.weight, conv2.bias", e.Message);
        Assert.Contains("not in LeNet5-Caffe: fc3.bias, fc3.weight", e.Message);
        Assert.Contains("fc1.weight: shape [300, 784] in the file, [500, 800] in LeNet5-Caffe", e.Message);
        Assert.Contains("fc2.weight: shape [100, 300] in the file, [10, 500] in LeNet5-Caffe", e.Message);

        // extra tensors can be let through, and are then reported
        using var tiny = InteropSamples.Random(new TinyBatchNormNet(), seed: 1);
        var tinyPath = InteropSamples.TempPath("tiny.safetensors");
        WeightsFile.Export(tiny, tinyPath);
        var noGamma = new NoGammaNet();
        var extra = Assert.Throws<WeightsFileException>(() => WeightsFile.Import(tinyPath, noGamma));
        Assert.Contains("not in tiny-bn-no-gamma: bn1.weight", extra.Message);
        using var imported = WeightsFile.Import(tinyPath, noGamma, out var report, new ImportOptions { IgnoreUnknown = true });
        Assert.Equal(["bn1.weight"], report.Ignored);
        Assert.Equal(tiny["fc2.weight"].data<float>().ToArray(), imported["fc2.weight"].data<float>().ToArray());
    }

    [Fact]
    public void MissingStateIsAnErrorUnlessInitialValuesAreAsked()
    {
        // a file with the parameters only (as a network without running statistics would export)
        using var tiny = InteropSamples.Random(new TinyBatchNormNet(), seed: 6);
        var path = InteropSamples.TempPath("parameters-only.pt");
        var dict = tiny.Architecture.Parameters.Select((p, i) => (p.Name, tiny.Parameters[i])).ToDictionary(t => t.Name, t => t.Item2);
        using (var f = File.Create(path)) PyTorchPickler.PickleStateDict(f, dict);
        var e = Assert.Throws<WeightsFileException>(() => WeightsFile.Import(path, new TinyBatchNormNet()));
        Assert.Contains("missing from the file: bn1.running_mean, bn1.running_var", e.Message);
        using var values = WeightsFile.Import(path, new TinyBatchNormNet(), out var report, new ImportOptions { InitialStateWhenMissing = true });
        Assert.Equal(["bn1.running_mean", "bn1.running_var"], report.InitialState);
        Assert.Equal([0f, 0f, 0f], values["bn1.running_mean"].data<float>().ToArray());
        Assert.Equal([1f, 1f, 1f], values["bn1.running_var"].data<float>().ToArray());
    }

    [Fact]
    public void IntegerTensorsAreNotParameters()
    {
        var path = InteropSamples.TempPath("ints.safetensors");
        var a = new TinyBatchNormNet();
        var dict = a.Parameters.Select(p => p.Name).Concat(a.State.Select(s => s.Name))
            .ToDictionary(n => n, n => n == "fc2.bias" ? zeros([2], ScalarType.Int32) : zeros(a.HasParameter(n) ? a.Parameters[a.IndexOf(n)].Shape : [3]));
        using (var f = File.Create(path)) Safetensors.SaveStateDict(f, dict);
        var e = Assert.Throws<WeightsFileException>(() => WeightsFile.Import(path, a));
        Assert.Contains("fc2.bias: dtype Int32, not floating point", e.Message);
    }

    [Fact]
    public void ExportNeedsAFormat()
    {
        using var values = InteropSamples.Random(new TinyBatchNormNet(), seed: 1);
        var e = Assert.Throws<ArgumentException>(() => WeightsFile.Export(values, InteropSamples.TempPath("weights.npz")));
        Assert.Contains("say the format", e.Message);
        var path = InteropSamples.TempPath("weights.npz");
        WeightsFile.Export(values, path, WeightsFormat.Safetensors);
        using var back = WeightsFile.Import(path, values.Architecture, out var report);
        Assert.Equal(WeightsFormat.Safetensors, report.Format);   // recognised by its content, not its name
    }

    /// <summary>TinyBatchNormNet without gamma (EPR's convention for batch norm).</summary>
    sealed class NoGammaNet : Architecture
    {
        public override string Id => "tiny-bn-no-gamma";
        public override IReadOnlyList<ParameterSpec> Parameters { get; } =
        [
            ParameterSpec.DenseWeight("fc1", 3, 4), ParameterSpec.Bias("fc1", 3, LayerKind.Dense), ParameterSpec.NormShift("bn1", 3),
            ParameterSpec.DenseWeight("fc2", 2, 3), ParameterSpec.Bias("fc2", 2, LayerKind.Dense),
        ];
        public override IReadOnlyList<StateSpec> State { get; } = StateSpec.BatchNorm("bn1", 3);
        public override Tensor Forward(Tensor input, NetworkValues v, bool training = false) => throw new NotSupportedException();
    }
}

public class ManyTensorsTests
{
    /// <summary>256 one-value tensors: TorchSharp's count then starts 0x80 0x02, as a pickle does.</summary>
    sealed class ManyTensors : Architecture
    {
        public override string Id => "many";
        public override IReadOnlyList<ParameterSpec> Parameters { get; } =
            Enumerable.Range(0, 256).Select(i => ParameterSpec.Bias($"layer{i}", 1, LayerKind.Dense)).ToList();
        public override TorchSharp.torch.Tensor Forward(TorchSharp.torch.Tensor input, NetworkValues v, bool training = false) => throw new NotSupportedException();
    }

    [Fact]
    public void ATorchSharpFileOf256TensorsIsNotTakenForALegacyPickle()
    {
        using var values = InteropSamples.Random(new ManyTensors(), seed: 8);
        var path = InteropSamples.TempPath("many.dat");
        WeightsFile.Export(values, path);
        Assert.Equal([0x80, 0x02], File.ReadAllBytes(path)[..2]);
        using var back = WeightsFile.Import(path, new ManyTensors());
        Assert.True(values.BitwiseEquals(back, out var first), first);
    }
}
