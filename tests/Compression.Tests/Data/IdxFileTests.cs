// The IDX reader on real MNIST and on small files the tests write, corrupt ones included.
using Datasets;

namespace Compression.Tests.Data;

public class IdxFileTests
{
    [Fact]
    public void ReadsRealMnist()
    {
        var train = MnistSplit.Load(TestData.MnistDataDirectory, train: true);
        var test = MnistSplit.Load(TestData.MnistDataDirectory, train: false);
        Assert.Equal([60000, 28, 28], train.Images.Shape);
        Assert.Equal(10000, test.Count);
        // label histogram of the original training set
        var counts = new int[10];
        foreach (var l in train.Labels.Data) counts[l]++;
        Assert.Equal([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949], counts);
        Assert.Equal(5, train.Labels.Data[0]);
        Assert.Equal(7, test.Labels.Data[0]);
    }

    [Fact]
    public void RoundTripsASmallFile()
    {
        var data = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)i).ToArray();
        var parsed = IdxFile.Parse(IdxFile.Encode([2, 3, 4], data), 3);
        Assert.Equal([2, 3, 4], parsed.Shape);
        Assert.Equal(data, parsed.Data);
        Assert.Equal(12, parsed.ItemSize);
    }

    [Fact]
    public void RejectsEveryTruncationWithAClearMessage()
    {
        var bytes = IdxFile.Encode([3, 2, 2], new byte[12]);
        for (int n = 0; n < bytes.Length; n++)
        {
            var e = Assert.Throws<IdxFormatException>(() => IdxFile.Parse(bytes[..n], 3, "f"));
            Assert.Contains("truncated", e.Message);
        }
    }

    [Theory]
    [InlineData(0, 0x12, "bad magic")]
    [InlineData(2, 0x0D, "element type")]
    [InlineData(3, 0x02, "dimensions")]
    public void RejectsWrongHeaders(int index, byte value, string expected)
    {
        var bytes = IdxFile.Encode([3, 2, 2], new byte[12]);
        bytes[index] = value;
        var e = Assert.Throws<IdxFormatException>(() => IdxFile.Parse(bytes, 3, "f"));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void RejectsTrailingBytesAndHugeDimensions()
    {
        var bytes = IdxFile.Encode([3], new byte[3]);
        Assert.Contains("trailing", Assert.Throws<IdxFormatException>(() => IdxFile.Parse([.. bytes, 0], 1)).Message);
        var huge = IdxFile.Encode([1, 1, 1], new byte[1]);
        huge[4] = 0x7f; huge[8] = 0x7f; huge[12] = 0x7f;
        Assert.Throws<IdxFormatException>(() => IdxFile.Parse(huge, 3));
    }

    [Fact]
    public void MissingFileNamesTheFetchCommand()
    {
        var dir = Directory.CreateTempSubdirectory("nomnist").FullName;
        var e = Assert.Throws<FileNotFoundException>(() => MnistSplit.Load(dir, train: false));
        Assert.Contains("make data", e.Message);
    }

    [Fact]
    public void RejectsImagesAndLabelsOfDifferentCounts()
    {
        var dir = Directory.CreateTempSubdirectory("mnist").FullName;
        var mnist = Path.Combine(dir, "mnist");
        Directory.CreateDirectory(mnist);
        File.WriteAllBytes(Path.Combine(mnist, "t10k-images-idx3-ubyte"), IdxFile.Encode([2, 28, 28], new byte[2 * 784]));
        File.WriteAllBytes(Path.Combine(mnist, "t10k-labels-idx1-ubyte"), IdxFile.Encode([3], new byte[3]));
        Assert.Contains("2 t10k images but 3 labels", Assert.Throws<InvalidDataException>(() => MnistSplit.Load(dir, train: false, verifyChecksums: false)).Message);
        // checked against MNIST's own checksums, these files are not MNIST at all
        var e = Assert.Throws<InvalidDataException>(() => MnistSplit.Load(dir, train: false));
        Assert.Contains("t10k-images-idx3-ubyte: damaged (1,584 bytes, MNIST's t10k-images-idx3-ubyte has 7,840,016)", e.Message);
    }

    [Fact]
    public void AFlippedByteInRealMnistIsFoundAtLoadWithItsFix()
    {
        var real = MnistFetcher.DirectoryFor(TestData.MnistDataDirectory);
        var dir = Directory.CreateTempSubdirectory("mnist-flip").FullName;
        try
        {
            var mnist = Directory.CreateDirectory(Path.Combine(dir, "mnist")).FullName;
            foreach (var name in new[] { "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" }) File.Copy(Path.Combine(real, name), Path.Combine(mnist, name));
            int before = MnistFetcher.LoadVerifications;
            Assert.Equal(10_000, MnistSplit.Load(dir, train: false).Count);
            Assert.Equal(before + 2, MnistFetcher.LoadVerifications);
            MnistSplit.Load(dir, train: false); // verified once per process
            Assert.Equal(before + 2, MnistFetcher.LoadVerifications);

            var images = Path.Combine(mnist, "t10k-images-idx3-ubyte");
            var bytes = File.ReadAllBytes(images);
            bytes[5_000_000] ^= 0x10; // one pixel: the IDX structure stays valid
            File.WriteAllBytes(images, bytes);
            File.SetLastWriteTimeUtc(images, DateTime.UtcNow.AddMinutes(1));
            var e = Assert.Throws<InvalidDataException>(() => MnistSplit.Load(dir, train: false));
            Assert.Contains(images, e.Message);
            Assert.Contains("MD5", e.Message);
            Assert.Contains("run `make data`", e.Message);
            Assert.Contains($"DATA={dir}", e.Message);
            Assert.Equal(10_000, MnistSplit.Load(dir, train: false, verifyChecksums: false).Count); // only the checksum could tell
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
