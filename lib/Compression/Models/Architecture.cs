// A network written as a function of an explicit list of parameter tensors. Keeping the parameters
// outside the network lets every method supply them its own way: plain training owns them as
// nn.Parameters, EPR decodes them from latents, soft weight-sharing snaps them to mixture means.
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Models;

public abstract class Architecture
{
    /// <summary>Short identifier stored in compressed files, e.g. "lenet300-100".</summary>
    public abstract string Id { get; }

    public abstract string DisplayName { get; }

    public abstract IReadOnlyList<ParameterSpec> Parameters { get; }

    /// <summary>Logits for a batch of images (N x 1 x 28 x 28 for MNIST) given the parameters in <see cref="Parameters"/> order.</summary>
    public abstract Tensor Forward(Tensor images, IReadOnlyList<Tensor> parameters);

    public long ParameterCount => Parameters.Sum(p => p.Count);

    /// <summary>Bytes of the parameters stored as float32: the "uncompressed size" of Table 1.</summary>
    public long UncompressedBytes => 4 * ParameterCount;

    public int IndexOf(string name)
    {
        for (int i = 0; i < Parameters.Count; i++) if (Parameters[i].Name == name) return i;
        throw new ArgumentException($"{Id} has no parameter '{name}'");
    }

    /// <summary>
    /// A normally initialised network (He et al.: N(0, 2 / fan_in) for weights, zero biases), drawn from
    /// libtorch's global generator so that <c>torch.manual_seed</c> fixes it.
    /// </summary>
    public IReadOnlyList<Tensor> Initialize(Device? device = null)
    {
        var values = new List<Tensor>();
        foreach (var p in Parameters)
        {
            var t = p.Role == ParameterRole.Bias
                ? zeros(p.Shape, device: device)
                : randn(p.Shape, device: device) * Math.Sqrt(2.0 / p.FanIn);
            values.Add(t);
        }
        return values;
    }

    public static Architecture ById(string id) => id.ToLowerInvariant() switch
    {
        "lenet300-100" => new LeNet300100(),
        "lenet5-caffe" => new LeNet5Caffe(),
        _ => throw new ArgumentException($"unknown architecture '{id}' (known: lenet300-100, lenet5-caffe)"),
    };
}
