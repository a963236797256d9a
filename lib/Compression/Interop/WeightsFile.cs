// Weights in and out of the package, matched by name: PyTorch's state_dict names ("fc1.weight", "bn1.running_mean")
// are the architectures' names, so a network trained in PyTorch imports into the Architecture that declares the same
// tensors, and a decoded network exports into files that PyTorch (torch.load, safetensors) and TorchSharp load.
//     using var start = WeightsFile.Import("lenet.pt", new LeNet300100());          // a state_dict saved by torch.save
//     Experiment.Run(method, architecture, data, dir, new ExperimentOptions { Initial = start });
//     WeightsFile.Export(outcome.Decoded, "decoded.safetensors");                     // or .pt, or .dat (TorchSharp)
//     WeightsFile.Decompress("model.eprc", "decoded.pt");                             // a compressed file's network
// Reading never trusts the file: its format is taken from its first bytes, declared sizes are checked against the
// file and against a bound before anything is allocated, and every problem is a WeightsFileException naming the file.
// Writing is atomic (temporary file, then rename). Export and import of float32 values are exact to the bit.
using Compression.Format;
using Compression.Methods;
using Compression.Models;
using Datasets;
using static TorchSharp.torch;

namespace Compression.Interop;

/// <summary>What <see cref="WeightsFile.Decompress"/> did: which network, from which method, into which file.</summary>
public sealed record DecompressedFile(string Source, string Output, WeightsFormat Format, string Method, string Architecture, int Tensors, long Values, long Bytes);

public static class WeightsFile
{
    /// <summary>Every tensor of a weights file (any of the three formats), on the CPU as stored; at most <paramref name="maxBytes"/> of tensor data.</summary>
    public static TensorFile ReadTensors(string path, long maxBytes = 1L << 32)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new WeightsFileException(path, "a folder, not a weights file");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such weights file", path);
        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[16];
        int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var format = WeightsFormats.Detect(head[..n], stream.Length, path);
        stream.Position = 0;
        return format switch
        {
            WeightsFormat.Safetensors => SafetensorsFile.Read(path, stream, maxBytes),
            WeightsFormat.PyTorch => PyTorchFile.Read(path, stream, maxBytes),
            _ => TorchSharpFile.Read(path, stream, maxBytes),
        };
    }

    /// <summary>
    /// The network a weights file holds for <paramref name="architecture"/>, on <paramref name="device"/> (the CPU by
    /// default), float32. Every parameter and state tensor must be in the file under its name (after
    /// <see cref="ImportOptions.Rename"/>) with its shape; other tensors are an error unless ignored. Floating-point
    /// tensors of other precisions are converted (and reported).
    /// </summary>
    public static NetworkValues Import(string path, Architecture architecture, ImportOptions? options = null, Device? device = null) =>
        Import(path, architecture, out _, options, device);

    /// <summary>As <see cref="Import(string, Architecture, ImportOptions?, Device?)"/>, with what was ignored, converted or initialised.</summary>
    public static NetworkValues Import(string path, Architecture architecture, out ImportReport report, ImportOptions? options = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        options ??= new ImportOptions();
        long values = architecture.ParameterCount + architecture.State.Sum(s => s.Count);
        long maxBytes = options.MaxBytes ?? 16 * values + (64L << 20);
        using var file = ReadTensors(path, maxBytes);

        // names in the file -> the architecture's names
        var byName = new Dictionary<string, (string Source, Tensor Tensor)>(StringComparer.Ordinal);
        var ignored = new List<string>(file.Skipped);
        var extra = new List<string>();
        var problems = new List<string>();
        var ignore = options.Ignore.Select(Glob).ToList();
        foreach (var (source, tensor) in file.Tensors)
        {
            string? name = options.Rename is null ? source : options.Rename(source);
            if (name is null) { ignored.Add(source); continue; }
            bool known = architecture.HasParameter(name) || architecture.HasState(name);
            if (!known)
            {
                if (options.IgnoreUnknown || ignore.Any(g => g.IsMatch(name))) ignored.Add(source);
                else extra.Add(source == name ? name : $"{source} (as {name})");
                continue;
            }
            if (!byName.TryAdd(name, (source, tensor))) problems.Add($"'{byName[name].Source}' and '{source}' both map to {name}");
        }

        var missing = new List<string>();
        var converted = new List<string>();
        var initialState = new List<string>();
        Tensor? Take(string name, long[] shape, bool isState)
        {
            if (!byName.TryGetValue(name, out var found))
            {
                if (isState && options.InitialStateWhenMissing) { initialState.Add(name); return null; }
                missing.Add(name);
                return null;
            }
            var t = found.Tensor;
            if (!t.shape.SequenceEqual(shape))
            {
                problems.Add($"{found.Source}: shape [{string.Join(", ", t.shape)}] in the file, [{string.Join(", ", shape)}] in {architecture.DisplayName}");
                return null;
            }
            if (t.dtype is not (ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16))
            {
                problems.Add($"{found.Source}: dtype {t.dtype}, not floating point");
                return null;
            }
            if (t.dtype != ScalarType.Float32) converted.Add($"{found.Source} ({t.dtype})");
            return t;
        }
        var parameters = architecture.Parameters.Select(p => Take(p.Name, p.Shape, false)).ToList();
        var state = architecture.State.Select(s => Take(s.Name, s.Shape, true)).ToList();

        if (missing.Count > 0 || extra.Count > 0 || problems.Count > 0)
            throw new WeightsFileException(path, Mismatch(architecture, missing, extra, problems, byName.Keys));

        // owned float32 copies on the device; intermediates die with this scope, the copies leave it
        using var scope = NewDisposeScope();
        using var no = no_grad();
        Tensor Own(Tensor t) => t.to(float32).to(device ?? CPU).contiguous().clone().DetachFromDisposeScope();
        var ownedParameters = parameters.Select(t => Own(t!)).ToList();
        var ownedState = architecture.State.Select((s, i) => state[i] is { } t ? Own(t)
            : full(s.Shape, s.Initial, dtype: float32, device: device ?? CPU).DetachFromDisposeScope()).ToList();
        report = new ImportReport(path, file.Format, ignored, converted, initialState);
        return new NetworkValues(architecture, ownedParameters, ownedState);
    }

    /// <summary>One message for every mismatch, with a hint when the file's names carry a prefix the architecture's lack.</summary>
    static string Mismatch(Architecture architecture, List<string> missing, List<string> extra, List<string> problems, IEnumerable<string> matched)
    {
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"missing from the file: {string.Join(", ", missing)}");
        if (extra.Count > 0) parts.Add($"not in {architecture.DisplayName}: {string.Join(", ", extra.Order(StringComparer.Ordinal))} " +
                                       "(leave such tensors out with ImportOptions.Ignore or IgnoreUnknown, or map names with ImportOptions.Rename)");
        parts.AddRange(problems);
        // e.g. "module.fc1.weight" for "fc1.weight": suggest stripping the prefix
        if (missing.Count > 0 && extra.Count > 0)
        {
            var prefixes = missing.Select(m => extra.FirstOrDefault(e => e.EndsWith("." + m, StringComparison.Ordinal)) is { } e ? e[..^m.Length] : null).Distinct().ToList();
            if (prefixes.Count == 1 && prefixes[0] is { } prefix)
                parts.Add($"the file's names look like the architecture's with the prefix '{prefix}': Rename = n => n.StartsWith(\"{prefix}\") ? n[{prefix.Length}..] : n");
        }
        return $"does not match {architecture.DisplayName} ({architecture.Parameters.Count} parameter and {architecture.State.Count} state tensors): " + string.Join("; ", parts);
    }

    static System.Text.RegularExpressions.Regex Glob(string pattern) =>
        new("^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$");

    /// <summary>
    /// Writes the parameters and state of <paramref name="values"/> under the architecture's names, float32, atomically;
    /// the format is <paramref name="format"/> or the one the extension names (.safetensors, .pt/.pth/.bin, .dat).
    /// </summary>
    public static void Export(NetworkValues values, string path, WeightsFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var chosen = format ?? WeightsFormats.FromExtension(path)
            ?? throw new ArgumentException($"{path}: say the format (.safetensors, .pt, .pth, .bin or .dat, or pass a WeightsFormat)");
        var a = values.Architecture;
        using var scope = NewDisposeScope();
        using var no = no_grad();
        var tensors = a.Parameters.Select((p, i) => new KeyValuePair<string, Tensor>(p.Name, values.Parameters[i]))
            .Concat(a.State.Select((s, i) => new KeyValuePair<string, Tensor>(s.Name, values.State[i])))
            .Select(kv => new KeyValuePair<string, Tensor>(kv.Key, kv.Value.detach().to(float32).cpu().contiguous()))
            .ToList();
        byte[] bytes = chosen switch
        {
            WeightsFormat.Safetensors => SafetensorsFile.Write(tensors),
            WeightsFormat.PyTorch => PyTorchFile.Write(tensors),
            WeightsFormat.TorchSharp => TorchSharpFile.Write(tensors),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>
    /// Decodes a compressed-model file with the decoder its method names and exports the network (see <see cref="Export"/>).
    /// The architecture is <paramref name="architecture"/>, or the registered one the file names (<see cref="Architectures.Create"/>).
    /// </summary>
    public static DecompressedFile Decompress(string compressedPath, string outputPath, Architecture? architecture = null, WeightsFormat? format = null)
    {
        var model = CompressedModelFile.Read(compressedPath);
        var chosen = format ?? WeightsFormats.FromExtension(outputPath)
            ?? throw new ArgumentException($"{outputPath}: say the format (.safetensors, .pt, .pth, .bin or .dat)");
        if (architecture is null && !Architectures.TryCreate(model.Architecture, out architecture))
            throw new ArgumentException($"{compressedPath}: the file's architecture '{model.Architecture}' is not registered (registered: {string.Join(", ", Architectures.Known)}); " +
                                        "pass the Architecture object, or register it with Architectures.Register");
        using var decoded = CompressionMethods.Decode(model, architecture!);
        Export(decoded, outputPath, chosen);
        return new DecompressedFile(compressedPath, outputPath, chosen, model.Method, architecture!.Id, architecture.Parameters.Count + architecture.State.Count,
            architecture.ParameterCount + architecture.State.Sum(s => s.Count), new FileInfo(outputPath).Length);
    }
}
