// The reader against damaged input: every truncation, byte flips, wrong magic or version, hostile length
// fields behind a valid checksum, and a seeded fuzz loop. Only CorruptModelFileException may come out.
using System.Diagnostics;
using Compression.Format;

namespace Compression.Tests.Format;

public class CorruptFileTests
{
    static CorruptModelFileException Rejects(byte[] bytes)
    {
        try
        {
            CompressedModelFile.FromBytes(bytes);
        }
        catch (CorruptModelFileException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Problem));
            Assert.InRange(e.Offset, 0, bytes.Length);
            return e;
        }
        catch (Exception e)
        {
            Assert.Fail($"expected CorruptModelFileException, got {e.GetType().Name}: {e.Message}");
        }
        Assert.Fail("a damaged file was accepted");
        return null!;
    }

    /// <summary>Parses; anything but success or CorruptModelFileException fails the test.</summary>
    static void ParsesOrRejects(byte[] bytes)
    {
        try { CompressedModelFile.FromBytes(bytes); }
        catch (CorruptModelFileException) { }
    }

    [Fact]
    public void EveryTruncationIsRejected()
    {
        var bytes = ModelSamples.Small().ToBytes();
        for (int cut = 0; cut < bytes.Length; cut++)
        {
            var e = Rejects(bytes[..cut]);
            Assert.Matches("ends early|ends inside|checksum mismatch|remain|more than the layout", e.Message);
        }
    }

    [Fact]
    public void TruncationIsNamedAsSuch()
    {
        var model = ModelSamples.Small();
        var bytes = model.ToBytes();
        var sizes = SizeBreakdown.Of(model, estimateSelfInformation: false);
        // Cut in the middle of the first group's bitstream.
        int bitstreamEnd = (int)sizes.Rows.TakeWhile(r => !(r.Part == SizePart.Bitstream && r.Group == "dense")).Sum(r => r.Bytes) + 1;
        var e = Rejects(bytes[..bitstreamEnd]);
        Assert.Contains("ends early", e.Message);
        Assert.Contains("'dense' bitstream", e.Message);
        e = Rejects(bytes[..^2]);
        Assert.Contains("checksum needs 4 bytes", e.Message);
    }

    [Fact]
    public void EverySingleBitFlipIsRejected()
    {
        var bytes = ModelSamples.Small().ToBytes();
        for (int i = 0; i < bytes.Length; i++)
            for (int bit = 0; bit < 8; bit++)
            {
                var bad = (byte[])bytes.Clone();
                bad[i] ^= (byte)(1 << bit);
                Rejects(bad);
            }
    }

    [Fact]
    public void RandomByteDamageIsRejected()
    {
        var rng = new Random(17);
        var bytes = ModelSamples.Small().ToBytes();
        for (int i = 0; i < 3000; i++)
        {
            var bad = (byte[])bytes.Clone();
            for (int k = rng.Next(1, 6); k > 0; k--) bad[rng.Next(bad.Length)] = (byte)rng.Next(256);
            if (bad.AsSpan().SequenceEqual(bytes)) continue;
            Rejects(bad);
        }
    }

    [Fact]
    public void SpecificProblemsGetSpecificMessages()
    {
        var bytes = ModelSamples.Small().ToBytes();
        var wrongMagic = (byte[])bytes.Clone();
        wrongMagic[0] = (byte)'X';
        Assert.Contains("not a compressed-model file", Rejects(wrongMagic).Message);
        Assert.Contains("not a compressed-model file", Rejects("PK\x03\x04 zip file"u8.ToArray()).Message);

        var wrongVersion = (byte[])bytes.Clone();
        wrongVersion[4] = 9;
        var e = Rejects(ModelSamples.Reseal(wrongVersion));
        Assert.Contains("unsupported format version 9", e.Message);
        Assert.Equal(4, e.Offset);

        var damaged = (byte[])bytes.Clone();
        damaged[^10] ^= 0x55; // a side-tensor value: only the checksum can tell
        e = Rejects(damaged);
        Assert.Contains("checksum mismatch", e.Message);
        Assert.Equal(bytes.Length - 4, e.Offset);

        e = Rejects([.. bytes, 0]);
        Assert.Matches("more than the layout accounts for|checksum", e.Message);
        Assert.Contains("more than the layout", Rejects(ModelSamples.Reseal([.. bytes[..^4], 0, 0, 0, 0, 0])).Message);
        Assert.Contains("ends early", Rejects([]).Message);
    }

    [Fact]
    public void HostileLengthsBehindAValidChecksumAllocateNothingLarge()
    {
        // Header then a group count of 2^62: must be refused from the bytes that remain, not attempted.
        byte[] header = [.. "EPRC"u8, 1, 1, (byte)'a', 1, (byte)'m'];
        byte[] hugeCount = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40];
        var e = Rejects(ModelSamples.Reseal([.. header, .. hugeCount, 0, 0, 0, 0, 0]));
        Assert.Contains("group count", e.Message);

        // One group whose bitstream length claims 2 GB.
        byte[] group = [1, (byte)'g', 1, 1, 1, (byte)'w', 1, 1, 0, 0, 0x0F, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x07];
        e = Rejects(ModelSamples.Reseal([.. header, 1, .. group, 0, 0, 0, 0, 0]));
        Assert.Contains("bitstream length", e.Message);

        // A side tensor of shape [2^31 - 1]: its values cannot be in the file.
        byte[] side = [1, 1, (byte)'s', 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x07];
        e = Rejects(ModelSamples.Reseal([.. header, 0, .. side, 0, 0, 0, 0]));
        Assert.Contains("side tensor 's' values", e.Message);

        // A shape whose element count overflows int.
        byte[] bigShape = [1, 1, (byte)'s', 2, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0xFF, 0xFF, 0xFF, 0xFF, 0x07];
        e = Rejects(ModelSamples.Reseal([.. header, 0, .. bigShape, 0, 0, 0, 0]));
        Assert.Contains("more than int.MaxValue", e.Message);
    }

    [Fact]
    public void SemanticDefectsBehindAValidChecksumAreNamed()
    {
        byte[] header = [.. "EPRC"u8, 1, 1, (byte)'a', 1, (byte)'m'];
        // Group: 2 columns, a tensor of 3 elements.
        byte[] ragged = [1, (byte)'g', 2, 1, 1, (byte)'w', 1, 3, 0, 0, 0x0F, 0x00, 0x0F, 0x00, 0, 0];
        Assert.Contains("do not fill rows of 2 columns", Rejects(ModelSamples.Reseal([.. header, 1, .. ragged, 0, 0, 0, 0])).Message);
        // Zero columns.
        byte[] noColumns = [1, (byte)'g', 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Contains("0 columns", Rejects(ModelSamples.Reseal([.. header, 1, .. noColumns, 0, 0, 0, 0])).Message);
        // Invalid UTF-8 in the method name.
        byte[] badUtf8 = [.. "EPRC"u8, 1, 1, (byte)'a', 1, 0xFF, 0, 0, 0, 0, 0, 0];
        Assert.Contains("UTF-8", Rejects(ModelSamples.Reseal(badUtf8)).Message);
        // A table whose frequencies leave the escape nothing (length 1, precision 2, frequency 4).
        byte[] badTable = [1, (byte)'g', 1, 1, 1, (byte)'w', 1, 1, 0, 0, 0x11, 0x00, 0x03, 0];
        var e = Rejects(ModelSamples.Reseal([.. header, 1, .. badTable, 0, 0, 0, 0, 0]));
        Assert.Contains("bad table", e.Message);
        Assert.Contains("'g' table 0", e.Message);
        // Duplicate tensor names.
        byte[] twice = [1, (byte)'g', 1, 2, 1, (byte)'w', 1, 1, 1, (byte)'w', 1, 1, 0, 0, 0x0F, 0x00, 0];
        Assert.Contains("occurs twice", Rejects(ModelSamples.Reseal([.. header, 1, .. twice, 0, 0, 0, 0, 0])).Message);
    }

    [Fact]
    public void ReadNamesTheFile()
    {
        var dir = Directory.CreateTempSubdirectory("cmf").FullName;
        try
        {
            var path = Path.Combine(dir, "bad.eprc");
            File.WriteAllBytes(path, ModelSamples.Small().ToBytes()[..20]);
            var e = Assert.Throws<CorruptModelFileException>(() => CompressedModelFile.Read(path));
            Assert.StartsWith(path + ":", e.Message);
            Assert.Equal(path, e.Source);
            Assert.IsAssignableFrom<IOException>(e);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void FuzzedFilesWithResealedChecksumsNeverEscapeAsOtherExceptions()
    {
        // Mutations behind a valid checksum reach every parser path; only success or CorruptModelFileException is allowed.
        var rng = new Random(20240601);
        var seeds = new[] { ModelSamples.Small().ToBytes() }
            .Concat(Enumerable.Range(0, 8).Select(i => ModelSamples.Random(new Random(i)).ToBytes()))
            .ToArray();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < 20_000; i++)
        {
            var file = (byte[])seeds[rng.Next(seeds.Length)].Clone();
            switch (rng.Next(5))
            {
                case 0: file[rng.Next(file.Length)] ^= (byte)(1 << rng.Next(8)); break;
                case 1: file[rng.Next(file.Length)] = (byte)rng.Next(256); break;
                case 2: file = file[..rng.Next(file.Length)]; break;
                case 3:
                    int at = rng.Next(file.Length);
                    file = [.. file[..at], (byte)rng.Next(256), .. file[at..]];
                    break;
                default:
                    int from = rng.Next(file.Length);
                    file = [.. file[..from], .. file[Math.Min(file.Length, from + rng.Next(1, 4))..]];
                    break;
            }
            if (rng.Next(4) != 0) ModelSamples.Reseal(file);
            ParsesOrRejects(file);
        }
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"fuzzing took {watch.Elapsed}");
    }
}
