"""The layers of ARCHITECTURE.md: no module imports from a higher layer, and no import cycles."""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "nnedu"

# Bottom to top, as in ARCHITECTURE.md: a part may import from lower layers only.
LAYERS = [
    {"nnedu._checks", "nnedu._files"},
    {"nnedu.scalar", "nnedu.init", "nnedu.data"},
    {"nnedu.nn"},
    {"nnedu.optim", "nnedu.gradcheck"},
    {"nnedu.train"},
    {"nnedu.viz"},
    {"nnedu.playground", "nnedu.exercises", "nnedu.lecture"},
    {"nnedu.bench"},
    {"nnedu.cli", "nnedu"},
    {"nnedu.__main__"},
]
LAYER = {part: k for k, parts in enumerate(LAYERS) for part in parts}
STDLIB_ONLY = ["scalar/engine.py", "scalar/ops.py"]  # the engine imports no numpy


def part_of(module: str) -> str:
    """'nnedu.nn.linear' → 'nnedu.nn'; 'nnedu' stays 'nnedu'."""
    return ".".join(module.split(".")[:2])


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[str]:
    """The nnedu modules `path` imports (`from nnedu import nn` counts as nnedu.nn)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "nnedu"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "nnedu":
                found += [f"nnedu.{a.name}" for a in node.names]
            elif node.module.split(".")[0] == "nnedu":
                found.append(node.module)
    return found


def sources() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "template" not in p.parts]  # the DIY stubs


def test_every_part_of_the_package_has_a_layer():
    parts = {part_of(module_name(p)) for p in sources()}
    assert parts <= set(LAYER), f"parts missing from LAYERS: {sorted(parts - set(LAYER))}"


def test_no_module_imports_from_a_higher_layer():
    upward = []
    for path in sources():
        own = part_of(module_name(path))
        for target in imports(path):
            if part_of(target) != own and LAYER[part_of(target)] >= LAYER[own]:
                upward.append(f"{path.relative_to(ROOT)} imports {target}")
    assert not upward, "\n".join(upward)


def test_there_is_no_import_cycle_between_modules():
    modules = {module_name(p): p for p in sources()}
    graph = {m: {t for t in imports(p) if t in modules and t != m} for m, p in modules.items()}
    # a package's __init__ re-exporting its modules is not an edge back from them
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(m: str, path: list[str]) -> bool:
        state[m] = 1
        for t in sorted(graph[m]):
            if m.startswith(t + ".") or t not in graph:  # a module importing its own package
                continue
            if state.get(t) == 1:
                cycle.extend([*path[path.index(t):], t] if t in path else [m, t])
                return True
            if state.get(t) is None and visit(t, [*path, t]):
                return True
        state[m] = 2
        return False

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))
    for m in sorted(graph):
        if state.get(m) is None and visit(m, [m]):
            break
    assert not cycle, " → ".join(cycle)


@pytest.mark.parametrize("name", STDLIB_ONLY)
def test_the_scalar_engine_imports_only_the_standard_library(name):
    path = PACKAGE / name
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots = {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            roots = {node.module.split(".")[0]}
        else:
            continue
        for root in roots - {"nnedu"}:
            assert root in sys.stdlib_module_names, f"{name} imports {root}"
    for target in imports(path):
        assert target.startswith("nnedu.scalar"), f"{name} imports {target}"


def test_architecture_md_and_the_readme_name_every_public_part():
    architecture = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    public = {p for p in LAYER if p.count(".") == 1 and not p.split(".")[1].startswith("_")}
    for part in sorted(public - {"nnedu.cli"}):
        assert f"`{part}`" in architecture, part
        assert f"`{part}`" in readme, part
