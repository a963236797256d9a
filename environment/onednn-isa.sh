#!/usr/bin/env bash
# Prints the oneDNN instruction set (a value for ONEDNN_MAX_CPU_ISA) to run this package's trainings with: the
# fastest whose float32 convolutions agree with float64 on this machine.
#   environment/onednn-isa.sh <Experiments.dll> [dotnet]
# libtorch 2.10's oneDNN AVX, AVX2 and AVX-512 convolution kernels returned wrong values (relative error ~0.14) on
# some of this package's build machines and right ones on others of the same CPU model, so the choice is made per
# machine, by running `Experiments check-convolution` (output and gradients of LeNet5-Caffe's convolutions against
# float64) in a child process under ALL, AVX2 and AVX in turn. SSE41, always right where measured, is the fallback,
# also when the program is not built yet. The answer is cached per machine (CPU model, flags, host name, libtorch) in
# .onednn-isa/ so that every notebook does not pay the ~5 s probe again. A value already set in the environment wins.
set -euo pipefail
experiments="${1:?usage: onednn-isa.sh <Experiments.dll> [dotnet]}"
dotnet="${2:-dotnet}"
if [ -n "${ONEDNN_MAX_CPU_ISA:-}" ]; then echo "$ONEDNN_MAX_CPU_ISA"; exit 0; fi
if [ ! -f "$experiments" ]; then echo SSE41; exit 0; fi
here="$(cd "$(dirname "$0")/.." && pwd)"
key="$( { grep -m1 'model name' /proc/cpuinfo || true; grep -m1 '^flags' /proc/cpuinfo || true; hostname; \
          stat -c "%s" "$(dirname "$experiments")/runtimes/linux-x64/native/libtorch_cpu.so" 2>/dev/null || true; } | sha256sum | cut -c1-16)"
cache="$here/.onednn-isa/$key"
if [ -s "$cache" ]; then cat "$cache"; exit 0; fi
choice=SSE41
for isa in ALL AVX2 AVX; do
    status=0; ONEDNN_MAX_CPU_ISA=$isa timeout 120 "$dotnet" "$experiments" check-convolution >&2 || status=$?
    if [ "$status" = 0 ]; then choice=$isa; break; fi
    # 1: wrong convolutions under this instruction set, try the next; anything else: the probe itself failed,
    # so answer the safe value without caching it
    if [ "$status" != 1 ]; then echo "onednn-isa.sh: the probe failed (exit $status); using SSE41" >&2; echo SSE41; exit 0; fi
done
mkdir -p "$here/.onednn-isa"
tmp="$cache.$$"; echo "$choice" > "$tmp"; mv -f "$tmp" "$cache"
echo "$choice"
