// Weight files are input from elsewhere: whatever their bytes, reading one either gives a network or a
// WeightsFileException that names the file and the problem (never another exception, never a crash), and the work a
// file can cause is bounded by what it holds and by the import's bound.
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Compression.Interop;
using Compression.Models;
using static TorchSharp.torch;

namespace Compression.Tests.Interop;

public class CorruptWeightsTests
{
    static WeightsFileException Fails(byte[] bytes, string name = "bad.bin", ImportOptions? options = null)
    {
        var path = InteropSamples.TempPath(name);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<WeightsFileException>(() => WeightsFile.Import(path, new TinyBatchNormNet(), options));
        Assert.StartsWith(path + ": ", e.Message);
        return e;
    }

    static byte[] Safetensors(string header, int dataBytes)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        return bytes;
    }

    static byte[] Export(string extension, int seed = 1)
    {
        using var values = InteropSamples.Random(new TinyBatchNormNet(), seed);
        var path = InteropSamples.TempPath("tiny" + extension);
        WeightsFile.Export(values, path);
        return File.ReadAllBytes(path);
    }

    [Fact]
    public void SafetensorsHeadersAreCheckedBeforeAnythingIsRead()
    {
        var good = File.ReadAllBytes(InteropSamples.Fixture("tiny.safetensors"));
        Assert.Contains("the header describes 182 bytes of data, the file holds 181", Fails(good[..^1], "cut.safetensors").Message);

        var huge = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(huge, ulong.MaxValue / 2);
        Assert.Contains("the safetensors header claims", Fails(huge, "huge.safetensors").Message);

        Assert.Contains("is not JSON", Fails(Safetensors("{ not json", 0)).Message);
        Assert.Contains("dtype 'F8_E4M3' is not one of", Fails(Safetensors("""{"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}""", 1)).Message);
        Assert.Contains("takes 12 bytes, its data_offsets span 8", Fails(Safetensors("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8)).Message);
        Assert.Contains("overlaps another", Fails(Safetensors("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8)).Message);
        Assert.Contains("a gap before tensor 'b'", Fails(Safetensors("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", 12)).Message);
        Assert.Contains("appears twice", Fails(Safetensors("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8)).Message);
        Assert.Contains("is not a list of at most 64 non-negative integers", Fails(Safetensors("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4)).Message);
        // a shape of 10^15 values, offsets to match: refused from the header alone, nothing allocated
        Assert.Contains("declares more than", Fails(Safetensors("""{"a":{"dtype":"F32","shape":[1000000,1000000000],"data_offsets":[0,4000000000000000]}}""", 4)).Message);
    }

    [Fact]
    public void TorchSaveArchivesAreCheckedBeforeUnpickling()
    {
        var good = File.ReadAllBytes(InteropSamples.Fixture("tiny.pt"));
        Assert.Contains("corrupt zip archive", Fails(good[..(good.Length / 2)], "half.pt").Message);

        Assert.Contains("without data.pkl", Fails(Zip(("archive/data/0", new byte[16])), "nopickle.pt").Message);
        Assert.Contains("not a readable torch.save file", Fails(Zip(("archive/data.pkl", Encoding.ASCII.GetBytes("garbage"))), "garbage.pt").Message);
        // a pickled list, not a dict: PROTO 2, EMPTY_LIST, STOP
        Assert.Contains("does not hold a dict", Fails(Zip(("archive/data.pkl", [0x80, 0x02, (byte)']', (byte)'.'])), "list.pt").Message);

        // a storage shorter than its tensor: the reader hits the end of the entry
        using (var zip = new ZipArchive(new MemoryStream(good), ZipArchiveMode.Read))
        {
            var entries = zip.Entries.Select(e => (e.FullName, Bytes(e))).ToList();
            var shortened = entries.Select(e => e.FullName == "archive/data/0" ? (e.FullName, e.Item2[..^4]) : e).ToArray();
            Assert.Contains("not a readable torch.save file (EndOfStreamException", Fails(Zip(shortened), "short.pt").Message);
            // a storage the pickle names but the archive lacks
            var missing = entries.Where(e => e.FullName != "archive/data/3").ToArray();
            Assert.Contains("not a readable torch.save file", Fails(Zip(missing), "missing.pt").Message);
        }

        // a deflated entry of 64 MiB (64 KiB in the file): refused from the declared size under a 1 MiB bound
        var bomb = Zip(("archive/data.pkl", [0x80, 0x02, (byte)'}', (byte)'.']), ("archive/data/0", new byte[64 << 20]));
        Assert.True(bomb.Length < 1 << 17);
        Assert.Contains("declare more than 1,048,576 bytes", Fails(bomb, "bomb.pt", new ImportOptions { MaxBytes = 1 << 20 }).Message);
    }

    [Fact]
    public void LegacyEmptyTruncatedAndForeignFilesAreNamed()
    {
        // torch.save's legacy files start by pickling a magic number; a TorchSharp file of 256 tensors also starts 0x80 0x02
        Assert.Contains("torch.save's legacy format", Fails([0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E], "legacy.pt").Message);
        Assert.Contains("the file is empty", Fails([], "empty.pt").Message);
        var dat = Export(".dat");
        Assert.Contains("tensor 'bn1.running_var': shape [3] needs more than the 9 bytes left in the file", Fails(dat[..^3], "cut.dat").Message);
        Assert.Contains("truncated or not a TorchSharp weights file", Fails(dat[..10], "cut-in-a-name.dat").Message);
        Assert.Contains("bytes after the last tensor", Fails([.. dat, 0], "long.dat").Message);
        Assert.Contains("not a TorchSharp weights file", Fails(Encoding.ASCII.GetBytes("%PDF-1.7 this is not a network"), "paper.pdf").Message);

        var folder = Directory.CreateTempSubdirectory("interop-folder").FullName;
        Assert.Contains("a folder, not a weights file", Assert.Throws<WeightsFileException>(() => WeightsFile.Import(folder, new TinyBatchNormNet())).Message);
        Assert.Throws<FileNotFoundException>(() => WeightsFile.Import(Path.Combine(folder, "absent.pt"), new TinyBatchNormNet()));
    }

    public static TheoryData<string> Formats() => new() { ".safetensors", ".pt", ".dat" };

    /// <summary>Random byte flips, insertions and cuts of real exports: each read gives the network or a WeightsFileException.</summary>
    [Theory]
    [MemberData(nameof(Formats))]
    public void MutatedFilesNeverEscapeAsOtherExceptions(string extension)
    {
        var good = Export(extension, seed: 7);
        var rng = new Random(extension.Length);
        var path = InteropSamples.TempPath("mutant" + extension);
        int rejected = 0, read = 0;
        for (int i = 0; i < 300; i++)
        {
            var bytes = (byte[])good.Clone();
            switch (i % 3)
            {
                case 0: for (int k = 0; k <= rng.Next(4); k++) bytes[rng.Next(bytes.Length)] ^= (byte)(1 << rng.Next(8)); break;
                case 1: bytes = bytes[..rng.Next(bytes.Length)]; break;
                default:
                    int at = rng.Next(bytes.Length);
                    bytes = [.. bytes[..at], .. Enumerable.Range(0, 1 + rng.Next(8)).Select(_ => (byte)rng.Next(256)), .. bytes[at..]];
                    break;
            }
            File.WriteAllBytes(path, bytes);
            try
            {
                using var scope = NewDisposeScope();
                using var values = WeightsFile.Import(path, new TinyBatchNormNet(), new ImportOptions { MaxBytes = 1 << 20 });
                read++;
            }
            catch (WeightsFileException) { rejected++; }
            catch (Exception e) { Assert.Fail($"mutation {i} of {extension}: {e.GetType().Name}: {e.Message}"); }
        }
        Assert.True(rejected > 100, $"{rejected} of 300 mutants rejected");
        Assert.Equal(300, rejected + read);
    }

    static byte[] Bytes(ZipArchiveEntry e)
    {
        using var s = e.Open();
        var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
            {
                using var s = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                s.Write(bytes);
            }
        return memory.ToArray();
    }
}
