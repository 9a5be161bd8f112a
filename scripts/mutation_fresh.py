"""The mutants mutmut cannot test, each run in a fresh interpreter.

mutmut mutates function bodies only, and its workers are forked from a process that has
already imported the code: so it never mutates module-level constants (`FINAL`, `RANK`,
`TOKEN_TTL_SECONDS`, the hot path's SQL...), and a mutant of a function that runs at
import time (`costs._upsert`) is never active. Here:

- each module's top-level assignments are mutated by rule (a number + 1, a string
  wrapped in XX, each element of a set, list, tuple or dict dropped), plus HAND;
- mutmut's survivors among functions called at module level are run again.

A constant's mutant is applied to a copy of the tree in mutants/ (never the working
tree). Its tests are first those mutmut's stats (run mutmut first) say reach the
functions that read the mutated name (`mutation_rules.readers_of`), fastest first,
stopping at the first failure; a mutant they miss is run again against every test that
reaches its module before it counts as a survivor. Each run is time-boxed at ten times
its tests' measured duration (plus a minute), and a run past its box counts as killed by
a timeout, as mutmut counts them. Results go to mutants/fresh.json for
mutation_report.py.

    .venv/bin/python scripts/mutation_fresh.py [PATH ...]   (default: all mutated modules)
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mutation_rules import by_rule, import_time_functions, readers_of

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "mutants"
STATEMENTS = "callplatform/callbacks/call_status_sql.py"
WORDS = "callplatform/models/call_words.py"  # the final statuses live with the model
# (file, name, text, replacement, what it breaks): rules no by-rule mutant expresses.
HAND = [
    ("callplatform/callbacks/call_status.py", "RANK",
     "CallStatus.RINGING: 2,\n    CallStatus.IN_PROGRESS: 3,",
     "CallStatus.RINGING: 3,\n    CallStatus.IN_PROGRESS: 2,",
     "ringing and in-progress swap ranks"),
    ("callplatform/api/signed.py", "TOKEN_TTL_SECONDS", "TOKEN_TTL_SECONDS = 60",
     "TOKEN_TTL_SECONDS = 10**9", "the token cache never expires"),
    (STATEMENTS, "SELECT_CALL", 'call_sid = :sid AND user_id = :user_id"', 'call_sid = :sid"',
     "a callback finds the call whoever owns it"),
    (STATEMENTS, "_NUMBER_ID", "WHERE user_id = :user_id AND phone_number",
     "WHERE phone_number", "a new call is tied to whoever owns the number"),
    (STATEMENTS, "_NUMBER_ID", "AND status != 'pending' LIMIT 1", "LIMIT 1",
     "a new call is tied to a number still being bought"),
] + [
    (WORDS, "FINAL_STATUSES", f"        CallStatus.{name},\n", "",
     f"{name.lower().replace('_', '-')} leaves the final statuses")
    for name in ("COMPLETED", "BUSY", "FAILED", "NO_ANSWER", "CANCELED")
]  # fmt: skip
# Modules mutated by HAND only, and the module whose tests reach them.
TESTS_OF = {STATEMENTS: "callplatform/callbacks/call_status.py",
            WORDS: "callplatform/callbacks/call_status.py"}  # fmt: skip


def dotted(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def constant_mutants(path: str) -> list[dict]:
    source = (ROOT / path).read_text()
    found = [] if path in TESTS_OF else by_rule(source)
    for file, name, old, new, why in HAND:
        if file == path:
            assert source.count(old) == 1, f"{file}: {old!r} is not there once"
            found.append({"name": name, "source": source.replace(old, new), "description": why})
    for i, m in enumerate(found, 1):
        m.update(key=f"{dotted(path)}.{m['name']}__const_{i}", path=path)
        m["description"] = f"{m['name']}: {m['description']}"
    return found


def import_time_survivors(path: str) -> list[dict]:
    """mutmut's survivors in the functions this module calls while it is imported."""
    meta = OUT / f"{path}.meta"
    if not meta.exists():
        return []
    names = import_time_functions(ast.parse((ROOT / path).read_text()))
    prefixes = {f"{dotted(path)}.x_{name}__mutmut_": name for name in names}
    codes = json.loads(meta.read_text())["exit_code_by_key"]
    return [{"key": k, "path": path, "env": k, "name": name, "description": "runs at import time"}
            for k, code in codes.items() if code == 0
            for prefix, name in prefixes.items() if k.startswith(prefix)]  # fmt: skip


def tests_for(stats: dict, reaches) -> list[str]:
    """The tests that reach a function `reaches(function)` accepts, fastest first."""
    tests = {t for f, ts in stats["tests_by_mangled_function_name"].items() if reaches(f)
             for t in ts}  # fmt: skip
    return sorted(tests, key=lambda t: stats["duration_by_test"].get(t, 0))


def selections(mutant: dict, stats: dict) -> list[list[str]]:
    """The tests to run against a mutant: those that reach the readers of the name it
    changes, then (if they all pass) all those that reach its module."""
    path = mutant["path"]
    module = dotted(TESTS_OF.get(path, path))
    broad = tests_for(stats, lambda f: f.rsplit(".", 1)[0] == module)
    if path in TESTS_OF:  # read through attributes of another module: no narrowing
        return [broad]
    readers = readers_of(ast.parse((ROOT / path).read_text()), dotted(path))
    functions = readers.get(mutant["name"], set())
    narrow = tests_for(stats, functions.__contains__)
    return [narrow, broad] if narrow and len(narrow) < len(broad) else [broad]


def time_box(tests: list[str], stats: dict) -> float:
    """Ten times what the tests took in mutmut's clean run (plus setup), and a minute to
    start: a mutant still running then hangs, and counts as killed by the timeout."""
    measured = sum(stats["duration_by_test"].get(t, 0) + 0.5 for t in tests)
    return 60 + 10 * measured


def run(mutant: dict, workdir: Path, tests: list[str], stats: dict, pytest_args: list[str]):
    """Run the tests against one mutant: a constant's in a copy of the tree, mutmut's
    in mutants/ with the mutant switched on."""
    env = {**os.environ, "MUTANT_UNDER_TEST": mutant.get("env", "")}
    cwd, target = (OUT, None) if "env" in mutant else (workdir, workdir / mutant["path"])
    original = target.read_text() if target else ""
    if target:
        target.write_text(mutant["source"])
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:randomly", *pytest_args]
    try:
        done = subprocess.run(
            [*command, *tests], cwd=cwd, env=env, capture_output=True,
            timeout=time_box(tests, stats), start_new_session=True,
        )  # fmt: skip
        return {0: "survived", 5: "no tests"}.get(done.returncode, "killed")
    except subprocess.TimeoutExpired:
        return "timeout"
    finally:
        if target:
            target.write_text(original)


def copy_tree(workdir: Path, also: list[str]) -> None:
    shutil.rmtree(workdir, ignore_errors=True)
    for part in ["callplatform", "tests", "pyproject.toml", *also]:
        src = ROOT / part
        if src.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.db", "*.db-*")
            shutil.copytree(src, workdir / part, ignore=ignore, dirs_exist_ok=True)
        elif src.exists():
            shutil.copy2(src, workdir / part)


def main(selected: list[str]) -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    paths = [p for p in [*config["only_mutate"], *TESTS_OF] if (ROOT / p).exists()]
    paths = [p for p in paths if not selected or p in selected]
    stats = json.loads((OUT / "mutmut-stats.json").read_text())
    todo = [(m, selections(m, stats))
            for p in paths for m in [*constant_mutants(p), *import_time_survivors(p)]]  # fmt: skip
    todo.sort(key=lambda job: -time_box(job[1][-1], stats))  # the longest first: no long tail
    jobs = int(os.environ.get("MUTATION_JOBS") or os.cpu_count() or 2)
    workdirs = [OUT / f"fresh-{n}" for n in range(jobs)]  # each worker mutates its own copy
    for workdir in workdirs:
        copy_tree(workdir, config.get("also_copy", []))
    results_file = OUT / "fresh.json"
    results = json.loads(results_file.read_text()) if results_file.exists() else {}
    results = {k: v for k, v in results.items() if v["path"] not in paths}
    pytest_args = config.get("pytest_add_cli_args", [])

    def work(n: int) -> None:
        while todo:
            try:
                mutant, rounds = todo.pop(0)
            except IndexError:
                return
            began = time.monotonic()
            for tests in rounds:  # narrow, then broad if the narrow tests all pass
                status = run(mutant, workdirs[n], tests, stats, pytest_args)
                if status not in ("survived", "no tests"):
                    break
            results[mutant["key"]] = {
                "status": status,
                "path": mutant["path"],
                "description": mutant["description"],
            }
            took = f"{time.monotonic() - began:5.0f} s"
            print(f"{status:>8} {took}  {mutant['key']}  {mutant['description']}", flush=True)

    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(work, range(jobs)))
    results_file.write_text(json.dumps(results, indent=1, sort_keys=True))
    for workdir in workdirs:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
