"""Who may import whom (ARCHITECTURE.md's layer table), read from every module's imports:
a module that imports against the table fails here, naming the import."""

from __future__ import annotations

import io
import tokenize
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOUNDATION = {
    "config",
    "db",
    "secret_file",
    "sqlite_checkpoints",
    "driver_statements",
    "models",
    "client_address",
    "live",
    "shared_redis",
}
DOMAINS = {
    "accounts",
    "tenancy",
    "numbers",
    "calls",
    "callbacks",
    "history",
    "billing",
    "admin",
    "workspaces",
    "messaging",
    "contacts",
    "routing",
}
UI = {"pages", "state", "components", "routes", "styles"}
# The part of callplatform each top-level package or module may import (besides itself).
MAY_IMPORT = {
    "config": set(),
    "secret_file": set(),
    "sqlite_checkpoints": set(),
    "driver_statements": set(),
    "routes": set(),
    "styles": set(),
    "worker_threads": set(),
    "models": set(),
    "db": {"config", "sqlite_checkpoints"},
    "client_address": {"config"},
    "live": {"config", "models", "shared_redis"},
    "shared_redis": {"config"},
    "telephony": {"config"},
    "common": FOUNDATION | {"telephony"},
    **{domain: FOUNDATION | {"common", "telephony"} | DOMAINS for domain in DOMAINS},
    "api": FOUNDATION | {"common", "telephony"} | DOMAINS,
    # Pages see services and shared words only: Twilio's errors are translated before.
    **{ui: FOUNDATION | {"common"} | DOMAINS | UI for ui in UI},
    "http_app": {"api", "config", "telephony"},
    "sweeps": FOUNDATION | {"common"} | DOMAINS,
    "cli": FOUNDATION | {"common"} | DOMAINS,
    "callplatform": FOUNDATION | {"api", "http_app", "sweeps", "worker_threads"} | UI,
}
# Only the composition of the HTTP app may reach the sandbox, which reaches nothing of ours.
MAY_IMPORT_SANDBOX = {"http_app"}


def _imports(path: Path) -> list[tuple[str, int]]:
    """(module, line) of every absolute import, read with `tokenize` (CPython 3.11's `ast`
    can fail spuriously while another thread of the test run is parsing too)."""
    found: list[tuple[str, int]] = []
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(path.read_text()).readline)
              if t.type not in (tokenize.COMMENT, tokenize.NL)]  # fmt: skip
    starts = {0} | {i + 1 for i, t in enumerate(tokens)
                    if t.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)}  # fmt: skip
    for i in sorted(starts):
        if i >= len(tokens) or tokens[i].string not in ("import", "from"):
            continue
        names, name, j = [], "", i + 1
        while j < len(tokens) and tokens[j].type != tokenize.NEWLINE:
            word = tokens[j].string
            if word == "import" and tokens[i].string == "from":
                break  # `from X import names`: X is the module
            if word == ",":
                names.append(name)
                name = ""
            elif word not in ("(", ")") and not (word == "as" or tokens[j - 1].string == "as"):
                name += word
            j += 1
        names.append(name)
        found += [(n, tokens[i].start[0]) for n in names if n and not n.startswith(".")]
    return found


def _part(path: Path) -> str:
    relative = path.relative_to(ROOT / "callplatform").parts
    return relative[0].removesuffix(".py")


def _product_modules():
    return sorted((ROOT / "callplatform").rglob("*.py"))


def test_every_part_is_in_the_table():
    parts = {_part(p) for p in _product_modules()} - {"__init__"}
    assert parts <= set(MAY_IMPORT), f"add to the layer table: {parts - set(MAY_IMPORT)}"


def test_imports_follow_the_layer_table():
    wrong = []
    for path in _product_modules():
        part = _part(path)
        for module, line in _imports(path):
            top, _, rest = module.partition(".")
            if top == "twilio_sandbox" and part not in MAY_IMPORT_SANDBOX:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
            if top != "callplatform" or not rest:
                continue
            target = rest.split(".")[0]
            if target != part and target not in MAY_IMPORT.get(part, set()):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not wrong, "imports against the layer table:\n" + "\n".join(wrong)


def test_the_sandbox_imports_nothing_of_the_product():
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in sorted((ROOT / "twilio_sandbox").rglob("*.py"))
        for module, line in _imports(path)
        if module.split(".")[0] == "callplatform"
    ]
    assert not wrong, "\n".join(wrong)


def test_domains_use_each_other_without_cycles():
    graph: dict[str, set[str]] = {domain: set() for domain in DOMAINS | {"common"}}
    for path in _product_modules():
        part = _part(path)
        if part not in graph:
            continue
        for module, _line in _imports(path):
            target = module.split(".")[1] if module.startswith("callplatform.") else ""
            if target in graph and target != part:
                graph[part].add(target)
    try:
        list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise AssertionError(f"domains import each other in a circle: {exc.args[1]}") from None
