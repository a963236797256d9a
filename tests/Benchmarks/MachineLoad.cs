// What a benchmark report says about the machine it ran on: the load average (a figure taken under load is not
// comparable with one taken idle) and the oneDNN instruction set the process was limited to.
namespace Benchmarks;

static class MachineLoad
{
    /// <summary>The 1-, 5- and 15-minute load averages from /proc/loadavg ("n/a" where there is none).</summary>
    public static string Average() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>ONEDNN_MAX_CPU_ISA as this process sees it.</summary>
    public static string Isa() =>
        Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") is { Length: > 0 } v ? v : "(unset: ALL)";
}
