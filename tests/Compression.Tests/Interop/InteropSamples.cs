// What the interop tests share: a small network with batch normalisation (parameters and state, named as PyTorch names
// them), the committed fixtures written by Fixtures/make_fixtures.py (Python's standard library, no torch), and their
// known values.
using Compression.Models;
using Compression.Tests.Format;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Compression.Tests.Interop;

/// <summary>fc1 (4 -> 3), batch norm with gamma and beta, ReLU, fc2 (3 -> 2): PyTorch's nn.Linear / nn.BatchNorm1d names.</summary>
sealed class TinyBatchNormNet : Architecture
{
    public override string Id => "tiny-bn";
    public override IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        ParameterSpec.DenseWeight("fc1", 3, 4), ParameterSpec.Bias("fc1", 3, LayerKind.Dense),
        ParameterSpec.NormScale("bn1", 3), ParameterSpec.NormShift("bn1", 3),
        ParameterSpec.DenseWeight("fc2", 2, 3), ParameterSpec.Bias("fc2", 2, LayerKind.Dense),
    ];
    public override IReadOnlyList<StateSpec> State { get; } = StateSpec.BatchNorm("bn1", 3);

    public override Tensor Forward(Tensor input, NetworkValues v, bool training = false)
    {
        var x = F.linear(input.reshape(input.shape[0], 4), v["fc1.weight"], v["fc1.bias"]);
        x = F.relu(Layers.BatchNorm(x, v, "bn1", training));
        return F.linear(x, v["fc2.weight"], v["fc2.bias"]);
    }
}

static class InteropSamples
{
    public static string Fixture(string name) => Path.Combine(CommittedFiles.Root, "tests", "Compression.Tests", "Interop", "Fixtures", name);

    /// <summary>The fixtures' tensors in make_fixtures.py's order: element k of the j-th is (j + 1) + k / 64.</summary>
    public static readonly string[] FixtureOrder =
        ["fc1.weight", "fc1.bias", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "fc2.weight", "fc2.bias"];

    public static float[] FixtureValues(string name, long count)
    {
        int j = Array.IndexOf(FixtureOrder, name);
        Assert.True(j >= 0, name);
        return Enumerable.Range(0, (int)count).Select(k => (float)(j + 1 + k / 64.0)).ToArray();
    }

    /// <summary>Seeded values with the awkward floats in them (-0, a subnormal, the extremes), so that round trips are checked bit for bit.</summary>
    public static NetworkValues Random(Architecture architecture, int seed)
    {
        var rng = new Random(seed);
        float[] special = [-0f, 1e-42f, float.MaxValue, float.MinValue, float.Epsilon, 1f / 3];
        Tensor Make(long[] shape, long count)
        {
            var v = Enumerable.Range(0, (int)count).Select(i => i < special.Length ? special[i] : (float)(rng.NextDouble() * 2 - 1)).ToArray();
            return tensor(v).reshape(shape);
        }
        return new NetworkValues(architecture, architecture.Parameters.Select(p => Make(p.Shape, p.Count)).ToList(),
            architecture.State.Select(s => Make(s.Shape, s.Count)).ToList());
    }

    public static string TempPath(string name) => Path.Combine(Directory.CreateTempSubdirectory("interop").FullName, name);
}
