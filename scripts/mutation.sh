#!/usr/bin/env bash
# Mutation testing of the rules that matter (README: "Mutation testing"). Not part of
# .ci/run. Mutates the modules listed in pyproject.toml's [tool.mutmut] only_mutate, runs
# the SQLite half of the tests that reach each mutant, and reports the score per module
# against tests/MUTATION.md (the survivors we accept, each with its reason).
#
#   bash scripts/mutation.sh                 every module (36 CPU-minutes: 62 min on 2 busy cores)
#   bash scripts/mutation.sh spend costs     only these (a module's name or its path)
#
# Works on mutmut's own copy of the tree in mutants/; the working tree is never touched.
# MUTATION_JOBS sets the number of workers (default: the number of cores), MUTATION_NICE
# their niceness (default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
MUTMUT=3.8.1
[ -x .venv/bin/python ] || { echo "No .venv: run bash scripts/test.sh first." >&2; exit 2; }
# mutmut (and its textual, libcst, coverage) lives in a venv of its own in .tools/mutmut that
# sees the project's .venv through a .pth file: the app's venv, shared, is left as it is.
TOOLS=.tools/mutmut
PY=$TOOLS/bin/python
if [ "$("$PY" -c 'import importlib.metadata as m; print(m.version("mutmut"))' 2>/dev/null)" != "$MUTMUT" ]; then
    BASE=$(.venv/bin/python -c 'import sys; print(sys.base_prefix)')/bin/python3
    "$BASE" -m venv "$TOOLS"
    .venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' \
        > "$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/project-venv.pth"
    "$PY" -m pip install --quiet "mutmut==$MUTMUT"
fi

# The modules to mutate: all of only_mutate (plus the hand-mutated SQL), or those named.
RESOLVED=$("$PY" - "$@" <<'EOF'
import sys, tomllib
from pathlib import Path
sys.path.insert(0, "scripts")
from mutation_fresh import TESTS_OF  # the modules mutated by hand only
known = [p for p in tomllib.load(open("pyproject.toml", "rb"))["tool"]["mutmut"]["only_mutate"]
         + list(TESTS_OF) if Path(p).exists()]
for arg in sys.argv[1:] or known:
    match = [p for p in known if p == arg or p.endswith("/" + arg) or Path(p).stem == arg]
    if not match:
        sys.exit(f"{arg}: not a mutated module ({', '.join(Path(p).stem for p in known)})")
    print(*match, sep="\n")
EOF
) || exit 2
mapfile -t PATHS <<< "$RESOLVED"

# SQLite test databases in memory (tmpfs): each mutant's tests rebuild their schema.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    export TMPDIR=/dev/shm/callplatform-mutation
    mkdir -p "$TMPDIR"
fi
# A test's wait for the sandbox or a server gives up after 8 s here, not 20: a mutant that
# breaks what it waits for is killed all the same, sooner (a clean wait takes a second or two).
export TEST_WAIT_SECONDS=${TEST_WAIT_SECONDS:-8}
JOBS=${MUTATION_JOBS:-$(nproc)}
# Niceness: 10 by default, so the run yields to other work on the machine (on a busy one it
# then takes much longer than the figures in README; MUTATION_NICE=0 competes evenly).
NICE=${MUTATION_NICE:-10}
export MUTATION_JOBS=$JOBS
mkdir -p mutants
rm -f mutants/mutmut-stats.json  # which tests reach what: collected afresh, tests change
PATTERNS=()
for path in "${PATHS[@]}"; do
    if "$PY" -c 'import sys, tomllib; sys.exit(sys.argv[1] not in tomllib.load(open("pyproject.toml", "rb"))["tool"]["mutmut"]["only_mutate"])' "$path"; then
        module=${path%.py}
        PATTERNS+=("${module//\//.}.*")
    fi
done
start=$(date +%s)
echo "mutmut on ${#PATHS[@]} module(s), $JOBS workers; log: mutants/mutmut.log"
if [ "${#PATTERNS[@]}" -eq 0 ]; then  # SQL only: mutmut just collects which tests reach what
    PATTERNS=("callplatform.callbacks.call_status.x_rank__mutmut_1")
fi
nice -n "$NICE" "$PY" scripts/mutmut_run.py --max-children "$JOBS" "${PATTERNS[@]}" > mutants/mutmut.log 2>&1 || {
    tail -40 mutants/mutmut.log
    exit 1
}
echo "constants and import-time code, in fresh interpreters; log: mutants/fresh.log"
nice -n "$NICE" "$PY" scripts/mutation_fresh.py "${PATHS[@]}" > mutants/fresh.log 2>&1 || {
    tail -40 mutants/fresh.log
    exit 1
}
elapsed=$(( $(date +%s) - start ))
# The CPU time of the run's processes too: on a shared machine the wall time says as much
# about the other work there as about this run; CPU time / workers is what it takes alone.
times > mutants/times.txt  # a builtin: run in this shell, not a subshell of $(...)
cpu=$(awk 'NR == 2 { split($1, u, "m"); split($2, s, "m"); print int(u[1] * 60 + u[2] + s[1] * 60 + s[2]) }' mutants/times.txt)
echo "done in $((elapsed / 60)) min $((elapsed % 60)) s; CPU $((cpu / 60)) min, $((cpu / 60 / JOBS)) min of each of $JOBS workers; load average $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$PY" scripts/mutation_report.py "${PATHS[@]}"
