// MIRACLE's training rules: the per-block penalty update, the hashing trick's sharing and signs, the random split
// into blocks, the KL of the variational network, and the candidate search's choice.
using Compression.Miracle;
using Compression.Models;
using Compression.Tests.OpenCore;
using static TorchSharp.torch;

namespace Compression.Tests.Miracle;

public class TrainingRulesTests
{
    [Fact]
    public void BetaGrowsAboveTheBudgetShrinksBelowAndCodedBlocksKeepTheirs()
    {
        using var penalties = new BlockPenalties(4, initialBeta: 1e-8, budgetNats: 10, epsilon: 0.5);
        using var kl = tensor(new[] { 11.0f, 9.0f, 10.0f, 50.0f });
        using var active = tensor(new[] { true, true, true, false });
        penalties.Update(kl, active);
        var beta = penalties.Beta.data<double>().ToArray();
        Assert.Equal(1.5e-8, beta[0], 1e-20);
        Assert.Equal(1e-8 / 1.5, beta[1], 1e-20);
        Assert.Equal(1e-8 / 1.5, beta[2], 1e-20); // not above the budget: divided
        Assert.Equal(1e-8, beta[3]);
        for (int i = 0; i < 10; i++) penalties.Update(kl, active);
        Assert.Equal(1e-8 * Math.Pow(1.5, 11), penalties.Beta.data<double>()[0], 1e-14);
        penalties.SetEpsilon(0.25);
        penalties.Update(kl);
        Assert.Equal(1e-8 * 1.25, penalties.Beta.data<double>()[3], 1e-20);
    }

    [Fact]
    public void HashingSharesEachVariableEvenlyWithFixedRandomSigns()
    {
        var arch = new LeNet5Caffe();
        var hashing = HashingLayout.FromShrinkFactors(arch, seed: 7, MiracleOptions.PaperShrink(arch));
        Assert.Equal([500L, 20, 12_500, 50, 6_250, 500, 5_000, 10], hashing.VariableCounts);
        Assert.Equal(24_830, hashing.VariableCount);
        int fc1 = arch.IndexOf("fc1.weight");
        var (variable, sign) = hashing.Map(fc1);
        var uses = variable.GroupBy(v => v).Select(g => g.Count()).ToList();
        Assert.Equal(6_250, uses.Count);
        Assert.All(uses, u => Assert.Equal(64, u));
        Assert.All(variable, v => Assert.InRange(v, hashing.Offsets[fc1], hashing.Offsets[fc1 + 1] - 1));
        Assert.InRange(sign.Count(s => s < 0) / (double)sign.Length, 0.49, 0.51);
        // the same seed gives the same layout; another seed another
        Assert.Equal(variable, hashing.Map(fc1).Variable);
        Assert.NotEqual(variable, HashingLayout.FromShrinkFactors(arch, 8, MiracleOptions.PaperShrink(arch)).Map(fc1).Variable);

        // expansion: w_j = s_j v_h(j), unshared parameters copied as they are
        var values = Enumerable.Range(0, (int)hashing.VariableCount).Select(i => (float)(i + 1)).ToArray();
        var parameters = hashing.Expand(values);
        for (int j = 0; j < 400_000; j += 997) Assert.Equal(sign[j] * values[variable[j]], parameters[fc1][j]);
        Assert.True(parameters[fc1].Any(v => v < 0) && parameters[fc1].Any(v => v > 0));
        int conv1 = arch.IndexOf("conv1.weight");
        Assert.Equal(values.AsSpan(0, 500).ToArray(), parameters[conv1]);
    }

    [Fact]
    public void BlocksSplitEveryVariableOnceInEqualSizes()
    {
        var blocks = new BlockLayout(1003, 10, seed: 3);
        Assert.Equal(Enumerable.Repeat(101, 3).Concat(Enumerable.Repeat(100, 7)), Enumerable.Range(0, 10).Select(blocks.Size));
        var all = Enumerable.Range(0, 10).SelectMany(b => blocks.Variables(b).ToArray()).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 1003), all);
        Assert.NotEqual(Enumerable.Range(0, 101), blocks.Variables(0).ToArray()); // at random
        Assert.Equal(blocks.Variables(4).ToArray(), new BlockLayout(1003, 10, seed: 3).Variables(4).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlockLayout(10, 11, 1));
    }

    [Fact]
    public void TheNetworksKlIsTheGaussiansKl()
    {
        var arch = new RandomMlp(2);
        var hashing = HashingLayout.FromShrinkFactors(arch, 1, new Dictionary<string, double> { ["in.weight"] = 8 });
        var blocks = new BlockLayout(hashing.VariableCount, 7, 1);
        manual_seed(1);
        using var start = arch.NewNetwork();
        using var net = new VariationalNetwork(hashing, blocks, start, new MiracleOptions { InitialLogSigma = -3, InitialPriorLogStd = -1 }, CPU);
        using var kl = net.KlPerVariable();
        float mu = net.Mu.data<float>()[5];
        double expected = Math.Log(Math.Exp(-1) / Math.Exp(-3)) + (Math.Exp(-6) + mu * mu) / (2 * Math.Exp(-2)) - 0.5;
        Assert.Equal(expected, kl.data<float>()[5], 1e-4);
        using var perBlock = net.PerBlock(kl);
        Assert.Equal(kl.sum().item<float>(), perBlock.sum().item<float>(), 1e-2);
        double block3 = blocks.Variables(3).ToArray().Sum(v => (double)kl.data<float>()[v]);
        Assert.Equal(block3, perBlock.data<float>()[3], 1e-3);
        // the parameters a forward pass sees are the hashed variables
        using var values = net.Values(net.Mean());
        var (variable, sign) = hashing.Map(0);
        Assert.Equal(sign[17] * net.Mu.data<float>()[variable[17]], values.Parameters[0].flatten().data<float>()[17]);
    }

    [Fact]
    public void ArgmaxPicksTheCandidateNearestTheNarrowPosteriorAndSamplingFollowsTheWeights()
    {
        int count = 4096, d = 6;
        var table = CandidateGenerator.Table(5, count, d);
        var target = table.AsSpan(777 * d, d).ToArray().Select(v => (double)v).ToArray();
        var sigmaP = Enumerable.Repeat(1.0, d).ToArray();
        var choice = CandidateSearch.Choose(table, d, count, target, Enumerable.Repeat(0.01, d).ToArray(), sigmaP, CandidateSelection.Argmax, 0.5);
        Assert.Equal(777, choice.Index);
        Assert.Equal(choice.MaxLogWeight, choice.LogWeight);
        // q = p: every weight is 1, the effective sample size is the count, and the uniform picks the index u * K
        var flat = CandidateSearch.Choose(table, d, count, new double[d], sigmaP, sigmaP, CandidateSelection.Sample, 0.25);
        Assert.Equal(count, flat.EffectiveSamples, 1e-6);
        Assert.Equal(1024, flat.Index);
        Assert.Equal(0, flat.LogWeight, 1e-12);
    }

    [Fact]
    public void ASearchOf2To20CandidatesOf32VariablesTakesWellUnderASecondOfOneCore()
    {
        int count = 1 << 20, d = 32;
        var table = CandidateGenerator.Table(1, count, d, threads: Environment.ProcessorCount);
        var random = new Random(1);
        var mu = Enumerable.Range(0, d).Select(_ => random.NextDouble() * 0.1).ToArray();
        var sq = Enumerable.Range(0, d).Select(_ => 0.02 + random.NextDouble() * 0.05).ToArray();
        var sp = Enumerable.Repeat(0.1, d).ToArray();
        CandidateSearch.Choose(table, d, 1024, mu, sq, sp, CandidateSelection.Sample, 0.3); // warm up
        // CPU time of this thread (one core), not wall time: the machine may be shared
        double before = Benchmarks.ThreadClock.Now();
        var choice = CandidateSearch.Choose(table, d, count, mu, sq, sp, CandidateSelection.Sample, 0.3);
        double seconds = Benchmarks.ThreadClock.Now() - before;
        Console.WriteLine($"search of {count:N0} candidates x {d}: {seconds * 1000:F0} ms of CPU (ESS {choice.EffectiveSamples:F1})");
        Assert.InRange(choice.Index, 0, count - 1);
        Assert.True(seconds < 1.0, $"the search took {seconds:F2} s");
    }
}
