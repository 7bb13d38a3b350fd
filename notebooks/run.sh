#!/usr/bin/env bash
# Executes every notebook in notebooks/ top to bottom and fails on any cell error.
#
# 1. checks that the committed notebooks carry no outputs (check_stripped.py);
# 2. creates, or reuses, a venv with the exact pins of requirements.txt;
# 3. builds the release binary (or uses $SAGIGUARD_BIN);
# 4. runs each notebook with nbconvert into an output folder, never over the committed file.
#
# Settings (environment):
#   SAGIGUARD_NOTEBOOK_VENV  the venv          (default target/notebooks/venv)
#   SAGIGUARD_NOTEBOOK_OUT   executed copies   (default target/notebooks/executed)
#   SAGIGUARD_NOTEBOOK_WORK  models and scores (default target/notebooks/work)
#   SAGIGUARD_BIN            a built sagiguard (default: cargo build --release --locked); CI,
#                            whose `cargo test` has built target/debug/sagiguard, can pass that
#                            one and skip the release build (the notebooks then take ~1 min)
#   PYTHON                   the interpreter   (default python3; the pins are for CPython 3.11)
#
# Needs: Rust, CPython 3.11 with pip, Debian's mecab-ipadic, and for Japanese in the plots
# Debian's fonts-ipafont-gothic (without it the plots show boxes and a warning).
set -euo pipefail

# Relative paths in the settings are relative to where run.sh was called from; the notebooks
# run in notebooks/, so everything handed to them is made absolute first.
absolute() { realpath -m -- "$1"; }
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$(absolute "${SAGIGUARD_NOTEBOOK_VENV:-$root/target/notebooks/venv}")
out=$(absolute "${SAGIGUARD_NOTEBOOK_OUT:-$root/target/notebooks/executed}")
if [ -n "${SAGIGUARD_NOTEBOOK_WORK:-}" ]; then
    SAGIGUARD_NOTEBOOK_WORK=$(absolute "$SAGIGUARD_NOTEBOOK_WORK")
    export SAGIGUARD_NOTEBOOK_WORK
fi
if [ -n "${SAGIGUARD_BIN:-}" ]; then
    SAGIGUARD_BIN=$(absolute "$SAGIGUARD_BIN")
fi
python=${PYTHON:-python3}
export SAGIGUARD_ROOT=$root
cd "$root"

echo "== notebooks: committed without outputs"
"$python" notebooks/check_stripped.py

echo "== notebooks: python environment in $venv"
requirements=notebooks/requirements.txt
stamp="$venv/.requirements.sha256"
wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
    echo "reusing it (requirements.txt unchanged)"
else
    version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    if [ "$version" != "3.11" ]; then
        echo "warning: $python is Python $version; requirements.txt is pinned for 3.11" >&2
    fi
    start=$SECONDS
    "$python" -m venv "$venv"
    PIP_ROOT_USER_ACTION=ignore "$venv/bin/python" -m pip install --quiet \
        --disable-pip-version-check --no-input \
        -r "$requirements"
    echo "$wanted" >"$stamp"
    echo "installed in $((SECONDS - start)) s"
fi

echo "== notebooks: sagiguard binary"
if [ -z "${SAGIGUARD_BIN:-}" ]; then
    cargo build --release --locked
    SAGIGUARD_BIN=$root/target/release/sagiguard
fi
export SAGIGUARD_BIN
echo "$SAGIGUARD_BIN"

if ! compgen -G "/usr/share/fonts/*/ipafont-gothic/ipag.ttf" >/dev/null \
    && ! compgen -G "/usr/share/fonts/opentype/noto/NotoSansCJK-*.ttc" >/dev/null; then
    echo "warning: no Japanese font: the plots will show boxes for Japanese text" \
        "(apt-get install fonts-ipafont-gothic)" >&2
fi

echo "== notebooks: execute into $out"
# Headless: Agg draws everything; the notebooks' inline backend is Agg rendering PNGs.
export MPLBACKEND=Agg
# Keep Jupyter's kernel specs, config and runtime files inside the venv, so that a kernel
# registered elsewhere for this user cannot replace the venv's own python3 kernel.
export JUPYTER_DATA_DIR="$venv/share/jupyter" JUPYTER_CONFIG_DIR="$venv/etc/jupyter"
export JUPYTER_RUNTIME_DIR="$venv/share/jupyter/runtime" IPYTHONDIR="$venv/etc/ipython"
export JUPYTER_PLATFORM_DIRS=1 PYDEVD_DISABLE_FILE_VALIDATION=1
mkdir -p "$out" "$IPYTHONDIR"
for notebook in notebooks/*.ipynb; do
    start=$SECONDS
    "$venv/bin/jupyter" nbconvert --execute --to notebook --output-dir "$out" \
        --ExecutePreprocessor.timeout=600 "$notebook"
    echo "$notebook: ran in $((SECONDS - start)) s -> $out/$(basename "$notebook")"
done
