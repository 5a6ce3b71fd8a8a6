#!/usr/bin/env bash
# Installs what the interop tier (pytest -m interop) checks the exports with, in .interop/
# (git-ignored), beside the project's .venv:
#   - pyld into .venv (the 'interop' extra);
#   - Label Studio 1.23.2 in .interop/ls-venv (its own venv: Django and friends);
#   - doccano 1.8.4 in .interop/doccano-venv, with the two pins its 2023 dependencies need today
#     (environs 9 breaks on marshmallow 4; its pandas 1.x is built against numpy 1);
#   - brat: a checkout of github.com/nlplab/brat in .interop/brat (or REDLINE_BRAT=PATH);
#   - Chromium and chromedriver for the Label Studio editor check come from the system
#     (Debian: apt-get install chromium chromium-driver); this script only says when they are missing.
# Each step is skipped when already done. Run from anywhere; Python 3.11 as python3 (or $PYTHON).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${PYTHON:-python3}"
mkdir -p .interop

[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/pip install -q -e '.[interop]'

if [ ! -x .interop/ls-venv/bin/label-studio ]; then
    "$PY" -m venv .interop/ls-venv
    .interop/ls-venv/bin/pip install -q 'label-studio==1.23.2'
fi

if ! .interop/doccano-venv/bin/python -c 'import backend' 2>/dev/null; then
    "$PY" -m venv .interop/doccano-venv
    .interop/doccano-venv/bin/pip install -q 'doccano==1.8.4' 'marshmallow<4' 'numpy<2'
fi

if [ -z "${REDLINE_BRAT:-}" ] && [ ! -d .interop/brat/server/src ]; then
    if ! timeout 120 git clone -q --depth 1 https://github.com/nlplab/brat .interop/brat; then
        rm -rf .interop/brat
        echo "brat: could not clone github.com/nlplab/brat; put a checkout in .interop/brat" \
             "or set REDLINE_BRAT=PATH (the brat tests are skipped until then)" >&2
    fi
fi
if ! command -v chromedriver >/dev/null || ! { command -v chromium >/dev/null || command -v chromium-browser >/dev/null; }; then
    echo "Chromium and chromedriver not found: the Label Studio editor check will be skipped" \
         "(Debian: apt-get install chromium chromium-driver)" >&2
fi
echo "interop consumers ready: .venv/bin/python -m pytest -m interop"
