"""The lanes are true: a test that drives Chromium carries `browser`, one that needs PostgreSQL or
Redis carries `services`, one that starts a server process carries `slow` (pytest.ini), so that
`-m "not browser and not services and not slow and not install"` starts nothing but the tests.

Read from the source of every module under tests/ (ast, nothing imported or run), a test needs a lane
when its own body, a helper it calls or a fixture it uses, in whichever module, does one of:

    browser   uses Playwright (imports it, sync_playwright, expect) or launches a browser (.launch())
    services  uses psycopg or redis
    slow      starts a process: subprocess.Popen of anything, or subprocess.run (call, check_call,
              check_output) of sys.executable, conference, gunicorn, nginx or redis-server

and it has the lane when its module's pytestmark, its own decorators (the marks of its parametrize
values included) or a fixture it requests by name give it. A fixture gives what conftest.lanes(...)
tags it with (the conftest hook turns the tags into markers) and the marks of its params. A fixture
fetched with request.getfixturevalue() brings what it needs but gives nothing: at run time it is not
in item.fixturenames, so the hook does not see it (its param has to carry the marker)."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from tests.conftest import ROOT, lanes, pytest_collection_modifyitems

LANES = ("browser", "services", "slow")
MODULE_LANES = {"playwright": "browser", "psycopg": "services", "psycopg2": "services", "redis": "services"}
RUNNERS = {"run", "call", "check_call", "check_output"}
SERVER_WORDS = re.compile(r"\b(conference|gunicorn|nginx|redis-server)\b")
SKIPPED_FIELDS = {"annotation", "returns", "decorator_list", "type_comment"}  # not run by the body


@dataclass
class Definition:
    """A module-level function or class: what it does itself, and what it leads to."""
    path: str
    module: str
    name: str
    test: bool = False
    fixture: str | None = None  # the fixture's name
    autouse: bool = False
    requests: list[str] = field(default_factory=list)  # fixtures asked for by argument name
    fetched: list[str] = field(default_factory=list)  # request.getfixturevalue("...")
    refs: list[tuple[str, str]] = field(default_factory=list)  # (module, name) of helpers it uses
    needs: dict[str, str] = field(default_factory=dict)  # lane -> what in its own code needs it
    gives: set[str] = field(default_factory=set)  # a fixture's lanes(...) tags and param marks
    marks: set[str] = field(default_factory=set)  # a test's own decorators


@dataclass
class Module:
    path: str
    name: str
    imports: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # local -> (module, symbol)
    definitions: dict[str, Definition] = field(default_factory=dict)
    fixtures: dict[str, Definition] = field(default_factory=dict)
    marks: set[str] = field(default_factory=set)  # pytestmark


def module_name(path: str) -> str:
    return path[:-3].replace("/", ".").removesuffix(".__init__")


def absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[:len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def add_imports(into: dict, node: ast.AST, module: str, is_package: bool) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                into[alias.asname] = (alias.name, None)
            else:
                into[alias.name.split(".")[0]] = (alias.name.split(".")[0], None)
    elif isinstance(node, ast.ImportFrom):
        source = absolute(module, node, is_package)
        for alias in node.names:
            into[alias.asname or alias.name] = (source, alias.name)


def marks_in(node: ast.AST | None) -> set[str]:
    """The X of every pytest.mark.X (called or not) in an expression."""
    found = set()
    for sub in ast.walk(node) if node is not None else ():
        if (isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Attribute) and sub.value.attr == "mark"
                and isinstance(sub.value.value, ast.Name) and sub.value.value.id == "pytest"):
            found.add(sub.attr)
    return found


def dotted(node: ast.AST) -> str:
    return f"{dotted(node.value)}.{node.attr}" if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def body_nodes(node: ast.AST):
    """The nodes a definition runs: body, defaults, nested functions and lambdas; not annotations or
    decorators."""
    for name, value in ast.iter_fields(node):
        if name in SKIPPED_FIELDS:
            continue
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, ast.AST):
                yield child
                yield from body_nodes(child)


def words(node: ast.AST, assigned: dict[str, list[ast.AST]]) -> list[str]:
    """The strings and sys.executable in a command, following names assigned in the same definition."""
    found = []
    for sub in [node, *body_nodes(node)]:
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            found.append(sub.value)
        elif isinstance(sub, ast.Attribute) and dotted(sub) == "sys.executable":
            found.append("sys.executable")
        elif isinstance(sub, ast.Name) and sub.id in assigned:
            for value in assigned.pop(sub.id):  # popped: a name assigned from itself ends
                found += words(value, assigned)
    return found


def read_definition(module: Module, node: ast.AST, is_package: bool) -> Definition:
    found = Definition(module.path, module.name, node.name)
    local = dict(module.imports)
    nodes = list(body_nodes(node))
    assigned: dict[str, list[ast.AST]] = {}
    own = set()  # its arguments and variables: a name of its own is not the helper of the same name
    for sub in nodes:
        if isinstance(sub, (ast.Import, ast.ImportFrom)):
            add_imports(local, sub, module.name, is_package)
        elif isinstance(sub, ast.Assign):
            for target in sub.targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).append(sub.value)
        if isinstance(sub, ast.arg):
            own.add(sub.arg)
        elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            own.add(sub.id)

    def need(lane: str, why: str) -> None:
        found.needs.setdefault(lane, why)

    for sub in nodes:
        if isinstance(sub, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in sub.names] if isinstance(sub, ast.Import) else [sub.module or ""]
            for name in names:
                if name.split(".")[0] in MODULE_LANES:
                    need(MODULE_LANES[name.split(".")[0]], f"imports {name}")
        elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
            source, symbol = local.get(sub.id, (None, None))
            if source is not None and source.split(".")[0] in MODULE_LANES:
                need(MODULE_LANES[source.split(".")[0]], f"uses {source}{'.' + symbol if symbol else ''}")
            elif source is not None and symbol and source.split(".")[0] == "tests":
                found.refs.append((source, symbol))
            elif source is None and sub.id in module.definitions and sub.id != node.name and sub.id not in own:
                found.refs.append((module.name, sub.id))
        elif isinstance(sub, ast.Call):
            called = dotted(sub.func)
            source, symbol = local.get(called.split(".")[0], (None, None))
            target = ".".join(filter(None, [source, symbol, *called.split(".")[1:]])) if source else called
            if target == "subprocess.Popen":
                need("slow", "starts a process (subprocess.Popen)")
            elif target.startswith("subprocess.") and target.split(".")[-1] in RUNNERS and sub.args:
                command = words(sub.args[0], {name: list(values) for name, values in assigned.items()})
                server = [w for w in command if w == "sys.executable" or SERVER_WORDS.search(w)]
                if server:
                    need("slow", f"runs a process ({target} of {server[0]})")
            elif called.endswith((".launch", ".launch_persistent_context")):
                need("browser", f"launches a browser ({called})")
            elif (called.endswith(".getfixturevalue") and sub.args and isinstance(sub.args[0], ast.Constant)
                    and isinstance(sub.args[0].value, str)):
                found.fetched.append(sub.args[0].value)
    if isinstance(node, ast.ClassDef):  # its bases lead where they lead
        for base in node.bases:
            source, symbol = local.get(dotted(base), (None, None))
            if source and symbol and source.startswith("tests"):
                found.refs.append((source, symbol))
            elif dotted(base) in module.definitions:
                found.refs.append((module.name, dotted(base)))
        return found

    parametrized: set[str] = set()  # argument names that are values, not fixtures
    used: list[str] = []  # @pytest.mark.usefixtures
    for decorator in node.decorator_list:
        call = decorator.func if isinstance(decorator, ast.Call) else decorator
        if dotted(call) in ("pytest.fixture", "fixture"):
            found.fixture = node.name
            if isinstance(decorator, ast.Call):
                for keyword in decorator.keywords:
                    if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                        found.fixture = keyword.value.value
                    elif keyword.arg == "autouse":
                        found.autouse = isinstance(keyword.value, ast.Constant) and keyword.value.value is True
                    elif keyword.arg == "params":
                        found.gives |= marks_in(keyword.value)
        elif dotted(call) == "lanes" or local.get(dotted(call), (None, None))[1] == "lanes":
            found.gives |= {a.value for a in decorator.args if isinstance(a, ast.Constant)}
        else:
            found.marks |= marks_in(decorator)
            if dotted(call) == "pytest.mark.parametrize" and isinstance(decorator, ast.Call) and decorator.args:
                parametrized |= set(re.findall(r"\w+", " ".join(words(decorator.args[0], {}))))
            elif dotted(call) == "pytest.mark.usefixtures" and isinstance(decorator, ast.Call):
                used += [a.value for a in decorator.args if isinstance(a, ast.Constant)]
    found.test = found.fixture is None and node.name.startswith("test")
    if found.fixture or found.test:  # a helper's arguments are values it is given
        arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        found.requests = [a.arg for a in arguments if a.arg not in ("self", "cls") and a.arg not in parametrized]
        found.requests += used
    return found


def read_module(path: str, source: str) -> tuple[Module, list[str]]:
    """A module's imports, pytestmark and definitions; and how its @lanes tags are misplaced."""
    tree = ast.parse(source, filename=path)
    module = Module(path, module_name(path))
    is_package = path.endswith("__init__.py")
    problems = []
    for node in tree.body:
        add_imports(module.imports, node, module.name, is_package)
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in targets):
                module.marks |= marks_in(node.value)
    tops = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    for node in tops:  # names first, so that a helper defined below its user is found
        module.definitions[node.name] = Definition(path, module.name, node.name)
    for node in tops:
        definition = read_definition(module, node, is_package)
        module.definitions[node.name] = definition
        if definition.fixture:
            module.fixtures[definition.fixture] = definition
        if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):  # its test methods
            for method in node.body:
                if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) and method.name.startswith("test"):
                    test = read_definition(module, method, is_package)
                    test.name = f"{node.name}::{method.name}"
                    test.marks |= set().union(*(marks_in(d) for d in node.decorator_list))
                    module.definitions[test.name] = test
        decorators = [dotted(d.func if isinstance(d, ast.Call) else d) for d in getattr(node, "decorator_list", [])]
        if "lanes" in decorators and "pytest.fixture" in decorators and \
                decorators.index("lanes") < decorators.index("pytest.fixture"):
            problems.append(f"{path}::{node.name}: @lanes(...) goes under @pytest.fixture, on the function")
    return module, problems


def lane_problems(sources: dict[str, str]) -> list[str]:
    """{path under the root: source} -> one line per test that lacks a lane it needs."""
    modules, problems = {}, []
    for path, source in sources.items():
        module, misplaced = read_module(path, source)
        modules[module.name] = module
        problems += misplaced
    conftests = {name.removesuffix(".conftest"): m for name, m in modules.items() if name.endswith("conftest")}

    def fixture(name: str, module: Module, asking: Definition) -> Definition | None:
        """The fixture `name` as seen from a module: its own, one it imports, then the conftests'."""
        local = module.fixtures.get(name)
        if local is not None and local is not asking:
            return local
        source, symbol = module.imports.get(name, (None, None))
        if symbol and source in modules and symbol in modules[source].definitions:
            found = modules[source].definitions[symbol]
            if found.fixture and found is not asking:
                return found
        for package in sorted(conftests, key=len, reverse=True):
            if module.name.startswith(package + ".") or module.name == package + ".conftest":
                found = conftests[package].fixtures.get(name)
                if found is not None and found is not asking:
                    return found
        return None

    def where(definition: Definition) -> Module:
        return modules[definition.module]

    for module in modules.values():
        file = module.path.rsplit("/", 1)[-1]
        if not (file.startswith("test_") or file.endswith("_test.py")):
            continue
        in_scope = [module] + [m for package, m in conftests.items() if module.name.startswith(package + ".")]
        autouse = [f for m in in_scope for f in m.fixtures.values() if f.autouse]
        for test in [d for d in module.definitions.values() if d.test]:
            needs: dict[str, str] = {}
            has = module.marks | test.marks
            seen = set()
            stack = [(test, test.name, True)]  # True: reached by argument names only (the hook sees it)
            stack += [(f, f"{test.name} -> {f.fixture} (autouse)", True) for f in autouse]
            while stack:
                definition, chain, by_name = stack.pop()
                if (id(definition), by_name) in seen:
                    continue
                seen.add((id(definition), by_name))
                if by_name and definition.fixture:
                    has |= definition.gives
                for lane, why in definition.needs.items():
                    needs.setdefault(lane, f"{chain}: {why}")
                home = where(definition)
                for name in definition.requests:
                    found = fixture(name, home, definition)
                    if found is not None:
                        stack.append((found, f"{chain} -> {found.fixture}", by_name))
                for name in definition.fetched:
                    found = fixture(name, home, definition)
                    if found is not None:
                        stack.append((found, f"{chain} -> getfixturevalue({name!r})", False))
                for source, symbol in definition.refs:
                    found = modules.get(source, Module("", "")).definitions.get(symbol)
                    if found is not None:
                        stack.append((found, f"{chain} -> {symbol}", False))
            for lane in LANES:
                if lane in needs and lane not in has:
                    problems.append(f"{module.path}::{test.name} lacks `{lane}`: {needs[lane]}")
    return problems


def test_every_test_carries_the_lanes_of_what_it_does():
    sources = {path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
               for path in sorted((ROOT / "tests").rglob("*.py"))}
    problems = lane_problems(sources)
    assert not problems, "mark these (pytestmark, a decorator, or lanes() on the fixture):\n" + "\n".join(problems)


EXAMPLE = '''
import subprocess, sys
import pytest
from playwright.sync_api import expect
from tests.conftest import LiveServer

def served(tmp_path):
    return LiveServer(tmp_path).start()

@pytest.fixture(params=["sqlite", "postgresql"])
def database(request):
    return request.getfixturevalue("postgres_url") if request.param == "postgresql" else "sqlite://"

def test_starts_a_server_through_a_helper(tmp_path):
    served(tmp_path)

def test_runs_the_cli():
    command = [sys.executable, "-m", "conference", "token", "door"]
    subprocess.run([*command], check=True)

def test_looks_at_a_page(page):
    expect(page).to_have_title("x")

def test_launches_its_own_browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        playwright.chromium.launch()

@pytest.mark.parametrize("page", ["/door"])
def test_a_page_that_is_an_address(client, page):
    assert client.get(page)

def test_fetches_postgresql(database):
    assert database

def test_counts_on_a_server(live_server):
    assert live_server.url

@pytest.mark.usefixtures("live_server")
def test_needs_a_server_running():
    pass

def test_only_pure_code():
    subprocess.run(["pdftotext", "-v"])
'''


def test_the_scan_finds_what_lacks_its_lane_and_accepts_it_once_marked():
    conftest = (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")
    problems = lane_problems({"tests/conftest.py": conftest, "tests/example/test_example.py": EXAMPLE})
    lacking = {line.split(" lacks ")[0]: line.split("`")[1] for line in problems}
    assert lacking == {
        "tests/example/test_example.py::test_starts_a_server_through_a_helper": "slow",
        "tests/example/test_example.py::test_runs_the_cli": "slow",
        "tests/example/test_example.py::test_launches_its_own_browser": "browser",
        "tests/example/test_example.py::test_fetches_postgresql": "services",
    }, problems
    assert "LiveServer" in next(p for p in problems if "helper" in p)  # the chain says why

    marked = EXAMPLE.replace('def test_starts', '@pytest.mark.slow\ndef test_starts') \
        .replace('def test_runs', '@pytest.mark.slow\ndef test_runs') \
        .replace('"postgresql"]', 'pytest.param("postgresql", marks=pytest.mark.services)]')
    marked += '\npytestmark = [pytest.mark.browser]\n'
    assert lane_problems({"tests/conftest.py": conftest, "tests/example/test_example.py": marked}) == []

    wrong_order = marked.replace("def served", "@lanes('slow')\n@pytest.fixture\ndef served")
    assert any("goes under @pytest.fixture" in p for p in
               lane_problems({"tests/conftest.py": conftest, "tests/example/test_example.py": wrong_order}))


def test_the_hook_gives_a_test_the_tags_of_the_fixtures_it_uses():
    @lanes("slow", "services")
    def tagged():
        pass

    def untagged():
        pass

    added = []
    item = SimpleNamespace(
        fixturenames=["tagged", "untagged", "request"],
        _fixtureinfo=SimpleNamespace(name2fixturedefs={"tagged": [SimpleNamespace(func=tagged)],
                                                       "untagged": [SimpleNamespace(func=untagged)]}),
        iter_markers=lambda: [SimpleNamespace(name="services")],  # already marked: not added twice
        add_marker=added.append)
    pytest_collection_modifyitems(None, [item])
    assert added == ["slow"]
