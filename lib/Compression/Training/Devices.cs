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
        torch.set_num_threads(threads ?? DefaultThreads);
    }

    /// <summary>
    /// libtorch threads for a run that does not name its own: $REPRO_THREADS when set (`make -j2 reproduce` sets 1 so
    /// that two notebooks share two cores), else every core.
    /// </summary>
    public static int DefaultThreads
    {
        get
        {
            string? value = Environment.GetEnvironmentVariable("REPRO_THREADS");
            if (string.IsNullOrWhiteSpace(value)) return Math.Max(1, Environment.ProcessorCount);
            if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= 4096)
                return n;
            throw new InvalidOperationException($"REPRO_THREADS='{value}' is not a whole number from 1 to 4096 (unset it to use every core)");
        }
    }
}
