// ImageNet's validation labels from the devkit (ILSVRC2012_devkit_t12.tar.gz): meta.mat, a Level 5 MAT file with the
// struct array "synsets" (ILSVRC2012_ID, WNID, ...), and the ground-truth IDs of the validation images. The tests
// write MAT files as MATLAB does (a zlib-compressed matrix, doubles stored in the narrowest integer type, strings as
// UTF-16, small elements packed into their tag) with IDs that are not in WordNet-id order, and prepare a flat
// validation archive with them.
using System.Buffers.Binary;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Compression.Data;
using Datasets;

namespace Compression.Tests.Vision;

public class DevkitTests
{
    static byte[] Element(int type, byte[] data, bool pad = true)
    {
        var m = new MemoryStream();
        var tag = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(tag, type);
        BinaryPrimitives.WriteInt32LittleEndian(tag.AsSpan(4), data.Length);
        m.Write(tag);
        m.Write(data);
        if (pad) m.Write(new byte[(8 - data.Length % 8) % 8]);
        return m.ToArray();
    }

    static byte[] Small(int type, byte[] data)
    {
        var tag = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(tag, type | data.Length << 16);
        data.CopyTo(tag, 4);
        return tag;
    }

    static byte[] Ints(params int[] v) => v.SelectMany(BitConverter.GetBytes).ToArray();

    static byte[] Matrix(string name, int cls, int[] dims, params byte[][] content) => Element(14,
        [.. Element(6, [(byte)cls, 0, 0, 0, 0, 0, 0, 0]), .. Element(5, Ints(dims)), .. Element(1, Encoding.ASCII.GetBytes(name)), .. content.SelectMany(c => c)]);

    static byte[] Number(double v) => v < 65536 ? Matrix("", 6, [1, 1], Element(4, BitConverter.GetBytes((ushort)v))) : Matrix("", 6, [1, 1], Element(9, BitConverter.GetBytes(v)));

    static byte[] Text(string s) => Matrix("", 4, [1, s.Length], Element(4, Encoding.Unicode.GetBytes(s)));

    /// <summary>meta.mat with synsets (id, wnid, words) and a parent synset that is not a class.</summary>
    public static byte[] MetaMat(IReadOnlyList<(int Id, string Wnid)> synsets, bool compress)
    {
        string[] fields = ["ILSVRC2012_ID", "WNID", "words", "num_children"];
        var names = fields.SelectMany(f => Encoding.ASCII.GetBytes(f.PadRight(32, '\0'))).ToArray();
        var all = synsets.Append((Id: synsets.Count + 1, Wnid: "n09999999")).ToList();
        var elements = all.SelectMany(s => new[] { Number(s.Id), Text(s.Wnid), Text($"class {s.Wnid}"), Number(s.Id > synsets.Count ? synsets.Count : 0) }).ToArray();
        var matrix = Matrix("synsets", 2, [all.Count, 1], [Small(5, Ints(32)), Element(1, names), .. elements]);
        var header = Encoding.ASCII.GetBytes("MATLAB 5.0 MAT-file, written by the tests".PadRight(116)).Concat(new byte[8]).Concat(new byte[] { 0, 1, (byte)'I', (byte)'M' }).ToArray();
        if (!compress) return [.. header, .. matrix];
        var z = new MemoryStream();
        using (var zlib = new ZLibStream(z, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(matrix);
        return [.. header, .. Element(15, z.ToArray(), pad: false)];
    }

    static string Devkit(string dir, byte[] meta, IEnumerable<int> truth)
    {
        var path = Path.Combine(dir, "ILSVRC2012_devkit_t12.tar.gz");
        using var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        using var tar = new TarWriter(gz);
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "ILSVRC2012_devkit_t12/data/meta.mat") { DataStream = new MemoryStream(meta) });
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "ILSVRC2012_devkit_t12/data/ILSVRC2012_validation_ground_truth.txt")
            { DataStream = new MemoryStream(Encoding.ASCII.GetBytes(string.Join("\n", truth) + "\n")) });
        return path;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void MatFileReadsStructArraysAsMatlabWritesThem(bool compress)
    {
        var meta = MatFile.Read(MetaMat([(1, "n00000002"), (2, "n00000000"), (3, "n00000001")], compress), "meta.mat");
        var synsets = meta["synsets"].Elements!;
        Assert.Equal(4, synsets.Count);
        Assert.Equal(2, synsets[1]["ILSVRC2012_ID"].Numbers![0]);
        Assert.Equal("n00000000", synsets[1]["WNID"].Text);
        Assert.Equal("class n00000001", synsets[2]["words"].Text);
        Assert.Equal(3, synsets[3]["num_children"].Numbers![0]);
        Assert.Throws<InvalidDataException>(() => MatFile.Read(new byte[100], "short.mat"));
        var truncated = MetaMat([(1, "n00000002")], compress: false);
        Assert.Throws<InvalidDataException>(() => MatFile.Read(truncated.AsSpan(0, truncated.Length - 40).ToArray(), "truncated.mat"));
    }

    [Fact]
    public void FlatValidationArchivePreparesWithTheDevkitsLabels()
    {
        var root = Directory.CreateTempSubdirectory("devkit").FullName;
        var sources = SyntheticImageNet.WriteSources(Path.Combine(root, "src"), classes: 3, trainPerClass: 2, valPerClass: 2, archives: true, seed: 3);
        var labels = ImageNetPreparation.ReadValidationLabels(sources.ValLabels!);
        // ILSVRC2012 ids that are not in WordNet-id order: n00000000 -> 3, n00000001 -> 1, n00000002 -> 2.
        var ids = new Dictionary<string, int> { ["n00000000"] = 3, ["n00000001"] = 1, ["n00000002"] = 2 };
        var truth = labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => ids[l.Value]).ToList();
        var devkit = Devkit(root, MetaMat(ids.Select(kv => (kv.Value, kv.Key)).OrderBy(s => s.Value).ToList(), compress: true), truth);
        Assert.Equal(labels.OrderBy(l => l.Key), ImageNetPreparation.ReadDevkitLabels(devkit).OrderBy(l => l.Key));
        var data = Path.Combine(root, "data");
        var manifest = new ImageNetPreparation(TextWriter.Null).Prepare(data, sources.Train, sources.Val, devkit: devkit);
        Assert.All(manifest.Split("val"), e => Assert.Equal(labels[Path.GetFileName(e.Path)], e.Wnid));
        Assert.Contains("labels from", manifest.Source);
        var wrong = Devkit(Directory.CreateTempSubdirectory("devkit2").FullName, MetaMat([(1, "n00000001")], compress: false), [1, 7]);
        Assert.Contains("line 2", Assert.Throws<InvalidDataException>(() => ImageNetPreparation.ReadDevkitLabels(wrong)).Message);
    }
}
