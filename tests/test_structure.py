"""Structure rules of the package (issue 11, "No circles, one job per module"), read from the source's
syntax tree: no private name of one module is used by another, and a function over 60 lines says why
it stays whole (a "# long: …" comment heading its body) or is split."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "extractor"
MAX_LINES = 60
# a copy of the referee's scorer (../shared/eval/score.py), kept as it is
LONG_EXEMPT = {"evaluate.py"}


def _module_name(path: Path) -> str:
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


def _package_of(path: Path) -> str:
    name = _module_name(path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def private_uses(source: str, module: str, package: str, modules: set[str]) -> list[str]:
    """"module → private name" for each private name (one leading underscore) of a package module
    that `source` imports (`from .x import _y`) or reads off an imported module (`from . import x`,
    `x._y`). The standard library's private modules (`re._parser`) are not the package's."""
    tree = ast.parse(source)
    found: list[str] = []
    modules_as: dict[str, str] = {}   # local name → package module it is bound to
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[:len(parts) - (node.level - 1)]
                base = ".".join(parts + ([node.module] if node.module else []))
            if base.split(".")[0] != "extractor" or base == module:
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{base} → {alias.name}")
                if f"{base}.{alias.name}" in modules:
                    modules_as[alias.asname or alias.name] = f"{base}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "extractor" and alias.asname:
                    modules_as[alias.asname] = alias.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules_as \
                and node.attr.startswith("_") and not node.attr.startswith("__") \
                and modules_as[node.value.id] != module:
            found.append(f"{modules_as[node.value.id]} → {node.attr}")
    return found


def long_functions(source: str) -> list[tuple[str, int]]:
    """(name, lines) of each function over MAX_LINES lines whose body is not headed by a
    "# long:" comment (after the docstring, if any, and before the first statement)."""
    lines = source.splitlines()
    out = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        length = node.end_lineno - node.lineno + 1
        if length <= MAX_LINES:
            continue
        body = node.body
        has_doc = isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str)
        first = body[1] if has_doc and len(body) > 1 else body[0]
        head = lines[node.lineno - 1:first.lineno - 1]     # signature, docstring, leading comments
        if not any(ln.strip().startswith("# long:") for ln in head):
            out.append((node.name, length))
    return out


def _sources():
    return sorted(PKG.rglob("*.py"))


def test_no_private_name_is_used_across_modules():
    modules = {_module_name(p) for p in _sources()}
    found = [f"{p.relative_to(ROOT)}: {use}" for p in _sources()
             for use in private_uses(p.read_text(encoding="utf-8"), _module_name(p), _package_of(p), modules)]
    assert not found, "make these names public (or move the code that shares them): " + "; ".join(found)


def test_functions_over_60_lines_are_split_or_say_why():
    found = [f"{p.relative_to(ROOT)}: {name} ({n} lines)" for p in _sources() if p.name not in LONG_EXEMPT
             for name, n in long_functions(p.read_text(encoding="utf-8"))]
    assert not found, "split these or head their body with a '# long: <why>' comment: " + "; ".join(found)


_MODULES = {"extractor.tables.columns", "extractor.tables.rows", "extractor.tables", "extractor.meta",
            "extractor.ingest", "extractor.ingest.ocr", "extractor.ingest.grid"}


@pytest.mark.parametrize("source, module, package, expected", [
    ("from .columns import _MAX_LABEL, header_role", "extractor.tables.rows", "extractor.tables",
     ["extractor.tables.columns → _MAX_LABEL"]),
    ("from ..meta import _fold as fold", "extractor.tables.rows", "extractor.tables", ["extractor.meta → _fold"]),
    ("from extractor.ingest.ocr import _grids", "extractor.ingest.pdf", "extractor.ingest",
     ["extractor.ingest.ocr → _grids"]),
    ("from . import ocr\nx = ocr._cell_text(1)", "extractor.ingest.pdf", "extractor.ingest",
     ["extractor.ingest.ocr → _cell_text"]),
    ("import extractor.meta as m\nm._needle", "extractor.cli", "extractor", ["extractor.meta → _needle"]),
    # not across modules, or not the package's
    ("from re import _constants as C, _parser", "extractor.meta", "extractor", []),
    ("from .columns import MAX_LABEL, header_role", "extractor.tables.rows", "extractor.tables", []),
    ("from .model import __version__", "extractor.tables.rows", "extractor.tables", []),
    ("from . import ocr\nocr.__name__, ocr.read_image", "extractor.ingest.pdf", "extractor.ingest", []),
    ("import extractor.meta as m\ndef f(self):\n    return self._x", "extractor.cli", "extractor", []),
])
def test_private_use_check(source, module, package, expected):
    assert private_uses(source, module, package, _MODULES) == expected


def _function(n_body: int, head: str = "", doc: bool = True) -> str:
    lines = ["def f(a,", "      b):"]
    if doc:
        lines += ['    """What it does."""']
    lines += [f"    {h}" for h in head.splitlines()]
    lines += ["    x = 1"] * n_body
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("source, expected", [
    (_function(57), []),                                       # 60 lines: not long
    (_function(58), [("f", 61)]),
    (_function(58, doc=False), []),                            # 60 lines without the docstring
    (_function(59, doc=False), [("f", 61)]),
    (_function(58, head="# long: one pass whose state carries over"), []),
    (_function(58, head="# long: why\n# and more of the why"), []),
    ('def f():\n    # long: why, before the docstring\n    """Doc."""\n' + "    x = 1\n" * 60, []),
    (_function(58, head="# short: not the marker"), [("f", 62)]),
    # the marker further down the body is no reason given at its top
    ('def f():\n    """Doc."""\n    x = 1\n    # long: too late\n' + "    x = 1\n" * 60, [("f", 64)]),
])
def test_long_function_check(source, expected):
    assert long_functions(source) == expected
