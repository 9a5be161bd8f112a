"""The mutants mutmut cannot test, each run in a fresh interpreter.

mutmut mutates function bodies only, and its workers are forked from a process that has
already imported the code: so it never mutates module-level constants (`FINAL`, `RANK`,
`TOKEN_TTL_SECONDS`, the hot path's SQL...), and a mutant of a function that runs at
import time (`costs._upsert`) is never active. Here:

- each module's top-level assignments are mutated by rule (a number + 1, a string
  wrapped in XX, each element of a set, list, tuple or dict dropped), plus HAND;
- mutmut's survivors among functions called at module level are run again.

A constant's mutant is applied to a copy of the tree in mutants/ (never the working
tree); tests are those mutmut's stats say reach the module (run mutmut first). Results
go to mutants/fresh.json for mutation_report.py.

    .venv/bin/python scripts/mutation_fresh.py [PATH ...]   (default: all mutated modules)
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mutation_rules import by_rule, import_time_functions

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
    prefixes = tuple(f"{dotted(path)}.x_{name}__mutmut_" for name in names)
    codes = json.loads(meta.read_text())["exit_code_by_key"]
    return [{"key": k, "path": path, "env": k, "description": "runs at import time"}
            for k, code in codes.items() if k.startswith(prefixes) and code == 0]  # fmt: skip


def tests_for(path: str, stats: dict) -> list[str]:
    module = dotted(TESTS_OF.get(path, path))
    tests = {t for f, ts in stats["tests_by_mangled_function_name"].items()
             if f.rsplit(".", 1)[0] == module for t in ts}  # fmt: skip
    return sorted(tests, key=lambda t: stats["duration_by_test"].get(t, 0))


def run(mutant: dict, workdir: Path, tests: list[str], pytest_args: list[str]) -> str:
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
            [*command, *tests], cwd=cwd, env=env, capture_output=True, timeout=900
        )
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
    todo = [(m, tests_for(m["path"], stats))
            for p in paths for m in [*constant_mutants(p), *import_time_survivors(p)]]  # fmt: skip
    jobs = int(os.environ.get("MUTATION_JOBS") or os.cpu_count() or 2)
    workdirs = [OUT / f"fresh-{n}" for n in range(jobs)]  # each worker mutates its own copy
    for workdir in workdirs:
        copy_tree(workdir, config.get("also_copy", []))
    results_file = OUT / "fresh.json"
    results = json.loads(results_file.read_text()) if results_file.exists() else {}
    results = {k: v for k, v in results.items() if v["path"] not in paths}

    def work(n: int) -> None:
        while todo:
            try:
                mutant, tests = todo.pop(0)
            except IndexError:
                return
            status = run(mutant, workdirs[n], tests, config.get("pytest_add_cli_args", []))
            results[mutant["key"]] = {
                "status": status,
                "path": mutant["path"],
                "description": mutant["description"],
            }
            print(f"{status:>8}  {mutant['key']}  {mutant['description']}", flush=True)

    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(work, range(jobs)))
    results_file.write_text(json.dumps(results, indent=1, sort_keys=True))
    for workdir in workdirs:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
