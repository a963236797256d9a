// The size soft weight-sharing's paper reports: Han et al.'s ("Deep Compression", ICLR 2016) sparse
// storage, which the paper's compression rates follow. Per weight matrix (a convolution kernel is a
// matrix of out-channels x in-channels * kernel area), in CSR form:
//   - every stored entry has a relative index: its distance to the previous stored entry of the row
//     (the first: to the row start, so distance = column + 1), stored as distance - 1 in b bits,
//     b = 5 for fully connected layers and 8 for convolutions; a distance beyond 2^b is bridged by
//     filler zeros stored every 2^b positions (Han et al., figure 2);
//   - every stored entry has a value: its component (codebook) index, fillers the zero component's;
//   - relative indices and values are Huffman coded, each with one code per layer (code lengths from an
//     optimal Huffman code of the layer's own symbol counts; the code tables are not counted, as in Han et al.);
//   - row pointers: rows + 1 numbers of ceil(log2(entries + 1)) bits;
//   - codebook: 32 bits per distinct non-zero value the layer uses.
// Biases are outside Han et al.'s accounting. Here they are counted as stored: quantised biases as
// Huffman-coded component indices (dense, their values joining the layer's codebook), float ones at 32 bits;
// a normalisation layer's shift counts as that layer's bias (its layer has no weight matrix).
using Compression.Models;

namespace Compression.SoftWeightSharing;

public sealed record LayerStorage(
    string Layer, long Rows, long Columns, int IndexBits, long Nonzeros, long Fillers,
    long IndexBitsTotal, long ValueBitsTotal, long RowPointerBits, long CodebookBits, long BiasBits)
{
    public long Entries => Nonzeros + Fillers;
    public long WeightBits => IndexBitsTotal + ValueBitsTotal + RowPointerBits + CodebookBits;
    public long TotalBits => WeightBits + BiasBits;
}

public sealed record PaperStyleSize(IReadOnlyList<LayerStorage> Layers)
{
    /// <summary>Weights only (sparse storage + codebooks), as the paper's accounting.</summary>
    public long WeightBytes => Bytes(Layers.Sum(l => l.WeightBits));

    /// <summary>Weights and biases.</summary>
    public long TotalBytes => Bytes(Layers.Sum(l => l.TotalBits));

    static long Bytes(long bits) => (bits + 7) / 8;
}

public static class HanStyleSize
{
    /// <summary>Han et al.: "8 bits for conv layer and 5 bits for fc layer".</summary>
    public static int IndexBits(LayerKind kind) => kind == LayerKind.Convolution ? 8 : 5;

    public static PaperStyleSize Compute(QuantizedNetwork network)
    {
        var arch = network.Architecture;
        var layers = new List<LayerStorage>();
        foreach (var layer in arch.Parameters.Select(p => p.Layer).Distinct())
        {
            var indices = Enumerable.Range(0, arch.Parameters.Count).Where(i => arch.Parameters[i].Layer == layer).ToList();
            var codebookValues = new HashSet<int>();
            LayerStorage? storage = null;
            long biasBits = 0;
            foreach (var i in indices)
            {
                var spec = arch.Parameters[i];
                var assignment = network.Assignments[i];
                if (spec.Role == ParameterRole.Weight)
                {
                    if (assignment == null) throw new ArgumentException($"{spec.Name} is not quantised; paper-style storage needs component indices");
                    long rows = spec.Shape[0], columns = spec.Count / rows;
                    storage = Sparse(layer, assignment, rows, columns, IndexBits(spec.Kind), zeroSymbol: 0);
                    foreach (var a in assignment) if (a != 0) codebookValues.Add(a);
                }
                else if (assignment != null)
                {
                    biasBits += HuffmanBits(Counts(assignment));
                    foreach (var a in assignment) if (a != 0) codebookValues.Add(a);
                }
                else biasBits += 32L * spec.Count;
            }
            // a layer without a weight (a normalisation layer's shift): only its "biases" are stored
            storage ??= new LayerStorage(layer, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            layers.Add(storage with { CodebookBits = 32L * codebookValues.Count, BiasBits = biasBits });
        }
        return new PaperStyleSize(layers);
    }

    /// <summary>CSR storage of one matrix of component indices (row-major, <paramref name="zeroSymbol"/> = pruned). Codebook and biases not included.</summary>
    public static LayerStorage Sparse(string layer, ReadOnlySpan<int> matrix, long rows, long columns, int indexBits, int zeroSymbol = 0)
    {
        if (matrix.Length != rows * columns) throw new ArgumentException("matrix size does not match rows x columns");
        long span = 1L << indexBits;
        var indexCounts = new Dictionary<int, long>();
        var valueCounts = new Dictionary<int, long>();
        long nonzeros = 0, fillers = 0;
        for (long r = 0; r < rows; r++)
        {
            long previous = -1;
            for (long c = 0; c < columns; c++)
            {
                int v = matrix[(int)(r * columns + c)];
                if (v == zeroSymbol) continue;
                while (c - previous > span)
                {
                    previous += span;
                    Add(indexCounts, (int)(span - 1));
                    Add(valueCounts, zeroSymbol);
                    fillers++;
                }
                Add(indexCounts, (int)(c - previous - 1));
                Add(valueCounts, v);
                nonzeros++;
                previous = c;
            }
        }
        long entries = nonzeros + fillers;
        long pointerBits = (rows + 1) * CeilLog2(entries + 1);
        return new LayerStorage(layer, rows, columns, indexBits, nonzeros, fillers,
            HuffmanBits(indexCounts), HuffmanBits(valueCounts), pointerBits, 0, 0);
    }

    static void Add(Dictionary<int, long> counts, int symbol) => counts[symbol] = counts.GetValueOrDefault(symbol) + 1;

    static Dictionary<int, long> Counts(IEnumerable<int> symbols)
    {
        var counts = new Dictionary<int, long>();
        foreach (var s in symbols) Add(counts, s);
        return counts;
    }

    static int CeilLog2(long x)
    {
        int bits = 0;
        while ((1L << bits) < x) bits++;
        return bits;
    }

    /// <summary>
    /// Total length in bits of the symbols under an optimal Huffman code for their counts. An alphabet of
    /// one symbol costs 1 bit per symbol (a code word cannot be empty); none costs nothing.
    /// </summary>
    public static long HuffmanBits(IReadOnlyDictionary<int, long> counts)
    {
        var weights = counts.Values.Where(c => c > 0).ToList();
        if (weights.Count == 0) return 0;
        if (weights.Count == 1) return weights[0];
        // Total length = sum of the internal nodes' weights of the Huffman tree.
        var queue = new PriorityQueue<long, long>();
        foreach (var w in weights) queue.Enqueue(w, w);
        long total = 0;
        while (queue.Count > 1)
        {
            long a = queue.Dequeue(), b = queue.Dequeue();
            total += a + b;
            queue.Enqueue(a + b, a + b);
        }
        return total;
    }
}
