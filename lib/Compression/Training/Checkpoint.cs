// Resumable training, in one place. A checkpoint holds the step, a JSON note (curves so far, counters), the
// float32 tensors a method trains and its optimizers' states, and the fingerprint of the run's settings; it is
// written atomically, so an interruption never leaves a broken file. Its name carries a hash of the fingerprint,
// so changing a knob starts a fresh run instead of resuming (or refusing) someone else's.
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Datasets;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Training;

public sealed class Checkpoint(string path, string fingerprint, IReadOnlyList<Tensor> tensors, IReadOnlyList<OptimizerHelper> optimizers)
{
    const uint Magic = 0x54504B43; // "CKPT"
    const byte Version = 2;

    public string Path { get; } = path;
    public string Fingerprint { get; } = fingerprint;

    /// <summary>&lt;directory&gt;/&lt;stage&gt;-&lt;12 hex digits of SHA-256(fingerprint)&gt;.ckpt</summary>
    public static string PathFor(string directory, string stage, string fingerprint) =>
        System.IO.Path.Combine(directory, $"{stage}-{Hash(fingerprint)}.ckpt");

    public static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12].ToLowerInvariant();

    /// <summary>What identifies a given starting network in a fingerprint: "initial:" and a hash of its parameters' values.</summary>
    public static string KeyOf(Models.NetworkValues network) =>
        "initial:" + Hash(string.Join(",", Enumerable.Range(0, network.Parameters.Count).Select(i =>
            Convert.ToHexString(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(network.ParameterFloats(i).AsSpan()))))));

    sealed record Envelope(string Fingerprint, string Note);

    public bool Exists => File.Exists(Path);

    /// <summary>Writes the step, the note and the tensors' and optimizers' current values, atomically.</summary>
    public void Save<TNote>(long step, TNote note)
    {
        var envelope = JsonSerializer.Serialize(new Envelope(Fingerprint, JsonSerializer.Serialize(note)));
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic); w.Write(Version); w.Write(step); w.Write(envelope);
            w.Write(tensors.Count);
            foreach (var t in tensors)
            {
                using var cpu = t.detach().to(float32).cpu().contiguous();
                w.Write(cpu.shape.Length);
                foreach (var d in cpu.shape) w.Write(d);
                var values = cpu.data<float>();
                w.Write((int)values.Count);
                w.Write(cpu.bytes);
            }
            w.Write(optimizers.Count);
            foreach (var o in optimizers) o.save_state_dict(w);
        }
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        AtomicFile.WriteAllBytes(Path, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>
    /// Restores the tensors (in place) and optimizer states and returns the step and note; null when there is no
    /// checkpoint. A checkpoint of other settings or an unreadable one is an error that names the file.
    /// </summary>
    public (long Step, TNote Note)? Resume<TNote>()
    {
        if (!File.Exists(Path)) return null;
        try
        {
            using var r = new BinaryReader(File.OpenRead(Path), Encoding.UTF8);
            if (r.ReadUInt32() != Magic || r.ReadByte() != Version) throw new InvalidDataException("not a checkpoint of this version");
            long step = r.ReadInt64();
            var envelope = JsonSerializer.Deserialize<Envelope>(r.ReadString()) ?? throw new InvalidDataException("no note");
            if (envelope.Fingerprint != Fingerprint)
                throw new InvalidDataException($"it belongs to another run ({envelope.Fingerprint}; this one is {Fingerprint})");
            int count = r.ReadInt32();
            if (count != tensors.Count) throw new InvalidDataException($"holds {count} tensors, the run has {tensors.Count}");
            using (no_grad())
            {
                foreach (var t in tensors)
                {
                    int rank = r.ReadInt32();
                    var shape = new long[rank];
                    for (int i = 0; i < rank; i++) shape[i] = r.ReadInt64();
                    if (!shape.SequenceEqual(t.shape)) throw new InvalidDataException($"shape [{string.Join(",", shape)}] does not match [{string.Join(",", t.shape)}]");
                    int n = r.ReadInt32();
                    var bytes = r.ReadBytes(checked(4 * n));
                    if (bytes.Length != 4 * n) throw new EndOfStreamException();
                    using var source = tensor(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray(), shape);
                    t.copy_(source);
                }
            }
            int nopt = r.ReadInt32();
            if (nopt != optimizers.Count) throw new InvalidDataException($"holds {nopt} optimizer states, the run has {optimizers.Count}");
            foreach (var o in optimizers) o.load_state_dict(r);
            var note = JsonSerializer.Deserialize<TNote>(envelope.Note) ?? throw new InvalidDataException("empty note");
            return (step, note);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException or JsonException)
        {
            throw new InvalidDataException($"{Path}: unusable checkpoint ({e.Message}); delete it to start over", e);
        }
    }

    public void Delete()
    {
        if (File.Exists(Path)) File.Delete(Path);
    }
}
