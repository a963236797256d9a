// One entropy model, as CompressAI's EntropyBottleneck and tensorflow_compression's entropy models hold it: a
// density over integers (behind IDensityModel) together with the quantized tables tabulated from it and the
// coding of a group's symbols under those tables. Training uses the density (the rate term); compression
// tabulates it over the range the symbols occupy (TableRange picks the cheapest range: a lone outlier is escaped
// rather than widening the table) and range-codes; decoding needs only the tables stored in the file.
using Compression.Coding;
using Compression.Format;

namespace Compression.Probability;

/// <summary>A factorized probability model over integers: one scalar distribution per column.</summary>
public interface IDensityModel
{
    /// <summary>Number of independent scalar distributions (the l of a group).</summary>
    int Columns { get; }

    /// <summary>The mass of each integer in [min, max] under column <paramref name="column"/>'s distribution, and the mass outside.</summary>
    ColumnPmf Tabulate(int column, int min, int max);
}

/// <summary>A fixed distribution over symbols 0 .. K-1 (e.g. a mixture's proportions, or a learned assignment distribution), l = 1.</summary>
public sealed class CategoricalDensity : IDensityModel
{
    readonly double[] probabilities;

    public CategoricalDensity(IReadOnlyList<double> probabilities)
    {
        if (probabilities.Count == 0 || probabilities.Any(p => !(p >= 0) || double.IsInfinity(p))) throw new ArgumentException("probabilities must be finite and non-negative");
        double total = probabilities.Sum();
        if (!(total > 0)) throw new ArgumentException("probabilities sum to 0");
        this.probabilities = probabilities.Select(p => p / total).ToArray();
    }

    public int Columns => 1;

    public IReadOnlyList<double> Probabilities => probabilities;

    public ColumnPmf Tabulate(int column, int min, int max)
    {
        if (column != 0) throw new ArgumentOutOfRangeException(nameof(column));
        var pmf = new double[max - min + 1];
        double inside = 0;
        for (int v = min; v <= max; v++)
            if (v >= 0 && v < probabilities.Length) { pmf[v - min] = probabilities[v]; inside += probabilities[v]; }
        return new ColumnPmf(min, pmf, Math.Max(0, 1 - inside));
    }
}

public sealed class EntropyModel(IDensityModel density)
{
    public IDensityModel Density { get; } = density;

    public int Columns => Density.Columns;

    /// <summary>One table per column, each over the cheapest range inside [min, max] of that column's symbols (row-major d x l).</summary>
    public IReadOnlyList<CdfTable> Tables(ReadOnlySpan<int> symbols)
    {
        int columns = Columns;
        if (symbols.Length == 0 || symbols.Length % columns != 0) throw new ArgumentException($"{symbols.Length} symbols do not fill rows of {columns}");
        var tables = new CdfTable[columns];
        for (int c = 0; c < columns; c++)
        {
            int min = int.MaxValue, max = int.MinValue;
            for (int k = c; k < symbols.Length; k += columns) { min = Math.Min(min, symbols[k]); max = Math.Max(max, symbols[k]); }
            var counts = new long[(long)max - min + 1];
            for (int k = c; k < symbols.Length; k += columns) counts[symbols[k] - min]++;
            tables[c] = TableRange.Best(Density.Tabulate(c, min, max), counts);
        }
        return tables;
    }

    /// <summary>
    /// A coded group: the symbols (row-major d x l over the tensors, in order) range-coded under this model's tables,
    /// with the decoder's kind and parameters stored beside them.
    /// </summary>
    public CodedGroup Encode(string name, IReadOnlyList<(string Name, int[] Shape)> tensors, int[] symbols, byte decoderKind, byte[] decoderParameters) =>
        CodedGroup.Encode(name, Columns, tensors, symbols, Tables(symbols), decoderKind, decoderParameters);
}
