// CPU time of the calling thread (Linux clock_gettime(CLOCK_THREAD_CPUTIME_ID)): on a shared, loaded machine
// it counts only the cycles this benchmark got, unlike wall time. Falls back to wall time elsewhere.
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Benchmarks;

static partial class ThreadClock
{
    const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    public static bool IsThreadTime { get; } = OperatingSystem.IsLinux() && Probe();

    static bool Probe()
    {
        try { return ClockGetTime(ClockThreadCpuTimeId, out _) == 0; }
        catch (DllNotFoundException) { return false; }
        catch (EntryPointNotFoundException) { return false; }
    }

    /// <summary>Seconds of CPU time this thread has used (or a wall-clock reading where that is unavailable).</summary>
    public static double Now()
    {
        if (IsThreadTime && ClockGetTime(ClockThreadCpuTimeId, out var t) == 0) return t.Seconds + t.Nanoseconds * 1e-9;
        return Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
    }
}
