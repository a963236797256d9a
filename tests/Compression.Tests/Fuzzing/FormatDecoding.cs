// The decode delegate at the container and coder level: read the file, decode every group's declared symbol
// count and measure its self-information. The container alone cannot bound a group's symbol count (FORMAT.md,
// "Work bounded by the input"), so this level plays a network of SymbolBudget parameters: a file declaring more
// coded symbols than that is rejected before anything is decoded, as a method's decoder rejects counts its
// network does not have.
using Compression.Coding;
using Compression.Format;

namespace Compression.Tests.Fuzzing;

public static class FormatDecoding
{
    /// <summary>Coded symbols the format-level "network" holds: 2^21, five times LeNet5-Caffe's 431,080 parameters.</summary>
    public const int SymbolBudget = 1 << 21;

    /// <summary>Reads <paramref name="file"/>, decodes every group and returns the total self-information in bits.</summary>
    public static object? Decode(byte[] file) => Decode(file, SymbolBudget);

    public static double Decode(byte[] file, int symbolBudget)
    {
        var model = CompressedModelFile.FromBytes(file);
        long declared = 0;
        foreach (var group in model.Groups)
        {
            declared += group.SymbolCount;
            if (declared > symbolBudget)
                throw new CorruptModelFileException($"the groups declare {declared} or more symbols; the network has {symbolBudget}",
                    group.TensorsOffset, $"group '{group.Name}' tensors");
        }
        double bits = 0;
        foreach (var group in model.Groups)
        {
            var symbols = group.DecodeSymbols(group.SymbolCount);
            bits += SelfInformation.Bits(symbols, group.Columns, group.Tables);
        }
        return bits;
    }
}
