// The decode delegate at the method level: read the file, take the registered architecture it names, and decode it
// with the decoder its method names (CompressionMethods.Decode), as `verify` and `decompress` do. The methods'
// decoders check every declared size against that architecture before decoding, so a file claiming a network gets at
// most that network's work and memory. Seeds: the committed results (EPR and soft weight-sharing on both LeNets) and
// fresh files of what the committed ones lack (EPR transform decoders, soft weight-sharing masks, layouts and side
// tensors).
using Compression.Epr;
using Compression.Format;
using Compression.Grouping;
using Compression.Methods;
using Compression.Models;
using Compression.SoftWeightSharing;
using Compression.Tests.Format;
using static TorchSharp.torch;

namespace Compression.Tests.Fuzzing;

public static class MethodDecoding
{
    /// <summary>Decodes <paramref name="file"/> into the network it names; returns the number of decoded values.</summary>
    public static object? Decode(byte[] file)
    {
        var model = CompressedModelFile.FromBytes(file);
        if (!Architectures.TryCreate(model.Architecture, out var architecture))
            throw new CorruptModelFileException($"architecture '{model.Architecture}' is not registered", -1, "architecture");
        using var decoded = CompressionMethods.Decode(model, architecture!);
        return decoded.Parameters.Sum(p => p.NumberOfElements);
    }

    static List<byte[]>? seeds;

    /// <summary>The committed results and fresh EPR and soft weight-sharing files (made once per process).</summary>
    public static IReadOnlyList<byte[]> Seeds()
    {
        if (seeds is not null) return seeds;
        var list = CommittedFiles.All().Select(File.ReadAllBytes).ToList();
        using (var scope = NewDisposeScope())
        {
            list.Add(Epr(new LeNet5Caffe(), GroupingRules.EprMnistWithKernels(5, TransformKind.Dft), 3));
            list.Add(Epr(new LeNet5Caffe(), GroupingRules.EprMnistWithKernels(5, TransformKind.RandomOrthogonal, seed: 5), 4));
            list.Add(Epr(new LeNet300100(), GroupingRules.EprMnist(), 5));
        }
        list.Add(SwsCodec.Compress(Quantized(biasesInPrior: true), GroupLayout.Model, TableSource.Empirical, masks: true).ToBytes());
        list.Add(SwsCodec.Compress(Quantized(biasesInPrior: false), GroupLayout.Tensor, TableSource.Mixture, masks: true).ToBytes());
        list.Add(SwsCodec.Compress(Quantized(biasesInPrior: true), GroupLayout.Layer, TableSource.Empirical, masks: false).ToBytes());
        return seeds = list;
    }

    /// <summary>An EPR file of a freshly initialised network, its latents shrunk as training shrinks them.</summary>
    static byte[] Epr(Architecture architecture, GroupingRules rules, int seed)
    {
        manual_seed(seed);
        using var initial = architecture.NewNetwork();
        using var network = ReparameterizedNetwork.Create(rules.For(architecture), initial, new LatentInitialization(StepsPerRms: 1.5));
        using (no_grad())
            foreach (var g in network.Groups)
                foreach (var l in g.Latents) l.mul_((rand_like(l) < 0.8).to(float32) * 0.2 + 0.05);
        return EprCodec.Compress(network).ToBytes();
    }

    /// <summary>A quantised LeNet300-100 with empty rows and columns (so that masks pay).</summary>
    static QuantizedNetwork Quantized(bool biasesInPrior)
    {
        var arch = new LeNet300100();
        manual_seed(3);
        var parameters = arch.Initialize().Select(t => t * 3).ToList();
        using var prior = GaussianMixturePrior.Create(new MixturePriorSettings { ZeroProportion = 0.9, InitialStd = 0.03 });
        var q = PostProcessing.Quantize(new NetworkValues(arch, parameters, []), prior.State(), biasesInPrior);
        var fc1 = q.Assignments[0]!;
        for (int c = 0; c < 784; c++) { fc1[3 * 784 + c] = 0; fc1[7 * 784 + c] = 0; }
        for (int r = 0; r < 300; r++) for (int c = 0; c < 100; c++) fc1[r * 784 + c] = 0;
        return q;
    }
}
