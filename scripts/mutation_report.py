"""The score per module of the last mutation run (mutmut's results in mutants/*.meta,
mutation_fresh.py's in mutants/fresh.json), checked against tests/MUTATION.md.

Score = killed / (all mutants - those MUTATION.md lists as equivalent). Fails when a
module scores under 90%, or when a mutant survives that MUTATION.md does not explain.

    .venv/bin/python scripts/mutation_report.py [PATH ...]   (default: all mutated modules)
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

from mutation_fresh import TESTS_OF

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "mutants"
GOAL = 0.90
# mutmut's exit codes (mutmut.stats.status_by_exit_code), in words.
KILLED = {1, 3, -24, 24, 152, 255, 36}  # failed tests, or a timeout
STATUS = {0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", None: "not checked"}
ACCEPTED = re.compile(r"`([^`]+__(?:mutmut|const)_\d+)`\s*[-—:]+\s*\**(equivalent|harmless)")


def results(path: str, fresh: dict) -> dict[str, str]:
    """Each mutant of the module: killed, survived, no tests..."""
    meta = OUT / f"{path}.meta"
    codes = json.loads(meta.read_text())["exit_code_by_key"] if meta.exists() else {}
    out = {k: "killed" if c in KILLED else STATUS.get(c, "suspicious") for k, c in codes.items()}
    for key, result in fresh.items():
        if result["path"] == path:
            out[key] = "killed" if result["status"] == "timeout" else result["status"]
    return out


def main(selected: list[str]) -> int:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    paths = [p for p in [*config["only_mutate"], *TESTS_OF] if (ROOT / p).exists()]
    paths = [p for p in paths if not selected or p in selected]
    fresh_file = OUT / "fresh.json"
    fresh = json.loads(fresh_file.read_text()) if fresh_file.exists() else {}
    notes_file = ROOT / "tests" / "MUTATION.md"
    notes = notes_file.read_text() if notes_file.exists() else ""
    accepted = {key: kind for key, kind in ACCEPTED.findall(notes)}
    failed, unexplained, stale = False, [], []
    print(f"{'module':44} {'killed':>7} {'total':>6} {'equiv':>6} {'harmless':>9} {'score':>7}")
    for path in paths:
        found = results(path, fresh)
        if not found:
            continue
        counts = Counter(found.values())
        kept = {k: accepted.get(k) for k, s in found.items() if s != "killed"}
        equivalent = [k for k, kind in kept.items() if kind == "equivalent"]
        harmless = [k for k, kind in kept.items() if kind == "harmless"]
        unexplained += [(k, s) for k, s in found.items() if s != "killed" and k not in accepted]
        stale += [k for k, s in found.items() if s == "killed" and k in accepted]
        scored = len(found) - len(equivalent)
        score = counts["killed"] / scored if scored else 1.0
        failed |= score < GOAL
        print(f"{path:44} {counts['killed']:>7} {len(found):>6} {len(equivalent):>6} "
              f"{len(harmless):>9} {score:>7.1%}")  # fmt: skip
    for key, status in sorted(unexplained):
        about = fresh.get(key, {}).get("description") or f".tools/mutmut/bin/mutmut show {key}"
        print(f"UNEXPLAINED {status}: {key}  ({about})")
    for key in sorted(stale):  # an equivalent mutant "killed": a test failed for another reason
        kind = accepted[key]
        print(f"killed now, {kind} in tests/MUTATION.md (remove it, or a flaky test?): {key}")
    if failed:
        print(f"A module scores under {GOAL:.0%}.")
    return 1 if failed or unexplained else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
