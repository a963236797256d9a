// torch.save's zip format (PyTorch 1.6 and later): "<archive>/data.pkl" pickles the state_dict, whose tensors point
// (pickle persistent ids) at storages "<archive>/data/<key>" holding raw little-endian bytes. TorchSharp.PyBridge
// unpickles it (Razorvine.Pickle: no code runs, only tensors, dicts and plain values are built). Before that the
// archive is checked here: one data.pkl, and the entries' declared sizes within the caller's bound (the zip reader
// stops at those sizes). Nested dicts (a training checkpoint's {"model": state_dict, "epoch": 3}) are flattened with
// dots ("model.fc1.weight"); values that are not tensors are listed as skipped.
using System.Collections;
using System.IO.Compression;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Compression.Interop;

static class PyTorchFile
{
    public static TensorFile Read(string path, Stream stream, long maxBytes)
    {
        CheckArchive(path, stream, maxBytes);
        stream.Position = 0;
        Hashtable root;
        try { root = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true); }
        catch (InvalidCastException) { throw new WeightsFileException(path, "data.pkl does not hold a dict (torch.save(model) pickles the whole model: save model.state_dict() instead)"); }
        catch (NotImplementedException e) { throw new WeightsFileException(path, e.Message); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new WeightsFileException(path, $"not a readable torch.save file ({e.GetType().Name}: {e.Message})");
        }
        var tensors = new List<KeyValuePair<string, Tensor>>();
        var skipped = new List<string>();
        Flatten(root, "", tensors, skipped, depth: 0);
        tensors.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        skipped.Sort(StringComparer.Ordinal);
        return new TensorFile(path, WeightsFormat.PyTorch, tensors, skipped);
    }

    static void CheckArchive(string path, Stream stream, long maxBytes)
    {
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            var pickles = zip.Entries.Where(e => e.FullName == "data.pkl" || e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)).ToList();
            if (pickles.Count != 1)
                throw new WeightsFileException(path, pickles.Count == 0 ? "a zip archive without data.pkl: not written by torch.save" : "a zip archive with several data.pkl entries");
            long total = 0;
            foreach (var e in zip.Entries)
            {
                total += e.Length;
                if (e.Length < 0 || total > maxBytes)
                    throw new WeightsFileException(path, $"the archive's entries declare more than {maxBytes:N0} bytes (the import's bound; see ImportOptions.MaxBytes)");
            }
        }
        catch (InvalidDataException e)
        {
            throw new WeightsFileException(path, $"a corrupt zip archive ({e.Message})");
        }
    }

    static void Flatten(IDictionary dict, string prefix, List<KeyValuePair<string, Tensor>> tensors, List<string> skipped, int depth)
    {
        foreach (DictionaryEntry item in dict)
        {
            string name = prefix + Convert.ToString(item.Key, System.Globalization.CultureInfo.InvariantCulture);
            switch (item.Value)
            {
                case Tensor t: tensors.Add(new(name, t)); break;
                case IDictionary inner when depth < 8: Flatten(inner, name + ".", tensors, skipped, depth + 1); break;
                default: skipped.Add($"{name} ({item.Value?.GetType().Name ?? "None"})"); break;
            }
        }
    }

    /// <summary>The file's bytes: PyBridge's pickler (a dict of tensors, one storage entry per tensor).</summary>
    public static byte[] Write(IReadOnlyList<KeyValuePair<string, Tensor>> tensors)
    {
        using var memory = new MemoryStream();
        var dict = new Dictionary<string, Tensor>();
        foreach (var kv in tensors) dict.Add(kv.Key, kv.Value);
        PyTorchPickler.PickleStateDict(memory, dict, leaveOpen: true);
        return memory.ToArray();
    }
}
