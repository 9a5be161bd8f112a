"""How scripts/mutation_fresh.py mutates a module's top-level constants, and finds the
functions a module calls while it is imported."""

from __future__ import annotations

import ast


def by_rule(source: str) -> list[dict]:
    """A mutant per rule for each top-level `NAME = <literal>`: a number + 1, a string
    wrapped in XX (not inside a collection), each element of a set, list, tuple or dict
    dropped; calls (`timedelta(minutes=2)`) and arithmetic are looked into."""
    data, starts = source.encode(), [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def span(node) -> tuple[int, int]:
        return (
            starts[node.lineno - 1] + node.col_offset,
            starts[node.end_lineno - 1] + node.end_col_offset,
        )

    def text(a: int, b: int) -> str:
        return data[a:b].decode()

    def replaced(node, new: str) -> str:
        a, b = span(node)
        return (data[:a] + new.encode() + data[b:]).decode()

    def without(node, parts: list[tuple[int, int]], i: int, empty: str) -> str:
        """`node` with its i-th part (an element, or a dict's key: value) left out."""
        rest = [text(*p) for j, p in enumerate(parts) if j != i]
        if not rest:
            return replaced(node, empty)
        (a, d), b, c = span(node), parts[0][0], parts[-1][1]
        return replaced(node, text(a, b) + ", ".join(rest) + text(c, d))

    out: list[dict] = []

    def add(name: str, source: str, description: str) -> None:
        out.append({"name": name, "source": source, "description": description})

    def visit(node, name: str, in_collection: bool = False) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            add(name, replaced(node, repr(not node.value)), f"{node.value} -> {not node.value}")
        elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
            add(name, replaced(node, repr(node.value + 1)), f"{node.value} -> {node.value + 1}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if not in_collection:  # an element's mutant is its removal
                add(name, replaced(node, repr(f"XX{node.value}XX")), f"{node.value!r} -> XX")
        elif isinstance(node, ast.Set | ast.List | ast.Tuple):
            whole = text(*span(node))
            empty = "set()" if isinstance(node, ast.Set) else whole[0] + whole[-1]
            parts = [span(e) for e in node.elts]
            for i, element in enumerate(node.elts):
                add(name, without(node, parts, i, empty), f"drop {text(*parts[i])}")
                visit(element, name, True)
        elif isinstance(node, ast.Dict):
            pairs = [(k, v) for k, v in zip(node.keys, node.values, strict=True) if k]
            parts = [(span(k)[0], span(v)[1]) for k, v in pairs]
            for i, (key, value) in enumerate(pairs):
                add(name, without(node, parts, i, "{}"), f"drop {text(*span(key))}")
                visit(value, name, True)
        elif isinstance(node, ast.Call):
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                visit(arg, name, in_collection)
        elif isinstance(node, ast.UnaryOp):
            visit(node.operand, name, in_collection)
        elif isinstance(node, ast.BinOp):
            visit(node.left, name, in_collection)
            visit(node.right, name, in_collection)

    tree = ast.parse(source)
    classes = [c for c in tree.body if isinstance(c, ast.ClassDef)]
    for stmt, owner in [(s, None) for s in tree.body] + [(s, c) for c in classes for s in c.body]:
        if not isinstance(stmt, ast.Assign | ast.AnnAssign) or stmt.value is None:
            continue
        target = stmt.targets[0] if isinstance(stmt, ast.Assign) else stmt.target
        if isinstance(target, ast.Name):
            visit(stmt.value, owner.name if owner else target.id)
        elif isinstance(target, ast.Tuple) and isinstance(stmt.value, ast.Tuple) and owner:
            for value in stmt.value.elts:  # `a, b = 1, 2` in a class: each value alone
                visit(value, owner.name)
    return out


def import_time_functions(tree: ast.Module) -> set[str]:
    """The module's own functions that its top-level statements call."""
    defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    called = set()
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                called.add(node.func.id)
    return defined & called


def readers_of(tree: ast.Module, module: str) -> dict[str, set[str]]:
    """For each top-level name, the functions (as mutmut names them: `module.x_f`,
    `module.xǁClassǁmethod`) whose code reads it: directly, through the top-level names
    and classes built from it, or through a function the module calls while it is
    imported (`_PER_USER = _upsert(...)`, read by `_roll_up`). Callers of a function are
    not followed: a test that reaches a caller and the use reaches the function too."""
    nodes = {}  # top-level name -> (kind, the names its code reads)
    for stmt in tree.body:
        reads = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)}
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            nodes[stmt.name] = (stmt, reads)
        elif isinstance(stmt, ast.Assign | ast.AnnAssign):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        nodes[name.id] = (stmt, reads - {name.id})

    def functions(name: str) -> set[str]:
        stmt = nodes[name][0]
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            return {f"{module}.x_{name}"}
        if isinstance(stmt, ast.ClassDef):
            return {f"{module}.xǁ{name}ǁ{f.name}" for f in stmt.body
                    if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)}  # fmt: skip
        return set()

    out = {}
    for start in nodes:
        seen, todo = {start}, [start]
        while todo:
            name = todo.pop()
            is_function = isinstance(nodes[name][0], ast.FunctionDef | ast.AsyncFunctionDef)
            for reader, (stmt, reads) in nodes.items():
                data = not isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
                if name in reads and reader not in seen and (data or not is_function):
                    seen.add(reader)
                    todo.append(reader)
        out[start] = set().union(*(functions(n) for n in seen))
    return out
