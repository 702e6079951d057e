"""The shape of webapp/: no import cycle, no import pointing up the layers, services free of the web,
and no module too long to read in one sitting. Read from the source (ast), so lazy imports count too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"
MAX_LINES = 350
# Bottom to top: a module may import its own layer or the ones below, never one above.
LAYERS = (
    {"types", "config", "extensions", "i18n", "security", "errors", "matcher", "serving"},
    {"clock"},
    {"catalog", "models", "ratelimits"},
    {"views_common", "chrome", "exports", "page_cache", "health", "about", "auth", "explainers", "quiz", "chat"},
    {"api_common"},
    {"compose"},
    {"classroom"},
    {"outreach"},
    {"organizers"},
    {"cli", "__init__"},
)
# Services: plain values in, data out; no request, no translated words, no app object.
SERVICES = ("classroom/sessions.py", "classroom/answers.py", "classroom/live.py", "classroom/self_paced.py",
            "classroom/results.py", "classroom/certificates.py", "classroom/queries.py", "classroom/codes.py",
            "outreach/service.py", "compose/service.py", "chat/service.py", "chat/role.py", "chat/texts.py")


def module_name(path: Path) -> str:
    parts = path.relative_to(WEBAPP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every webapp module `path` imports (absolute names), at any depth of the file."""
    modules = {module_name(p) for p in WEBAPP.rglob("*.py")}
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                name = f"{target}.{alias.name}"
                found.add(name if name in modules else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name in modules and name != module_name(path)}


def graph() -> dict[str, set[str]]:
    return {module_name(path): imports_of(path) for path in WEBAPP.rglob("*.py")}


def layer(module: str) -> int:
    top = module.split(".")[1] if "." in module else "__init__"
    return next(i for i, names in enumerate(LAYERS) if top in names)


def test_no_import_cycle():
    edges = graph()
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(edges[module]):
            if state.get(target) == "open":
                pytest.fail("import cycle: " + " -> ".join([*path[path.index(target):], target]))
            if target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])


def test_no_import_points_up_the_layers():
    upward = [(module, target) for module, targets in graph().items() for target in targets
              if layer(target) > layer(module)]
    assert upward == []


@pytest.mark.parametrize("service", SERVICES)
def test_services_hold_no_web_concerns(service):
    tree = ast.parse((WEBAPP / service).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    web = sorted(n for n in names if n.startswith(("flask", "werkzeug", "jinja2", "markupsafe")))
    assert web == [], service


def test_no_module_is_too_long():
    long = {str(p.relative_to(WEBAPP)): n for p in WEBAPP.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
