// Resuming a training after a sporadic native failure. TorchSharp 0.107 turns a .NET number used with a tensor
// (x * 0.5) into a Scalar object that owns a native pointer and is freed by its finalizer; the runtime may finalize
// it while libtorch is still reading it (TorchSharp issue/PR #1434), and the call then fails with errors such as
// "Unknown scalar type". It is rare (once in about 100,000 LeNet5-Caffe training steps here) and leaves no corrupt state behind
// the last checkpoint, so a checkpointed training restarts from there instead of losing the run.
using System.Runtime.InteropServices;

namespace Compression.Training;

public static class NativeFailures
{
    public const int MaxRetries = 3;

    /// <summary>
    /// Runs <paramref name="train"/>; when it throws a native (libtorch) exception and a checkpoint path (a file or folder) is set,
    /// says so and runs it again, which resumes from the last checkpoint, at most <see cref="MaxRetries"/> times.
    /// Without a checkpoint the exception propagates unchanged.
    /// </summary>
    public static T Retry<T>(Func<T> train, string? checkpointPath, TextWriter log)
    {
        for (int attempt = 0; ; attempt++)
        {
            try { return train(); }
            catch (ExternalException e) when (checkpointPath != null && attempt < MaxRetries)
            {
                string first = e.Message.Split('\n')[0];
                log.WriteLine($"libtorch failed ({first}); resuming from the last checkpoint in {checkpointPath}, if any " +
                              $"(retry {attempt + 1} of {MaxRetries})");
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }
    }
}
