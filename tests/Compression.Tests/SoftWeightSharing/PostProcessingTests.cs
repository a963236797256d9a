// Merging, quantisation and pruning invariants, and the paper-style (Han et al.) size on hand-checkable cases.
using Compression.Models;
using Compression.SoftWeightSharing;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.Tests.SoftWeightSharing;

/// <summary>A 16-input, 2-output linear layer: small enough to count bits by hand.</summary>
sealed class TinyDense : Architecture
{
    public override string Id => "tiny";
    public override string DisplayName => "Tiny";
    public override IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        new("fc.weight", [2, 16], ParameterRole.Weight, "fc", LayerKind.Dense),
        new("fc.bias", [2], ParameterRole.Bias, "fc", LayerKind.Dense),
    ];
    public override Tensor Forward(Tensor images, NetworkValues v, bool training = false) => F.linear(images.reshape(images.shape[0], 16), v.Parameters[0], v.Parameters[1]);
}

public class PostProcessingTests
{
    static MixtureState Mixture(double[] means, double[] stds, double[] proportions) =>
        new(means, stds.Select(s => -2 * Math.Log(s)).ToArray(), proportions.Select(p => Math.Log(p)).ToArray());

    [Fact]
    public void MergesOnlyNearIdenticalComponentsAndKeepsTheZeroComponentFirst()
    {
        var m = Mixture([0, 0.3, 0.3, -0.2, 1e-5], [0.02, 0.05, 0.05, 0.05, 0.02], [0.9, 0.04, 0.02, 0.03, 0.01]);
        var merged = PostProcessing.Merge(m, 1e-6, out var map);
        Assert.Equal([0, 1, 1, 2, 0], map);
        Assert.Equal(3, merged.Count);
        Assert.Equal(0.0, merged.Means[0]);
        Assert.Equal(0.3, merged.Means[1], 12);
        Assert.Equal(-0.2, merged.Means[2], 12);
        Assert.Equal(0.91, merged.Proportions[0], 12);
        Assert.Equal(0.06, merged.Proportions[1], 12);
        Assert.Equal(1.0, merged.Proportions.Sum(), 12);
        Assert.Equal(0.05, merged.Stds[1], 12);

        // with the tutorial's threshold nothing but exact duplicates merge
        var strict = PostProcessing.Merge(m, PostProcessing.DefaultMergeThreshold, out var strictMap);
        Assert.Equal([0, 1, 1, 2, 3], strictMap);
        Assert.Equal(4, strict.Count);
    }

    [Fact]
    public void AssignsEachWeightToItsHighestResponsibilityComponent()
    {
        var m = Mixture([0, -0.3, 0.25, 0.5], [0.02, 0.05, 0.04, 0.1], [0.95, 0.02, 0.02, 0.01]);
        var rng = new Random(11);
        var w = Enumerable.Range(0, 5000).Select(_ => (float)(rng.NextDouble() * 1.4 - 0.7)).ToArray();
        var a = PostProcessing.Assign(w, m);
        for (int i = 0; i < w.Length; i++)
        {
            var d = m.ComponentLogDensities(w[i]);
            Assert.Equal(Array.IndexOf(d, d.Max()), a[i]);
        }
        Assert.Equal(0, PostProcessing.Assign([0f, 0.001f, -0.001f], m).Distinct().Single());
    }

    [Fact]
    public void QuantisedValuesAreCodebookMeansAndPrunedWeightsAreExactZeros()
    {
        var arch = new TinyDense();
        var rng = new Random(5);
        var weight = Enumerable.Range(0, 32).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var bias = new[] { 0.26f, -0.001f };
        var m = Mixture([0, -0.3, 0.25, 0.9], [0.05, 0.1, 0.1, 0.01], [0.6, 0.2, 0.19, 0.01]);
        var q = PostProcessing.Quantize(new NetworkValues(arch, [tensor(weight, [2, 16]), tensor(bias)], []), m, biasesInPrior: true);

        Assert.Equal(0f, q.Codebook[0]);
        Assert.True(BitConverter.SingleToInt32Bits(q.Codebook[0]) == 0, "the zero component's mean is +0");
        Assert.DoesNotContain(0.9f, q.Codebook); // unused component dropped
        Assert.Equal(q.Codebook.Length, q.Codebook.Distinct().Count());
        var values = q.Network().Parameters;
        var w = PostProcessing.ToFloats(values[0]);
        var expected = PostProcessing.Assign(weight, PostProcessing.Merge(m, PostProcessing.DefaultMergeThreshold, out _));
        for (int i = 0; i < weight.Length; i++)
        {
            Assert.Contains(w[i], q.Codebook);
            Assert.Equal((float)m.Means[expected[i]], w[i]);
            if (expected[i] == 0) Assert.Equal(0, BitConverter.SingleToInt32Bits(w[i]));
        }
        Assert.Equal(expected.Count(a => a != 0) / 32.0, q.NonzeroFraction(), 12);
        Assert.Equal([0.25f, 0f], PostProcessing.ToFloats(values[1]));

        // biases outside the prior stay as they were
        var kept = PostProcessing.Quantize(new NetworkValues(arch, [tensor(weight, [2, 16]), tensor(bias)], []), m, biasesInPrior: false);
        Assert.Null(kept.Assignments[1]);
        Assert.Equal(bias, PostProcessing.ToFloats(kept.Network().Parameters[1]));
    }

    [Fact]
    public void HuffmanBitsOfSmallAlphabets()
    {
        Assert.Equal(0, HanStyleSize.HuffmanBits(new Dictionary<int, long>()));
        Assert.Equal(5, HanStyleSize.HuffmanBits(new Dictionary<int, long> { [3] = 5 }));
        // counts 1, 1, 2: lengths 2, 2, 1
        Assert.Equal(6, HanStyleSize.HuffmanBits(new Dictionary<int, long> { [0] = 1, [1] = 1, [2] = 2 }));
        // counts 5, 2, 1, 1: lengths 1, 2, 3, 3 -> 5 + 4 + 3 + 3
        Assert.Equal(15, HanStyleSize.HuffmanBits(new Dictionary<int, long> { [0] = 5, [1] = 2, [2] = 1, [3] = 1 }));
    }

    [Fact]
    public void SparseStorageFollowsHanEtAlsFigure2()
    {
        // One row of 16, non-zeros at columns 1, 4, 15, 3-bit relative indices (span 8): distances 2, 3,
        // then 11 > 8, so a filler at column 12 (distance 8) and column 15 at distance 3.
        var row = new int[16];
        row[1] = 3; row[4] = 3; row[15] = 5;
        var s = HanStyleSize.Sparse("fc", row, 1, 16, indexBits: 3);
        Assert.Equal(3, s.Nonzeros);
        Assert.Equal(1, s.Fillers);
        Assert.Equal(6, s.IndexBitsTotal);   // symbols {1, 2, 7, 2}: counts 1, 2, 1 -> 6 bits
        Assert.Equal(6, s.ValueBitsTotal);   // values {3, 3, 0, 5}: counts 2, 1, 1 -> 6 bits
        Assert.Equal(2 * 3, s.RowPointerBits); // 2 pointers of ceil(log2(5)) = 3 bits
    }

    [Fact]
    public void PaperStyleSizeOfATinyNetwork()
    {
        var arch = new TinyDense();
        // row 0: non-zeros (component 1) at columns 0 and 15; row 1: component 2 at column 3; biases: 0 and component 1
        var weight = new int[32];
        weight[0] = 1; weight[15] = 1; weight[16 + 3] = 2;
        var q = new QuantizedNetwork(arch, [0f, 0.5f, -0.5f], [weight, [0, 1]], [null, null],
            Mixture([0, 0.5, -0.5], [0.1, 0.1, 0.1], [0.8, 0.1, 0.1]), []);
        var size = HanStyleSize.Compute(q);
        var fc = Assert.Single(size.Layers);
        // 5-bit indices (span 32): row 0 distances 1, 15 -> symbols 0, 14; row 1 distance 4 -> symbol 3. No fillers.
        Assert.Equal(3, fc.Nonzeros);
        Assert.Equal(0, fc.Fillers);
        Assert.Equal(5, fc.IndexBitsTotal);      // three symbols once each: lengths 1, 2, 2
        Assert.Equal(3, fc.ValueBitsTotal);      // values 1, 1, 2: lengths 1, 1... counts (2, 1) -> 3 bits
        Assert.Equal(3 * 2, fc.RowPointerBits);  // 3 pointers of ceil(log2(4)) = 2 bits
        Assert.Equal(2 * 32, fc.CodebookBits);   // values 0.5 and -0.5
        Assert.Equal(2, fc.BiasBits);            // biases {0, 1}: 1 bit each
        Assert.Equal((5 + 3 + 6 + 64 + 7) / 8, size.WeightBytes);
        Assert.Equal((5 + 3 + 6 + 64 + 2 + 7) / 8, size.TotalBytes);
    }
}

public class DeadUnitTests
{
    /// <summary>4 inputs -> 3 hidden -> 2 outputs.</summary>
    sealed class TwoLayers(bool linked = true) : Architecture
    {
        public override string Id => "two-layers";
        public override string DisplayName => "TwoLayers";
        public override IReadOnlyList<ParameterSpec> Parameters { get; } =
        [
            new("fc1.weight", [3, 4], ParameterRole.Weight, "fc1", LayerKind.Dense),
            new("fc1.bias", [3], ParameterRole.Bias, "fc1", LayerKind.Dense),
            new("fc2.weight", [2, 3], ParameterRole.Weight, "fc2", LayerKind.Dense),
            new("fc2.bias", [2], ParameterRole.Bias, "fc2", LayerKind.Dense),
        ];
        public override IReadOnlyList<UnitLink> UnitLinks { get; } = linked ? [new("fc1.weight", "fc1.bias", "fc2.weight", 1)] : [];
        public override Tensor Forward(Tensor x, NetworkValues v, bool training = false) =>
            F.linear(F.relu(F.linear(x.reshape(x.shape[0], 4), v.Parameters[0], v.Parameters[1])), v.Parameters[2], v.Parameters[3]);
    }

    [Fact]
    public void UnitsWithoutOutgoingWeightsLoseTheirIncomingWeightsAndTheOutputsStayTheSame()
    {
        var arch = new TwoLayers();
        // hidden unit 1 has no outgoing weight (column 1 of fc2 is zero)
        var q = new QuantizedNetwork(arch, [0f, 0.5f, -0.25f],
            [[1, 2, 1, 0, 2, 1, 1, 2, 0, 0, 1, 1], [1, 2, 0], [1, 0, 2, 2, 0, 1], [0, 1]], [null, null, null, null],
            new MixtureState([0, 0.5, -0.25], [4, 4, 4], [Math.Log(0.8), Math.Log(0.1), Math.Log(0.1)]), []);
        var x = TorchSharp.torch.randn(5, 4);
        var before = PostProcessing.ToFloats(q.Network().Logits(x));
        int zeroed = PostProcessing.PruneDeadUnits(q);
        Assert.Equal(4 + 1, zeroed); // row 1 of fc1 (four non-zeros) and bias 1
        Assert.Equal([1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1], q.Assignments[0]!);
        Assert.Equal([1, 0, 0], q.Assignments[1]!);
        var after = PostProcessing.ToFloats(q.Network().Logits(x));
        Assert.Equal(before, after);
        Assert.Equal(0, PostProcessing.PruneDeadUnits(q));
    }

    [Fact]
    public void WithoutUnitLinksNothingIsPruned()
    {
        // the same dead unit, but the architecture does not declare that fc1 feeds only fc2 (it might have a skip connection)
        var q = new QuantizedNetwork(new TwoLayers(linked: false), [0f, 0.5f, -0.25f],
            [[1, 2, 1, 0, 2, 1, 1, 2, 0, 0, 1, 1], [1, 2, 0], [1, 0, 2, 2, 0, 1], [0, 1]], [null, null, null, null],
            new MixtureState([0, 0.5, -0.25], [4, 4, 4], [Math.Log(0.8), Math.Log(0.1), Math.Log(0.1)]), []);
        Assert.Equal(0, PostProcessing.PruneDeadUnits(q));
        Assert.Equal([1, 2, 1, 0, 2, 1, 1, 2, 0, 0, 1, 1], q.Assignments[0]!);
    }
}
