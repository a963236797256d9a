#!/usr/bin/env bash
# Installs the .NET Interactive Jupyter kernel the notebooks run in, fixed so that it can load this package.
#
#   environment/jupyter-kernel.sh <kernel-dir> [<jupyter-data-dir>]
#
# 1. Restores the dotnet tool Microsoft.dotnet-interactive at the version pinned in .config/dotnet-tools.json.
# 2. Makes a copy of the tool in <kernel-dir>/dotnet-interactive (hard links where possible) whose FSharp.Core is the
#    one this package's build output holds. The tool ships FSharp.Core 10.0.103 (assembly 10.0.0.0) and loads it at
#    start; Plotly.NET 6.0.0 and DynamicObj 8.0.0 need assembly 10.1.0.0, which the running kernel can then not load
#    ("Could not load file or assembly 'FSharp.Core, Version=10.1.0.0'"). FSharp.Core is backward compatible, so
#    the tool runs on the newer one. The NuGet cache's copy of the tool is never edited.
# 3. Writes the kernel spec ".net-csharp" (the name the notebooks' metadata asks for) that starts that copy with
#    ONEDNN_MAX_CPU_ISA=SSE41 (see the README's environment notes), and installs it with `jupyter kernelspec install`
#    into <jupyter-data-dir>/kernels, or into the user's Jupyter folder when no such folder is given.
# Needs `make build` first (the FSharp.Core to use comes from lib/Compression.Notebooks' build output) and Jupyter's
# command line (`jupyter kernelspec`); see environment/jupyter-tools.sh. Running it again replaces the copy and spec.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
kernel_dir="${1:?usage: jupyter-kernel.sh <kernel-dir> [<jupyter-data-dir>]}"
data_dir="${2:-}"
config="${CONFIG:-Release}"
fsharp="$root/lib/Compression.Notebooks/bin/$config/net10.0/FSharp.Core.dll"
[ -f "$fsharp" ] || { echo "error: $fsharp is missing: run 'make build' first" >&2; exit 1; }
command -v jupyter >/dev/null 2>&1 || { echo "error: Jupyter is not installed: run environment/jupyter-tools.sh (or 'make jupyter')" >&2; exit 1; }

cd "$root"
dotnet tool restore >/dev/null
version="$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' .config/dotnet-tools.json | head -1)"
packages="${NUGET_PACKAGES:-$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')}"
tool="$packages/microsoft.dotnet-interactive/$version/tools/net10.0/any"
[ -f "$tool/Microsoft.DotNet.Interactive.App.dll" ] || { echo "error: the restored tool is not at $tool" >&2; exit 1; }

mkdir -p "$kernel_dir"
kernel_dir="$(cd "$kernel_dir" && pwd)"
copy="$kernel_dir/dotnet-interactive"
staging="$copy.new.$$"
rm -rf "$staging"
cp -al "$tool" "$staging" 2>/dev/null || cp -a "$tool" "$staging"
# Replace (never write through) the hard-linked files we change, so the NuGet cache stays as it was.
rm -f "$staging/FSharp.Core.dll" "$staging/FSharp.Core.xml"
cp "$fsharp" "$staging/FSharp.Core.dll"
rm -rf "$copy" && mv "$staging" "$copy"

spec="$kernel_dir/spec/.net-csharp"
rm -rf "$spec" && mkdir -p "$spec"
cp "$root/environment/kernel-logo-32x32.png" "$spec/logo-32x32.png" 2>/dev/null || true
cp "$root/environment/kernel-logo-64x64.png" "$spec/logo-64x64.png" 2>/dev/null || true
dotnet_path="$(command -v dotnet)"
cat > "$spec/kernel.json" <<EOF
{
  "argv": ["$dotnet_path", "$copy/Microsoft.DotNet.Interactive.App.dll", "jupyter", "--default-kernel", "csharp", "{connection_file}", "--http-local-only"],
  "display_name": ".NET (C#)",
  "language": "C#",
  "env": {
    "ONEDNN_MAX_CPU_ISA": "${ONEDNN_MAX_CPU_ISA:-SSE41}",
    "DOTNET_CLI_TELEMETRY_OPTOUT": "1",
    "DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT": "1",
    "DOTNET_NOLOGO": "1",
    "DOTNET_gcServer": "0"
  },
  "metadata": { "vscode": { "extension_id": "ms-dotnettools.dotnet-interactive-vscode", "kernel_id": "dotnet-interactive" } }
}
EOF
if [ -n "$data_dir" ]; then
  mkdir -p "$data_dir/kernels"
  rm -rf "$data_dir/kernels/.net-csharp" && cp -r "$spec" "$data_dir/kernels/.net-csharp"
  echo "kernel .net-csharp -> $data_dir/kernels/.net-csharp (set JUPYTER_PATH=$data_dir to use it)"
else
  jupyter kernelspec install --user --replace --name .net-csharp "$spec" >/dev/null
  echo "kernel .net-csharp installed for this user ($(jupyter kernelspec list 2>/dev/null | grep -F .net-csharp | awk '{print $2}'))"
fi
