// Where tensors live: CUDA when libtorch has it and nobody said otherwise, CPU otherwise.
// REPRO_DEVICE=cpu|cuda overrides the choice; asking for cuda without it is an error, not a silent fallback.
using TorchSharp;

namespace Compression.Training;

public static class Devices
{
    public const string EnvironmentVariable = "REPRO_DEVICE";

    public static torch.Device Choose(string? requested = null)
    {
        requested ??= Environment.GetEnvironmentVariable(EnvironmentVariable);
        switch (requested?.Trim().ToLowerInvariant())
        {
            case null or "" or "auto":
                return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
            case "cpu":
                return torch.CPU;
            case "cuda":
                if (!torch.cuda.is_available())
                    throw new InvalidOperationException("CUDA was requested but libtorch reports no CUDA device; build with `make ... TORCH=cuda` on a machine with an NVIDIA GPU, or use REPRO_DEVICE=cpu.");
                return torch.CUDA;
            default:
                throw new ArgumentException($"unknown device '{requested}' (use auto, cpu or cuda)");
        }
    }

    /// <summary>Makes CPU runs repeatable: one seed for libtorch, a fixed number of threads.</summary>
    public static void Seed(long seed, int? threads = null)
    {
        torch.manual_seed(seed);
        if (torch.cuda.is_available()) torch.cuda.manual_seed_all(seed);
        torch.set_num_threads(threads ?? Math.Max(1, Environment.ProcessorCount));
    }
}
