#!/usr/bin/env bash
# Build the one-folder desktop bundle (dist/backroom/) and smoke-test it:
# the frozen binary opens the main window on the demo store offscreen,
# renders one invoice to a PDF and exits 0. Prints the bundle's size and the
# timings.
#
#   bash packaging/build.sh            # uses .venv (created by `bash .ci/dev setup`)
#   VENV=/path/to/venv bash packaging/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${VENV:-}" ]; then
  bash .ci/dev setup
  VENV=.venv
fi
python="$VENV/bin/python"
"$python" -m pip install -q 'pyinstaller>=6.10'
# PyInstaller reads and strips Linux libraries with binutils (objdump, strip)
if [ "$(uname)" = Linux ] && ! command -v objdump >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends binutils >/dev/null
  else
    echo "PyInstaller needs binutils (objdump, strip): install them first" >&2
    exit 1
  fi
fi

started=$(date +%s)
"$python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/backroom.spec
built=$(date +%s)

bundle=dist/backroom
size=$(du -sm "$bundle" | cut -f1)
echo "Bundle: $bundle — ${size} MB, built in $((built - started)) s"

smoke_dir=$(mktemp -d)
trap 'rm -rf "$smoke_dir"' EXIT
export QT_QPA_PLATFORM=offscreen
if [ "$(id -u)" = 0 ]; then
  export QTWEBENGINE_CHROMIUM_FLAGS="${QTWEBENGINE_CHROMIUM_FLAGS:---no-sandbox}"
fi
pdf="$smoke_dir/smoke.pdf"
smoke_start=$(date +%s%N)
BACKROOM_DATA_DIR="$smoke_dir/data" "$bundle/backroom" --demo --smoke "$pdf"
smoke_end=$(date +%s%N)
[ -s "$pdf" ] || { echo "smoke test: no PDF was written" >&2; exit 1; }
head -c 5 "$pdf" | grep -q '%PDF-' || { echo "smoke test: $pdf is not a PDF" >&2; exit 1; }
echo "Smoke test passed: window, demo store, invoice PDF ($(wc -c <"$pdf") bytes)" \
  "in $(( (smoke_end - smoke_start) / 1000000 )) ms"
