#!/usr/bin/env bash
# Jupyter's command line and notebook executor (jupyter nbconvert, nbclient, jupyter kernelspec), which the notebook
# tests and `make jupyter` need. Installs Debian's packages when they are missing and this is root on a Debian-like
# system; otherwise says what to install. A reader's own JupyterLab or VS Code (any install) needs nothing from here.
set -euo pipefail
have() { command -v jupyter >/dev/null 2>&1 && jupyter nbconvert --version >/dev/null 2>&1 && jupyter kernelspec --version >/dev/null 2>&1; }
if have; then exit 0; fi
packages="jupyter-nbconvert python3-nbclient jupyter-client"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Jupyter's executor: apt-get install $packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends $packages >/dev/null
  have && exit 0
fi
echo "error: Jupyter's nbconvert and kernelspec commands are missing. Install them (Debian/Ubuntu: sudo apt-get install $packages;" >&2
echo "       elsewhere: pip install nbconvert nbclient jupyter_client) and run again." >&2
exit 1
