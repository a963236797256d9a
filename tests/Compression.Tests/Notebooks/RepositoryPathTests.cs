// Paths a notebook prints hold no path of this machine: Repository.Path gives paths inside the repository relative to
// the working directory (the notebook's folder), and the assembly resolver of the notebook helpers hands out the
// instance already loaded (one TorchSharp per process, so PyBridge recognises the notebook's tensors).
using System.Reflection;
using Compression.Notebooks;
using Compression.Notebooks.Display;

namespace Compression.Tests.Notebooks;

public class RepositoryPathTests
{
    [Fact]
    public void PathsInsideTheRepositoryComeBackRelativeToTheWorkingDirectoryAndResolveToTheSameFile()
    {
        var root = Repository.Root();
        var path = Repository.Path("notebooks/00-ideas.ipynb");
        Assert.False(System.IO.Path.IsPathRooted(path));
        Assert.DoesNotContain(root, path);
        Assert.Equal(System.IO.Path.Combine(root, "notebooks", "00-ideas.ipynb"), System.IO.Path.GetFullPath(path));
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void AbsolutePathsStayAsTheyAre() =>
        Assert.Equal("/tmp/elsewhere/data", Repository.Path("/tmp/elsewhere/data"));

    [Fact]
    public void TheResolverHandsOutTheLoadedInstanceAtTheRequestedVersionOrLater()
    {
        var torch = typeof(TorchSharp.torch).Assembly;
        var name = torch.GetName();
        Assert.Same(torch, SharedAssemblies.Loaded(new AssemblyName(name.Name!) { Version = new Version(0, 1) }));
        Assert.Same(torch, SharedAssemblies.Loaded(new AssemblyName(name.Name!)));
        Assert.Null(SharedAssemblies.Loaded(new AssemblyName(name.Name!) { Version = new Version(name.Version!.Major + 1, 0) }));
        Assert.Null(SharedAssemblies.Loaded(new AssemblyName("No.Such.Assembly")));
        var core = typeof(object).Assembly.GetName();
        Assert.Null(SharedAssemblies.Loaded(new AssemblyName(core.Name!)));   // only TorchSharp's family is shared
    }
}
