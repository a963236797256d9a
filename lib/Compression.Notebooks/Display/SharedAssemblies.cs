// One instance of each library in a notebook's process. The kernel's script loader gives every `#r` assembly a load
// context of its own; a dependency that no cell names (TorchSharp.PyBridge, pulled in by the library's weights
// import/export) is resolved later through the default context, which would load a second TorchSharp beside the
// notebook's. Types then differ by instance: PyBridge no longer recognises the notebook's tensors as tensors (torch.save
// export failed with "cannot pickle object"). Resolving a name to the instance already loaded keeps one of each.
using System.Reflection;
using System.Runtime.Loader;

namespace Compression.Notebooks.Display;

public static class SharedAssemblies
{
    static int installed;

    /// <summary>Resolves, from now on, a name already loaded to that instance (NotebookFormatting.Register calls it).</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) == 1) return;
        AssemblyLoadContext.Default.Resolving += (_, name) => Loaded(name);
    }

    /// <summary>
    /// A TorchSharp assembly of that name already loaded at the requested version or later; null: resolve as usual (other
    /// names keep the kernel's own resolution, so a cell can still load its own copy of them).
    /// </summary>
    public static Assembly? Loaded(AssemblyName requested) =>
        AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a =>
        {
            var name = a.GetName();
            return requested.Name is string r && r.StartsWith("TorchSharp", StringComparison.Ordinal)
                && string.Equals(name.Name, r, StringComparison.OrdinalIgnoreCase)
                && (requested.Version is null || name.Version >= requested.Version);
        });
}
