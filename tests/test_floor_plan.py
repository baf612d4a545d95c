"""The floor plan: every URL's first segment leads to one package; no blueprint imports another;
templates live in their package's folder; modules and functions stay small."""

import ast
import pathlib
import re

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "eventsite"
ROUTES_FILE = pathlib.Path(__file__).resolve().parent / "routes.txt"
# Each first path segment and the one package that serves it.
SEGMENT_OWNERS = {
    "": "events",
    "events": "events",
    "events.ics": "events",
    "embed": "events",
    "host": "events",
    "rsvps": "events",
    "c": "campaigns",
    "api": "api",
    "organizers": "organizers",
    "healthz": "site",
    "ping": "site",
    "language": "site",
    "privacy": "site",
    "favicon.ico": "site",
    "robots.txt": "site",
    "images": "site",
    "share": "site",
    "sms": "sms",
}


def _blueprint_packages() -> set[str]:
    return {
        path.parent.name
        for path in PACKAGE.glob("*/__init__.py")
        if "Blueprint(" in path.read_text()
    }


def test_every_public_url_is_unchanged(app):
    """Bookmarked pages, subscribed feeds, private links and API paths keep their URLs."""
    routes = sorted(
        f"{rule.rule} {','.join(sorted(rule.methods - {'HEAD', 'OPTIONS'}))}"
        for rule in app.url_map.iter_rules()
    )
    assert routes == ROUTES_FILE.read_text().split("\n")[:-1]


def test_each_first_segment_is_served_by_one_package(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        segment = rule.rule.split("/")[1]
        package = app.view_functions[rule.endpoint].__module__.split(".")[1]
        assert SEGMENT_OWNERS[segment] == package, rule.rule


def test_no_blueprint_imports_another_blueprint():
    blueprints = _blueprint_packages()
    crossings = []
    for package in blueprints:
        for path in (PACKAGE / package).glob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.level == 2 and node.module:
                    imported = node.module.split(".")[0]
                    if imported in blueprints and imported != package:
                        crossings.append(f"{package}/{path.name} imports {imported}")
                if isinstance(node, ast.ImportFrom) and node.level == 2 and not node.module:
                    crossings.extend(
                        f"{package}/{path.name} imports {alias.name}"
                        for alias in node.names
                        if alias.name in blueprints and alias.name != package
                    )
    assert crossings == []


TEMPLATES = PACKAGE.parent / "templates"
# Template folders that belong to no package: error pages, rendered by the app factory.
SHARED_TEMPLATE_FOLDERS = {"errors"}
# {% include "x" %}, {% extends "x" %}, {% from "x" import ... %}, render_template("x", ...)
_TEMPLATE_NAME = re.compile(r"""(?:include|extends|from|render_template\()\s*["']([^"']+\.html)""")


def _owner(template: str) -> str:
    """The package folder a template name is in, or '' for a shared top-level template."""
    return template.split("/")[0] if "/" in template else ""


def test_every_template_folder_is_named_after_a_package():
    folders = {path.relative_to(TEMPLATES).parts[0] for path in TEMPLATES.glob("*/")}
    assert folders <= _blueprint_packages() | SHARED_TEMPLATE_FOLDERS


def test_a_package_uses_only_its_own_templates_and_the_shared_ones():
    """Templates and views name templates in their own package's folder or at the top level."""
    users = [(path, _owner(str(path.relative_to(TEMPLATES)))) for path in TEMPLATES.rglob("*.html")]
    users += [
        (path, path.relative_to(PACKAGE).parts[0] if path.parent != PACKAGE else "")
        for path in PACKAGE.rglob("*.py")
    ]
    strays = []
    for path, package in users:
        for template in _TEMPLATE_NAME.findall(path.read_text()):
            assert (TEMPLATES / template).is_file(), f"{path.name} names a missing {template}"
            if _owner(template) not in {"", package, *SHARED_TEMPLATE_FOLDERS}:
                strays.append(f"{path.name} uses {template}")
    assert strays == []


MAX_MODULE_LINES = 350
MAX_FUNCTION_LINES = 40
# Each exception with its reason; the test fails too when one is no longer needed.
LONG_MODULES = {
    "api/openapi.py": "the OpenAPI document: data, read as one",
}
LONG_FUNCTIONS = {
    "api/openapi.py:openapi_document": "a data literal: the OpenAPI document",
    "config.py:settings_from_environment": "a data literal: one mapping, a line a setting",
}


def _sizes() -> tuple[dict[str, int], dict[str, int]]:
    """Lines per module under eventsite/, and per function ('module.py:name')."""
    modules, functions = {}, {}
    for path in PACKAGE.rglob("*.py"):
        name = str(path.relative_to(PACKAGE))
        source = path.read_text()
        modules[name] = len(source.splitlines())
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                key, lines = f"{name}:{node.name}", node.end_lineno - node.lineno + 1
                functions[key] = max(lines, functions.get(key, 0))  # same-named methods
    return modules, functions


def test_modules_and_functions_stay_small():
    """A module fits in a reader's head at ~350 lines, a function at ~40 (data excepted)."""
    modules, functions = _sizes()
    long_modules = {name for name, lines in modules.items() if lines > MAX_MODULE_LINES}
    long_functions = {name for name, lines in functions.items() if lines > MAX_FUNCTION_LINES}
    assert sorted(long_modules - LONG_MODULES.keys()) == []
    assert sorted(long_functions - LONG_FUNCTIONS.keys()) == []
    # An exception that is no longer needed goes, so the lists stay true.
    assert sorted(LONG_MODULES.keys() - long_modules) == []
    assert sorted(LONG_FUNCTIONS.keys() - long_functions) == []
