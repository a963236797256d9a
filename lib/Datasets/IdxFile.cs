// Reader of the IDX format of the original MNIST files: a big-endian header (magic 0x000008TT with the
// element type TT and the number of dimensions, then each dimension), then the data. Only unsigned
// bytes (TT = 0x08) occur in MNIST and only they are supported.
namespace Datasets;

public sealed class IdxFormatException(string path, string problem) : IOException($"{path}: {problem}");

public sealed record IdxArray(int[] Shape, byte[] Data)
{
    public int Count => Shape[0];
    public int ItemSize => Shape.Skip(1).Aggregate(1, (a, b) => a * b);
}

public static class IdxFile
{
    public static IdxArray Read(string path, int expectedRank)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file (run `make data` to fetch MNIST)", path);
        var bytes = File.ReadAllBytes(path);
        return Parse(bytes, expectedRank, path);
    }

    public static IdxArray Parse(byte[] bytes, int expectedRank, string name = "IDX data")
    {
        if (bytes.Length < 4) throw new IdxFormatException(name, $"truncated header ({bytes.Length} bytes)");
        if (bytes[0] != 0 || bytes[1] != 0) throw new IdxFormatException(name, $"bad magic number 0x{bytes[0]:x2}{bytes[1]:x2}{bytes[2]:x2}{bytes[3]:x2} (not an IDX file)");
        if (bytes[2] != 0x08) throw new IdxFormatException(name, $"element type 0x{bytes[2]:x2} is not unsigned byte (0x08)");
        int rank = bytes[3];
        if (rank != expectedRank) throw new IdxFormatException(name, $"has {rank} dimensions, expected {expectedRank}");
        int header = 4 + 4 * rank;
        if (bytes.Length < header) throw new IdxFormatException(name, $"truncated header ({bytes.Length} of {header} bytes)");
        var shape = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            uint d = (uint)(bytes[4 + 4 * i] << 24 | bytes[5 + 4 * i] << 16 | bytes[6 + 4 * i] << 8 | bytes[7 + 4 * i]);
            if (d == 0 || d > int.MaxValue) throw new IdxFormatException(name, $"dimension {i} has size {d}");
            shape[i] = (int)d;
            count *= d;
            if (count > int.MaxValue) throw new IdxFormatException(name, "declares more than 2^31 elements");
        }
        long expected = header + count;
        if (bytes.Length < expected) throw new IdxFormatException(name, $"truncated: {bytes.Length} bytes, the header declares {expected}");
        if (bytes.Length > expected) throw new IdxFormatException(name, $"{bytes.Length - expected} trailing bytes after the declared data");
        return new IdxArray(shape, bytes.AsSpan(header).ToArray());
    }

    /// <summary>Writes an IDX file of unsigned bytes (used by tests and tools).</summary>
    public static byte[] Encode(int[] shape, ReadOnlySpan<byte> data)
    {
        var result = new byte[4 + 4 * shape.Length + data.Length];
        result[2] = 0x08;
        result[3] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++)
        {
            result[4 + 4 * i] = (byte)(shape[i] >> 24); result[5 + 4 * i] = (byte)(shape[i] >> 16);
            result[6 + 4 * i] = (byte)(shape[i] >> 8); result[7 + 4 * i] = (byte)shape[i];
        }
        data.CopyTo(result.AsSpan(4 + 4 * shape.Length));
        return result;
    }
}

/// <summary>The MNIST images and labels of one split, as raw bytes, checked against each other.</summary>
public sealed record MnistSplit(IdxArray Images, IdxArray Labels)
{
    public int Count => Images.Count;

    /// <summary>
    /// One split of MNIST from &lt;dataDir&gt;/mnist. With <paramref name="verifyChecksums"/> (the default), each file is
    /// first checked against the known length and MD5 of the original (once per process per file version), so a
    /// damaged file is reported with its fix, never trained or evaluated on; false reads any IDX files of those names.
    /// </summary>
    public static MnistSplit Load(string dataDir, bool train, bool verifyChecksums = true)
    {
        var dir = MnistFetcher.DirectoryFor(dataDir);
        string prefix = train ? "train" : "t10k";
        string imagesPath = Path.Combine(dir, $"{prefix}-images-idx3-ubyte"), labelsPath = Path.Combine(dir, $"{prefix}-labels-idx1-ubyte");
        if (verifyChecksums)
        {
            MnistFetcher.CheckBeforeLoading(imagesPath);
            MnistFetcher.CheckBeforeLoading(labelsPath);
        }
        var images = IdxFile.Read(imagesPath, 3);
        var labels = IdxFile.Read(labelsPath, 1);
        if (images.Count != labels.Count)
            throw new InvalidDataException($"{dir}: {images.Count} {prefix} images but {labels.Count} labels");
        if (labels.Data.Any(l => l > 9))
            throw new InvalidDataException($"{dir}: {prefix} labels contain a value above 9");
        return new MnistSplit(images, labels);
    }
}
