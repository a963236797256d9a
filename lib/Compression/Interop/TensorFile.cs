// The tensors of a weights file by name, in the file's order, on the CPU with the dtypes the file stores; items that
// are not tensors (an epoch number in a training checkpoint) are listed apart. Owns its tensors.
using static TorchSharp.torch;

namespace Compression.Interop;

public sealed class TensorFile : IDisposable
{
    internal TensorFile(string path, WeightsFormat format, IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyList<string> skipped)
    {
        Path = path; Format = format; Tensors = tensors; Skipped = skipped;
    }

    public string Path { get; }
    public WeightsFormat Format { get; }

    /// <summary>Name and tensor, in the file's order (safetensors: by data offset; torch.save: the pickle's order is not kept, so by name).</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Tensors { get; }

    /// <summary>Entries that are not tensors, with their .NET type, e.g. "epoch (Int32)".</summary>
    public IReadOnlyList<string> Skipped { get; }

    /// <summary>One line per tensor: name, dtype, shape.</summary>
    public string Describe() => string.Join("\n", Tensors.Select(kv => $"{kv.Key} {kv.Value.dtype} [{string.Join(", ", kv.Value.shape)}]"));

    public void Dispose()
    {
        foreach (var kv in Tensors) kv.Value.Dispose();
    }
}
