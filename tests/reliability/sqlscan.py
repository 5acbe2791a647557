"""A static check: SQL handed to DuckDB is a constant, or is assembled only from constants.

Values from outside (URLs, titles, anything a page or a user supplies) must reach DuckDB as
bound parameters (`?`) or as registered Arrow tables, never pasted into the SQL text. This scan
walks the product code's syntax trees and flags every `execute`/`sql`/`query` call whose SQL is
built with an f-string, `+`, `%` or `.format()` from anything but constant identifiers:
module-level constants built from literals, and loop variables over literal tuples.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

SQL_METHODS = frozenset({"execute", "executemany", "sql", "query", "from_query", "fetchall_sql"})
STRING_METHODS = frozenset({"join", "format", "replace", "split", "strip", "upper", "lower", "rstrip", "lstrip"})


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    source: str


def scan_tree(path: Path, root: Path) -> list[Finding]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    constants = _module_constants(tree)
    findings = []
    for function in [tree] + [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]:
        safe_locals = _loop_constants(function, constants)
        assigned = _assignments(function)
        for call in _sql_calls(function):
            sql = call.args[0]
            values = assigned.get(sql.id, []) if isinstance(sql, ast.Name) else [sql]
            for value in values:
                if _is_assembled(value) and not _is_safe(value, constants | safe_locals):
                    findings.append(Finding(str(path.relative_to(root)), call.lineno, ast.unparse(value)[:160]))
    return sorted(set(findings), key=lambda f: (f.path, f.line))


def scan_package(root: Path, packages: tuple[str, ...] = ("flows", "tasks", "warehouse")) -> list[Finding]:
    return [f for package in packages for path in sorted((root / package).rglob("*.py")) for f in scan_tree(path, root)]


def _sql_calls(function: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(function)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in SQL_METHODS and node.args]


def _is_assembled(node: ast.AST) -> bool:
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return True
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"


def _is_safe(node: ast.AST, safe_names: frozenset[str]) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Name):
        return node.id in safe_names
    if isinstance(node, ast.JoinedStr):
        return all(_is_safe(v.value, safe_names) for v in node.values if isinstance(v, ast.FormattedValue))
    if isinstance(node, ast.BinOp):
        return _is_safe(node.left, safe_names) and _is_safe(node.right, safe_names)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(_is_safe(e, safe_names) for e in node.elts)
    if isinstance(node, ast.IfExp):
        return _is_safe(node.body, safe_names) and _is_safe(node.orelse, safe_names)
    if isinstance(node, ast.Subscript):
        return _is_safe(node.value, safe_names)
    if isinstance(node, (ast.GeneratorExp, ast.ListComp)):
        bound = set(safe_names)
        for generator in node.generators:
            if not _is_safe(generator.iter, frozenset(bound)):
                return False
            bound |= {n.id for n in ast.walk(generator.target) if isinstance(n, ast.Name)}
        return _is_safe(node.elt, frozenset(bound)) and all(
            _is_safe(cond, frozenset(bound)) for g in node.generators for cond in g.ifs)
    if isinstance(node, ast.Compare):
        return _is_safe(node.left, safe_names) and all(_is_safe(c, safe_names) for c in node.comparators)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in STRING_METHODS:
        return _is_safe(node.func.value, safe_names) and all(_is_safe(a, safe_names) for a in node.args)
    return False


def _module_constants(tree: ast.Module) -> frozenset[str]:
    """Top-level names assigned (only) from literals and other such names, in order."""
    safe: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if _is_safe(statement.value, frozenset(safe)):
                safe.update(names)
            else:
                safe.difference_update(names)
    return frozenset(safe)


def _loop_constants(function: ast.AST, constants: frozenset[str]) -> frozenset[str]:
    return frozenset(
        node.target.id for node in ast.walk(function)
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name) and _is_safe(node.iter, constants))


def _assignments(function: ast.AST) -> dict[str, list[ast.AST]]:
    found: dict[str, list[ast.AST]] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(node.value)
    return found
