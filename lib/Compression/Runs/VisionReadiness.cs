// Whether a CIFAR-10 or ImageNet notebook can run its budget here, and if not, why and the commands that make it
// run. The smoke budget always can (it writes synthetic data in the real formats); quick and paper need the real data
// set and, unless asked otherwise, a CUDA device (on a CPU they would take days to months: see README, "CIFAR-10 and ImageNet").
// The notebooks print the message and leave their later cells idle, so `make reproduce` finishes without them.
using Compression.Data;
using Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Runs;

public static class VisionReadiness
{
    // Folders are named as the caller gave them (notebooks pass paths relative to their own folder), so an executed
    // notebook holds no path of the machine that ran it.
    /// <summary>Null when notebook <paramref name="notebook"/> (e.g. "10-epr-cifar10") can run <paramref name="budget"/> on CIFAR-10 here; else why not and how.</summary>
    public static string? Cifar10(string dataDir, string budget, Device device, bool allowCpu, string notebook) =>
        budget == "smoke" ? null
        : !Data.Cifar10.IsPresent(dataDir)
            ? $"CIFAR-10 is not in {Cifar10Files.DirectoryFor(dataDir)}.\n" +
              $"Get it (170 MB, checksums verified): make data-cifar10   (or, with the archive at hand: make data-cifar10 CIFAR10_ARCHIVE=<cifar-10-binary.tar.gz>)\n" +
              $"Then: {RunCommand(notebook, budget)}"
            : Device(device, allowCpu, notebook, budget);

    /// <summary>Null when the ImageNet notebook can run <paramref name="budget"/> here; else why not and how.</summary>
    public static string? ImageNet(string dataDir, string budget, Device device, bool allowCpu, string notebook) =>
        budget == "smoke" ? null
        : !Data.ImageNet.IsPresent(dataDir)
            ? $"ImageNet is not prepared in {ImageNetPreparation.DirectoryFor(dataDir)} (it cannot be downloaded without an ImageNet account).\n" +
              $"Prepare it from your ILSVRC2012 files: {ImageNetPreparation.PrepareCommand}\n" +
              $"Then: {RunCommand(notebook, budget)}"
            : Device(device, allowCpu, notebook, budget);

    static string? Device(Device device, bool allowCpu, string notebook, string budget) =>
        device.type == DeviceType.CUDA || allowCpu ? null
        : $"No CUDA device: the {budget} budget would take days to months on this CPU (README, \"CIFAR-10 and ImageNet\", estimates the time on one GPU).\n" +
          $"Run it on a machine with an NVIDIA GPU: {RunCommand(notebook, budget)}\n" +
          $"(or force the CPU: make nb-{notebook} BUDGET={budget} NB_ALLOWCPU=true)";

    static string RunCommand(string notebook, string budget) => $"make nb-{notebook} BUDGET={budget} TORCH=cuda";

    /// <summary>Prints the notebook's verdict; true when it runs.</summary>
    public static bool Report(string? whyNot, TextWriter? output = null)
    {
        output ??= Console.Out;
        if (whyNot is null) return true;
        output.WriteLine("This notebook did not run its budget here.");
        output.WriteLine(whyNot);
        output.WriteLine("The cells below do nothing in this run.");
        return false;
    }
}
