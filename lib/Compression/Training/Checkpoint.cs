// Resumable training: the step, a JSON note (curves so far, settings), the float32 tensors a method
// trains and its optimizers' states, written atomically so an interruption never leaves a broken file.
using System.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Compression.Training;

public sealed record CheckpointState(long Step, string Note);

public static class Checkpoint
{
    const uint Magic = 0x54504B43; // "CKPT"
    const byte Version = 1;

    public static void Save(string path, long step, string note, IReadOnlyList<Tensor> tensors, IReadOnlyList<OptimizerHelper> optimizers)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        using (var w = new BinaryWriter(stream, Encoding.UTF8))
        {
            w.Write(Magic); w.Write(Version); w.Write(step); w.Write(note);
            w.Write(tensors.Count);
            foreach (var t in tensors)
            {
                using var cpu = t.detach().to(float32).cpu().contiguous();
                w.Write(cpu.shape.Length);
                foreach (var d in cpu.shape) w.Write(d);
                var values = cpu.data<float>().ToArray();
                w.Write(values.Length);
                foreach (var v in values) w.Write(v);
            }
            w.Write(optimizers.Count);
            foreach (var o in optimizers) o.save_state_dict(w);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Restores tensors (in place) and optimizer states; null when there is no checkpoint.</summary>
    public static CheckpointState? TryLoad(string path, IReadOnlyList<Tensor> tensors, IReadOnlyList<OptimizerHelper> optimizers)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            if (r.ReadUInt32() != Magic || r.ReadByte() != Version) throw new InvalidDataException("not a checkpoint of this version");
            long step = r.ReadInt64();
            string note = r.ReadString();
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
                    var values = new float[n];
                    for (int i = 0; i < n; i++) values[i] = r.ReadSingle();
                    using var source = tensor(values, shape);
                    t.copy_(source);
                }
            }
            int nopt = r.ReadInt32();
            if (nopt != optimizers.Count) throw new InvalidDataException($"holds {nopt} optimizer states, the run has {optimizers.Count}");
            foreach (var o in optimizers) o.load_state_dict(r);
            return new CheckpointState(step, note);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException)
        {
            throw new InvalidDataException($"{path}: unusable checkpoint ({e.Message}); delete it to start over", e);
        }
    }
}
