"""The package structure holds: every feature package registers itself, and no view
module imports another (what views share lives in the package's other modules)."""

import ast
import importlib
import pkgutil
from pathlib import Path

import app as app_package
from app import FEATURES

APP = Path(app_package.__file__).parent


def _packages() -> list[str]:
    return [f"app.{info.name}" for info in pkgutil.iter_modules([str(APP)]) if info.ispkg]


def test_every_package_with_a_blueprint_is_a_registered_feature():
    with_blueprint = {name for name in _packages() if hasattr(importlib.import_module(name), "bp")}
    assert with_blueprint <= set(FEATURES)
    for name in FEATURES:
        assert callable(getattr(importlib.import_module(name), "init_app", None)), name


def test_every_blueprint_is_registered(app):
    registered = set(app.blueprints)
    for name in FEATURES:
        blueprint = getattr(importlib.import_module(name), "bp", None)
        assert blueprint is None or blueprint.name in registered, name


def _is_view_module(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return last == "views" or last.endswith("_views") or last == "api"


def test_no_view_module_imports_another():
    offenders = []
    for path in APP.rglob("*.py"):
        module = ".".join(path.relative_to(APP.parent).with_suffix("").parts)
        if not _is_view_module(module):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                offenders += [(module, i) for i in imported if _is_view_module(i)]
    assert offenders == []


# --- Imports go one way -------------------------------------------------------------
# The layers from the bottom up, written down once (docs/architecture.md explains them):
# a package may import itself and the packages before it, never one after it. "core" is
# the modules directly under app/ (extensions, events, locales, storage, tasks, …);
# "app" is the glue that assembles everything (create_app, templating).
ORDER = (
    "core",
    "institutions",
    "notifications",
    "auth",
    "courses",
    "learning",
    "quizzes",
    "study",
    "cohorts",
    "workshops",
    "trainers",
    "conferences",
    "cases",
    "placements",
    "protocols",
    "library",
    "offline",
    "calendar",
    "i18n",
    "dashboards",
    "main",
    "admin",
    "demo",
    "app",
)
GLUE = {"app/__init__.py", "app/templating.py"}


def _layer(path: Path) -> str:
    relative = path.relative_to(APP.parent).as_posix()
    if relative in GLUE:
        return "app"
    parts = path.relative_to(APP).parts
    return parts[0] if len(parts) > 1 else "core"


def _layer_of_module(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "app"
    path = APP.joinpath(*parts[1:])
    if path.is_dir() and len(parts) == 2:
        return parts[1]
    return _layer(path.with_suffix(".py") if not path.is_dir() else path / "__init__.py")


def _imports(tree: ast.AST):
    """The app modules a module imports (inside functions too; ``if TYPE_CHECKING:``
    blocks are annotations, not dependencies)."""
    skipped = {
        id(child)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
        for child in ast.walk(node)
    }
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app"):
            if node.module == "app":
                yield from (f"app.{alias.name}" for alias in node.names)
            else:
                yield node.module
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("app."))


def upward_imports() -> set[tuple[str, str]]:
    found = set()
    for path in APP.rglob("*.py"):
        importer = _layer(path)
        for module in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            imported = _layer_of_module(module)
            if ORDER.index(imported) > ORDER.index(importer):
                found.add((path.relative_to(APP.parent).as_posix(), module))
    return found


def test_every_package_has_its_place_in_the_order():
    assert set(_packages()) | {"app.core", "app.app"} == {f"app.{name}" for name in ORDER}


def test_no_package_imports_a_package_above_it():
    """What a lower layer needs from a higher one is registered with it or announced by
    it (docs/architecture.md, "Import order"), never imported."""
    assert upward_imports() == set()
