"""Rows locked together are locked in one order: every select_for_update over several
rows is ordered by primary key, so two transactions that lock some of the same rows take
them in the same order and one waits for the other instead of both deadlocking
(PostgreSQL locks the rows as it returns them). Read from the code, as the import layers
are: a chain that ends in one row (get, first, exists, ...) needs no order."""

import ast
from pathlib import Path

import exchanges

ONE_ROW = {"get", "get_or_create", "update_or_create", "first", "last", "exists"}
# Locked querysets whose every use reads one row, from a name the chain is kept under.
KEPT_FOR_ONE_ROW: set[tuple[str, str]] = set()


def _chain(node: ast.Attribute, parents: dict) -> list[str]:
    """The method names of the queryset chain around ``node`` (.select_for_update)."""
    names, below = [], node.value
    while isinstance(below, ast.Call | ast.Attribute):
        if isinstance(below, ast.Attribute):
            names.append(below.attr)
            below = below.value
        else:
            below = below.func
    cur = node
    while cur in parents and (
        (isinstance(parents[cur], ast.Attribute) and parents[cur].value is cur)
        or (isinstance(parents[cur], ast.Call) and parents[cur].func is cur)
    ):
        cur = parents[cur]
        if isinstance(cur, ast.Attribute):
            names.append(cur.attr)
    return names


def _kept_as(node: ast.AST, parents: dict) -> str | None:
    """The name an assignment keeps the chain under, if any."""
    while node in parents and not isinstance(node, ast.stmt):
        node = parents[node]
    if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id
    return None


def unordered_locks(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        parents = {child: node for node in ast.walk(tree)
                   for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Attribute) and node.attr == "select_for_update"):
                continue
            names = set(_chain(node, parents))
            if "order_by" in names or names & ONE_ROW:
                continue
            if (path.name, _kept_as(node, parents)) in KEPT_FOR_ONE_ROW:
                continue
            found.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    return found


def test_every_lock_over_several_rows_is_ordered():
    assert unordered_locks(Path(exchanges.__file__).parent) == []


def test_the_check_finds_an_unordered_lock(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "locks.py").write_text(
        "def f(M, t):\n"
        "    for m in M.objects.select_for_update().filter(t=t):\n"
        "        pass\n"
        "    M.objects.select_for_update().filter(t=t).order_by('pk')\n"
        "    M.objects.select_for_update().get(pk=1)\n"
        "    M.objects.filter(t=t).select_for_update().exists()\n"
    )
    assert unordered_locks(package) == ["pkg/locks.py:2"]
