// CRC-32 known answers (the check value of the IEEE/zlib CRC is 0xCBF43926 for "123456789") and agreement with the
// bit-at-a-time definition for every byte value, so that no entry of the lookup table can change unnoticed.
using System.Text;
using Compression.Format;

namespace Compression.Tests.Format;

public class Crc32Tests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("123456789", 0xCBF43926u)]
    [InlineData("a", 0xE8B7BE43u)]
    [InlineData("abc", 0x352441C2u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    public void KnownAnswers(string text, uint expected) => Assert.Equal(expected, Crc32.Compute(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void KnownAnswersOnBinaryData()
    {
        Assert.Equal(0x190A55ADu, Crc32.Compute(new byte[32]));
        Assert.Equal(0xFF6CAB0Bu, Crc32.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x29058C73u, Crc32.Compute(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray()));
        Assert.Equal(0xDA3BA10Au, Crc32.Compute(Enumerable.Range(0, 256).Select(i => (byte)(255 - i)).ToArray()));
        Assert.Equal(0xD202EF8Du, Crc32.Compute([0x00]));
        Assert.Equal(0xFF000000u, Crc32.Compute([0xFF]));
    }

    /// <summary>CRC-32 by its definition: reflected polynomial 0xEDB88320, one bit at a time, initial and final inversion.</summary>
    static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    [Fact]
    public void EveryByteValueAgreesWithTheDefinition()
    {
        for (int b = 0; b < 256; b++)
        {
            Assert.Equal(BitwiseCrc([(byte)b]), Crc32.Compute([(byte)b]));
            Assert.Equal(BitwiseCrc([(byte)b, 0x5A, (byte)~b]), Crc32.Compute([(byte)b, 0x5A, (byte)~b]));
        }
        var rng = new Random(3);
        for (int n = 0; n < 200; n++)
        {
            var data = new byte[rng.Next(0, 300)];
            rng.NextBytes(data);
            Assert.Equal(BitwiseCrc(data), Crc32.Compute(data));
        }
    }

    [Fact]
    public void EverySingleBitErrorChangesTheChecksum()
    {
        var data = Encoding.ASCII.GetBytes("compressed-model file");
        uint clean = Crc32.Compute(data);
        for (int i = 0; i < data.Length * 8; i++)
        {
            data[i / 8] ^= (byte)(1 << (i % 8));
            Assert.NotEqual(clean, Crc32.Compute(data));
            data[i / 8] ^= (byte)(1 << (i % 8));
        }
    }
}
