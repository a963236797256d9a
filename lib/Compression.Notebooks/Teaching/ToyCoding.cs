// Codes a toy stream of integers with the package's real coder, so the introductory notebook can put the
// self-information estimate beside the length of a real bitstream and its probability tables.
using Compression.Coding;

namespace Compression.Notebooks.Teaching;

/// <summary>An empirical probability model of integers: values offset..offset+n-1 and their frequencies.</summary>
public sealed record EmpiricalModel(int Offset, double[] Pmf)
{
    public int[] Values => Enumerable.Range(Offset, Pmf.Length).ToArray();

    public static EmpiricalModel Of(ReadOnlySpan<int> symbols)
    {
        int min = int.MaxValue, max = int.MinValue;
        foreach (var s in symbols) { min = Math.Min(min, s); max = Math.Max(max, s); }
        var counts = new double[max - min + 1];
        foreach (var s in symbols) counts[s - min]++;
        for (int i = 0; i < counts.Length; i++) counts[i] /= symbols.Length;
        return new EmpiricalModel(min, counts);
    }

    /// <summary>Ideal code length under this model: the sum of -log2 q(phi).</summary>
    public double SelfInformationBits(ReadOnlySpan<int> symbols)
    {
        double bits = 0;
        foreach (var s in symbols) bits -= Math.Log2(Pmf[s - Offset]);
        return bits;
    }

    /// <summary>The coder's table for this model (a tiny tail mass keeps the escape symbol available).</summary>
    public CdfTable Table(int precision = CdfTable.DefaultPrecision) => CdfTable.FromPmf(Pmf, 1e-6, Offset, precision);
}

/// <summary>What coding a stream cost: the estimate and the real bytes.</summary>
public sealed record CodingCost(int Symbols, int Columns, double SelfInformationBits, double TableSelfInformationBits, int BitstreamBytes, int TableBytes)
{
    public int TotalBytes => BitstreamBytes + TableBytes;
    public double BitsPerSymbol => 8.0 * BitstreamBytes / Symbols;
    /// <summary>Bitstream bytes above the quantized tables' self-information, in percent.</summary>
    public double CoderOverheadPercent => 100 * (8.0 * BitstreamBytes - TableSelfInformationBits) / TableSelfInformationBits;
}

public static class ToyCoding
{
    /// <summary>
    /// Codes integers laid out as rows of <paramref name="columns"/> values, one empirical table per column,
    /// decodes them again and checks the round trip.
    /// </summary>
    public static CodingCost Code(int[] symbols, int columns = 1)
    {
        var tables = new List<CdfTable>();
        double ideal = 0;
        for (int j = 0; j < columns; j++)
        {
            var column = symbols.Where((_, i) => i % columns == j).ToArray();
            var model = EmpiricalModel.Of(column);
            ideal += model.SelfInformationBits(column);
            tables.Add(model.Table());
        }
        var stream = SymbolCoder.Encode(symbols, columns, tables);
        var decoded = SymbolCoder.Decode(stream, symbols.Length, columns, tables);
        if (!decoded.AsSpan().SequenceEqual(symbols)) throw new InvalidOperationException("round trip failed");
        return new CodingCost(symbols.Length, columns, ideal, SelfInformation.Bits(symbols, columns, tables),
            stream.Length, tables.Sum(t => t.SerializedSize));
    }

    /// <summary>Mean squared error of reconstructing weights from their quantized latents.</summary>
    public static double Distortion(IReadOnlyList<double> weights, IReadOnlyList<int> latents, double step) =>
        weights.Select((w, i) => (w - step * latents[i]) * (w - step * latents[i])).Average();
}
