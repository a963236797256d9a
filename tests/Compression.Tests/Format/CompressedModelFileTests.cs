// The container: round trips in memory and on disk, atomic writes, writer-side validation, compact headers.
using Compression.Coding;
using Compression.Format;
using CsCheck;

namespace Compression.Tests.Format;

public class CompressedModelFileTests
{
    [Fact]
    public void SmallModelRoundTrips()
    {
        var model = ModelSamples.Small();
        var bytes = model.ToBytes();
        ModelSamples.AssertSame(model, CompressedModel.FromBytes(bytes));
        Assert.Equal(bytes, CompressedModelFile.ToBytes(CompressedModelFile.FromBytes(bytes)));
    }

    [Fact]
    public void RandomModelsRoundTrip() =>
        Gen.Int.Sample(seed =>
        {
            var model = ModelSamples.Random(new Random(seed));
            var bytes = CompressedModelFile.ToBytes(model);
            ModelSamples.AssertSame(model, CompressedModelFile.FromBytes(bytes));
        }, iter: 200);

    [Fact]
    public void EmptyModelIsThirteenBytes()
    {
        var bytes = new CompressedModel { Architecture = "", Method = "" }.ToBytes();
        Assert.Equal(FileLayout.MinimumBytes, bytes.Length);
        Assert.Equal("EPRC"u8.ToArray(), bytes[..4]);
        Assert.Equal(FileLayout.Version1, bytes[4]);
        var back = CompressedModelFile.FromBytes(bytes);
        Assert.Empty(back.Groups);
        Assert.Empty(back.SideTensors);
    }

    [Fact]
    public void HeaderIsCompact()
    {
        // magic 4 + version 1 + "lenet5-caffe" (1 + 12) + "epr" (1 + 3) + group count 1 + side count 1.
        var model = new CompressedModel { Architecture = "lenet5-caffe", Method = "epr" };
        Assert.Equal(4 + 1 + 13 + 4 + 1 + 1, SizeBreakdown.Of(model).Bytes(SizePart.Header));
    }

    [Fact]
    public void WriteAndReadAFile()
    {
        var dir = Directory.CreateTempSubdirectory("cmf").FullName;
        try
        {
            var model = ModelSamples.Small();
            var path = Path.Combine(dir, "sub", "model" + CompressedModelFile.Extension);
            CompressedModelFile.Write(model, path);
            ModelSamples.AssertSame(model, CompressedModelFile.Read(path));
            Assert.Equal(model.ToBytes(), File.ReadAllBytes(path));
            // Overwriting replaces the file and leaves nothing else behind.
            var other = ModelSamples.Small(seed: 2);
            CompressedModelFile.Write(other, path);
            Assert.Equal(other.ToBytes(), File.ReadAllBytes(path));
            Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void InterruptedWriteLeavesNeitherHalfFileNorTempFile()
    {
        var dir = Directory.CreateTempSubdirectory("cmf").FullName;
        try
        {
            var path = Path.Combine(dir, "model.eprc");
            string? seenTemp = null;
            // First write fails just before the rename: no file under the final name, temp cleaned up.
            Assert.Throws<IOException>(() => CompressedModelFile.Write(ModelSamples.Small(), path, temp =>
            {
                seenTemp = temp;
                Assert.True(File.Exists(temp));
                Assert.Equal(Path.GetDirectoryName(path), Path.GetDirectoryName(temp));
                throw new IOException("simulated crash");
            }));
            Assert.NotNull(seenTemp);
            Assert.False(File.Exists(path));
            Assert.Empty(Directory.GetFileSystemEntries(dir));

            // With an existing file, a failed overwrite keeps the old content intact.
            var old = ModelSamples.Small(seed: 3);
            CompressedModelFile.Write(old, path);
            Assert.Throws<IOException>(() => CompressedModelFile.Write(ModelSamples.Small(seed: 4), path, _ => throw new IOException("simulated crash")));
            Assert.Equal(old.ToBytes(), File.ReadAllBytes(path));
            Assert.Equal([path], Directory.GetFileSystemEntries(dir));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void InvalidModelsAreRefusedBeforeAnythingIsWritten()
    {
        var table = CdfTable.FromPmf([1.0, 1.0], 0.1, 0);
        CodedGroup Group(string name, int columns, int[] shape, int tables, string tensor = "w") => new()
        {
            Name = name, Columns = columns, Tensors = [(tensor, shape)], Tables = Enumerable.Repeat(table, tables).ToArray(), Bitstream = [],
        };
        CompressedModel Model(params CodedGroup[] groups) => new() { Architecture = "a", Method = "m", Groups = groups };

        Assert.Contains("do not fill rows", Assert.Throws<ArgumentException>(() => Model(Group("g", 2, [3], 2)).ToBytes()).Message);
        Assert.Contains("one per column", Assert.Throws<ArgumentException>(() => Model(Group("g", 2, [4], 1)).ToBytes()).Message);
        Assert.Contains("at least 1", Assert.Throws<ArgumentException>(() => Model(Group("g", 0, [4], 0)).ToBytes()).Message);
        Assert.Contains("named 'g'", Assert.Throws<ArgumentException>(() => Model(Group("g", 1, [1], 1, "a"), Group("g", 1, [1], 1, "b")).ToBytes()).Message);
        Assert.Contains("'w' occurs twice", Assert.Throws<ArgumentException>(() => Model(Group("g", 1, [1], 1), Group("h", 1, [1], 1)).ToBytes()).Message);
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => Model(Group("g", 1, [-1], 1)).ToBytes()).Message);
        Assert.Contains("UTF-8 bytes", Assert.Throws<ArgumentException>(() => new CompressedModel { Architecture = new string('x', 2000), Method = "m" }.ToBytes()).Message);
        Assert.Throws<ArgumentException>(() => new SideTensor("b", [2, 2], [1f]));
        Assert.Throws<ArgumentException>(() => CodedGroup.Encode("g", 1, [("w", [3])], [0, 1], [table]));

        var dir = Directory.CreateTempSubdirectory("cmf").FullName;
        try
        {
            Assert.Throws<ArgumentException>(() => CompressedModelFile.Write(Model(Group("g", 2, [3], 2)), Path.Combine(dir, "x.eprc")));
            Assert.Empty(Directory.GetFileSystemEntries(dir));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void ParameterCountsForCompressionRatios()
    {
        var model = ModelSamples.Small();
        Assert.Equal(40 + 24 + 18 + 5, model.ParameterCount);
        Assert.Equal(4 * model.ParameterCount, model.Float32Bytes);
        Assert.Equal(64, model.Groups[0].SymbolCount);
    }
}
