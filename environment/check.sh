#!/usr/bin/env bash
# Checks what the package needs before anything is built: the .NET 10 SDK, npm (until the report assets are
# installed) and a known libtorch backend.
# Called by every Makefile target; prints one clear line and exits non-zero when something is missing.
set -euo pipefail
backend="${1:-cpu}"
if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET SDK is not installed. Install the .NET 10 SDK (https://dotnet.microsoft.com/download) and run again." >&2
  exit 1
fi
if ! dotnet --list-sdks 2>/dev/null | grep -Eq '^(1[0-9]|[2-9][0-9])\.'; then
  echo "error: the .NET 10 SDK (or newer) is required; found: $(dotnet --list-sdks | tr '\n' ' ')" >&2
  exit 1
fi
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -f "$here/report-assets/node_modules/mathjax/es5/tex-svg-full.js" ] && ! command -v npm >/dev/null 2>&1; then
  echo "error: npm (Node.js) is needed once, to install the HTML reports' MathJax and plotly.js (environment/report-assets); install Node.js and run again." >&2
  exit 1
fi
case "$backend" in
  cpu|cuda) ;;
  *) echo "error: TORCH must be cpu or cuda, not '$backend'" >&2; exit 1 ;;
esac
if [ "$backend" = cuda ] && [ "$(uname -s)" = Linux ] && ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "warning: TORCH=cuda but nvidia-smi is not on PATH; libtorch will fall back to errors if no GPU is visible." >&2
fi
exit 0
