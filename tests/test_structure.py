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
