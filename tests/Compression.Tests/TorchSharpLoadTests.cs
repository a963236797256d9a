// TorchSharp must load and train on this machine: the build's libstdc++ fix is what makes that possible
// on Debian 12 / Ubuntu 22.04.
using TorchSharp;
using static TorchSharp.torch;

namespace Compression.Tests;

public class TorchSharpLoadTests
{
    [Fact]
    public void LoadsAndTrainsAFewSteps()
    {
        Compression.Training.Devices.Seed(7, threads: 1);
        using var scope = NewDisposeScope();
        var model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1));
        var x = randn(64, 4);
        var y = x.sum(1, keepdim: true);
        var opt = optim.Adam(model.parameters(), lr: 1e-2);
        float first = 0, last = 0;
        for (int step = 0; step < 100; step++)
        {
            opt.zero_grad();
            var loss = nn.functional.mse_loss(model.call(x), y);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < first / 10, $"loss went from {first} to {last}");
    }

    [Fact]
    public void BuildOutputLibraryIsPatchedWhenSystemLacksTheVersion()
    {
        var lib = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", LibStdCxxVersionFix.LibraryFileName);
        if (!OperatingSystem.IsLinux()) return;
        Assert.True(File.Exists(lib), $"{lib} missing from the test output");
        var system = LibStdCxxVersionFix.FindSystemLibStdCxx();
        Assert.NotNull(system);
        var needs = LibStdCxxVersionFix.ReadVersionNeeds(File.ReadAllBytes(lib));
        var systemBytes = File.ReadAllBytes(system!);
        foreach (var need in needs.Where(n => n.File.StartsWith("libstdc++")))
            Assert.True(LibStdCxxVersionFix.DefinesVersion(systemBytes, need.Version) || need.IsWeak,
                $"{need.Version} is required strongly but {system} lacks it");
    }
}
