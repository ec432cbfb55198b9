#!/usr/bin/env bash
# durable_rules built with AddressSanitizer, and the tests that create, reuse and delete its
# sessions run again and again under it.
#
#     bash benchmarks/asan.sh [RUNS] [DIR]        (defaults: 20 runs, /tmp/pactwatch-asan)
#     ASAN_TESTS="tests --deselect tests/test_scale.py::test_an_address_space_limit_ends_in_a_message_not_a_segfault" \
#       bash benchmarks/asan.sh 1 DIR           (other tests, here the whole default suite once)
#
# A crash inside durable_rules' C code is rare (docs/reliability.md, "Crashes"); a use after free
# or a double free usually does not crash at all, it corrupts memory that something else reads
# later. ASan reports every invalid access where it happens, crash or not, with the C stack: one
# file per process that saw one, DIR/asan.<pid>. The build goes into its own virtual environment
# in DIR (pactwatch installed editable from this checkout, durable_rules rebuilt from its sdist,
# whose setup.py sets CFLAGS itself, so the flags are patched in); nothing of the project's own
# environment changes. Needs gcc with libasan (Debian: gcc) and PyPI. First the controls
# (asan_control.py): a known use after free and the known overrun of jruizgit/rules#381 inside
# durable_rules must be reported, else exit 2; the same overrun's pattern in the order pactwatch
# compiles (rules/join_order.py) must not be, else exit 1.
# Exit 1 if ASan reported anything in the runs or a run failed.
set -euo pipefail

RUNS=${1:-20}
DIR=${2:-/tmp/pactwatch-asan}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$DIR"
python3 -m venv "$DIR/venv"
# shellcheck disable=SC1091
source "$DIR/venv/bin/activate"
pip install -q -e "$ROOT[test]"
VERSION=$(python -c "import importlib.metadata as m; print(m.version('durable-rules'))")
rm -rf "$DIR/src" && mkdir -p "$DIR/src"
pip download -q --no-deps --no-binary :all: "durable-rules==$VERSION" -d "$DIR/src"
tar xzf "$DIR/src/durable_rules-$VERSION.tar.gz" -C "$DIR/src"
SRC="$DIR/src/durable_rules-$VERSION"
sed -i "s/environ\['CFLAGS'\] = '-std=c99 -D_GNU_SOURCE'\$/environ['CFLAGS'] = '-std=c99 -D_GNU_SOURCE -fsanitize=address -fno-omit-frame-pointer -g -O1'/" "$SRC/setup.py"
LDFLAGS=-fsanitize=address pip install -q --force-reinstall --no-deps "$SRC"
ENGINE=$(python -c "import durable_rules_engine as e; print(e.__file__)" 2>/dev/null || true)
if [ -z "$ENGINE" ]; then
  # the instrumented module cannot load without the ASan runtime preloaded: find it on disk
  ENGINE=$(ls "$DIR"/venv/lib/python3*/site-packages/durable_rules_engine*.so)
fi
calls=$(objdump -d "$ENGINE" | grep -c "__asan" || true)  # not grep -q: objdump would die of SIGPIPE
if [ "$calls" -eq 0 ]; then
  echo "durable_rules was not built with AddressSanitizer ($ENGINE)" >&2
  exit 2
fi

export LD_PRELOAD
# libstdc++ with it: a C++ exception thrown in another extension (marisa-trie, tests/test_lemmas.py)
# otherwise stops ASan itself ("CHECK failed: ... real___cxa_throw"), which is no memory error
LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libstdc++.so)"
# The positive control (benchmarks/asan_control.py): a use of a freed session inside durable_rules
# must be reported, or a clean run below would mean nothing. The second control asks whether
# delete_state on sessions with joined facts (the path the engine avoids) shows as an error.
CONTROL="$DIR/control"
rm -rf "$CONTROL" && mkdir -p "$CONTROL"
for mode in stale-state delete-state join-last join-closed; do
  ASAN_OPTIONS="detect_leaks=0:log_path=$CONTROL/$mode" python "$ROOT/benchmarks/asan_control.py" "$mode" \
    > "$CONTROL/$mode.out" 2>&1 || true
  if grep -qs "ERROR: AddressSanitizer" "$CONTROL/$mode".[0-9]*; then
    what=$(grep -hs -m1 "ERROR: AddressSanitizer" "$CONTROL/$mode".[0-9]* | sed 's/.*AddressSanitizer: \([a-z-]*\).*/\1/')
    frames=$(grep -hs -c "durable_rules_engine\|src/rules/" "$CONTROL/$mode".[0-9]* | head -1)
    echo "control $mode: ASan reported $what ($frames frames in durable_rules), report in $CONTROL"
  else
    echo "control $mode: nothing reported ($(tail -1 "$CONTROL/$mode.out"))"
  fi
done
for mode in stale-state join-last; do
  if ! grep -qs "durable_rules_engine\|src/rules/" "$CONTROL/$mode".[0-9]*; then
    echo "ASan did not report the $mode control inside durable_rules: a clean run would not mean clean" >&2
    exit 2
  fi
done
# the negative control: the order pactwatch compiles patterns in (rules/join_order.py) must be clean
if grep -qs "ERROR: AddressSanitizer" "$CONTROL"/join-closed.[0-9]*; then
  echo "ASan reported the join-closed control: the compiled order does not avoid jruizgit/rules#381" >&2
  exit 1
fi

export ASAN_OPTIONS="detect_leaks=0:log_path=$DIR/asan"  # CPython's own allocations are not leaks to chase here
rm -f "$DIR"/asan.*
cd "$ROOT"
failed=0
for i in $(seq 1 "$RUNS"); do
  if python -m pytest -q -x -p no:cacheprovider -p no:xdist -o addopts=--strict-markers ${ASAN_TESTS:-tests/test_determinism.py tests/test_workers.py tests/test_sessions.py tests/test_availability.py} \
      > "$DIR/run.$i.txt" 2>&1; then
    echo "run $i: clean ($(tail -1 "$DIR/run.$i.txt"))"
  else
    echo "run $i: FAILED ($(tail -1 "$DIR/run.$i.txt")), output in $DIR/run.$i.txt"
    failed=1
  fi
done
reports=$(find "$DIR" -maxdepth 1 -name 'asan.*' | wc -l)
echo "$RUNS runs, $reports AddressSanitizer report(s) in $DIR"
[ "$reports" -eq 0 ] && [ "$failed" -eq 0 ]
