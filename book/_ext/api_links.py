"""Sphinx extension: the API reference, and links between it and the chapters in both directions.

- ``{nnbook-api} nnbook.training`` renders a module's docstring and every public name of it
  (its ``__all__``, or the functions and classes it defines) with autodoc.
- Each documented name gets a "Used in" line listing the chapters whose code uses it, found by
  reading the chapters' code cells (``from nnbook.x import f``, ``nnbook.x.f(...)``).
- A reference to a private path of a public object (``nnbook.training.learner.fit``, as type hints
  produce) is redirected to its public name; a reference to an ``nnbook`` name that does not exist
  is a warning, so a strict build fails on it.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib
import inspect
import pkgutil
from collections.abc import Iterable
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from package_fingerprint import package_fingerprint
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

LOGGER = logging.getLogger(__name__)
PACKAGE = "nnbook"
REFERENCE_PREFIX = "book/reference/"


def public_modules(package: str = PACKAGE) -> list[str]:
    """The package and its top-level public modules, in the order the reference lists them."""
    root = importlib.import_module(package)
    found = sorted(m.name for m in pkgutil.iter_modules(root.__path__) if not m.name.startswith("_"))
    return [package] + [f"{package}.{name}" for name in found]


def _exported(module) -> list[str]:
    if hasattr(module, "__all__"):
        return [n for n in module.__all__ if not n.startswith("__")]
    return [
        name
        for name, obj in vars(module).items()
        if not name.startswith("_")
        and (inspect.isfunction(obj) or inspect.isclass(obj))
        and obj.__module__ == module.__name__
    ]


@functools.cache
def public_names(package: str = PACKAGE) -> dict[str, object]:
    """Every public name → its object. An object exported twice keeps its first (shortest) name.

    ``nnbook.glue`` is public; ``nnbook.display.glue`` is the same object, so it is not listed again.
    """
    names: dict[str, object] = {}
    seen: set[int] = set()
    for modname in public_modules(package):
        module = importlib.import_module(modname)
        for name in _exported(module):
            obj = getattr(module, name)
            if id(obj) in seen and (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            seen.add(id(obj))
            names[f"{modname}.{name}"] = obj
    return names


def names_of_module(modname: str, package: str = PACKAGE) -> list[str]:
    """The public names documented on ``modname``'s reference page."""
    return [n for n in public_names(package) if n.rsplit(".", 1)[0] == modname]


def resolve(dotted: str):
    """The object a dotted path names, following attributes as Python does (importing submodules), or None."""
    parts = dotted.split(".")
    try:
        obj = importlib.import_module(parts[0])
    except ImportError:
        return None
    for i, attr in enumerate(parts[1:], start=1):
        if hasattr(obj, attr):
            obj = getattr(obj, attr)
        elif inspect.ismodule(obj):
            try:
                obj = importlib.import_module(".".join(parts[: i + 1]))
            except ImportError:
                return None
        else:
            return None
    return obj


def data_comment(name: str) -> list[str]:
    """The ``#:`` doc comment of a public constant, looked up in the module that assigns it."""
    from sphinx.pycode import ModuleAnalyzer

    modname, _, attr = name.rpartition(".")
    module = importlib.import_module(modname)
    candidates = [modname] + [f"{modname}.{m.name}" for m in pkgutil.iter_modules(getattr(module, "__path__", []))]
    for candidate in candidates:
        try:
            docs = ModuleAnalyzer.for_module(candidate).find_attr_docs()
        except Exception:  # a module without source: nothing to find
            continue
        if ("", attr) in docs:
            return list(docs[("", attr)])
    return []


def public_name_of(dotted: str, package: str = PACKAGE) -> str | None:
    """The public name of whatever ``dotted`` names (``nnbook.training.learner.fit`` → ``nnbook.training.fit``)."""
    obj = resolve(dotted)
    if obj is None:
        return None
    names = public_names(package)
    if dotted in names:
        return dotted
    for name, other in names.items():
        if other is obj and (inspect.isfunction(obj) or inspect.isclass(obj) or name == dotted):
            return name
    # a method or attribute of a public class: nnbook.training.learner.Learner.fit → nnbook.training.Learner.fit
    head, _, tail = dotted.rpartition(".")
    owner = public_name_of(head, package) if head.count(".") >= 1 else None
    return f"{owner}.{tail}" if owner else None


def code_of(path: Path) -> list[str]:
    """The source of every code cell of a chapter (MyST markdown read by jupytext)."""
    import jupytext

    return [cell.source for cell in jupytext.read(path).cells if cell.cell_type == "code"]


def _parse(source: str) -> ast.AST | None:
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


def candidate_names(sources: Iterable[str], package: str = PACKAGE) -> list[str]:
    """The dotted names in the code that may refer to ``package``, in order, found without importing it.

    >>> candidate_names(["from nnbook.training import fit", "import nnbook\\nnnbook.set_seed(0)"])
    ['nnbook.training.fit', 'nnbook.set_seed']
    """
    found: list[str] = []
    aliases: dict[str, str] = {}  # a notebook's namespace: an import in one cell holds in the next
    for source in sources:
        tree = _parse(source)
        if tree is None:
            continue
        candidates: list[tuple[int, int, str]] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == package:
                for alias in node.names:
                    candidates.append((node.lineno, node.col_offset, f"{node.module}.{alias.name}"))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == package:
                        aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else package
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                dotted = _dotted(node)
                if dotted and dotted.split(".")[0] in aliases:
                    head, _, rest = dotted.partition(".")
                    candidates.append((node.lineno, node.col_offset, f"{aliases[head]}.{rest}"))
        found.extend(dotted for _, _, dotted in sorted(candidates))
    return found


def used_names(sources: Iterable[str], package: str = PACKAGE) -> list[str]:
    """The public names of ``package`` that the code uses, in order of first use.

    >>> used_names(["from nnbook.training import fit", "import nnbook\\nnnbook.set_seed(0)"])
    ['nnbook.training.fit', 'nnbook.set_seed']
    """
    found: list[str] = []
    for dotted in candidate_names(sources, package):
        # the longest prefix that is a public name: nnbook.training.fit(...).history → nnbook.training.fit
        parts = dotted.split(".")
        for cut in range(len(parts), 1, -1):
            name = public_name_of(".".join(parts[:cut]), package)
            if name and name.count(".") >= 1 and not inspect.ismodule(resolve(name)):
                if name not in found:
                    found.append(name)
                break
    return found


def chapter_usage(chapters: dict[str, Path], package: str = PACKAGE) -> dict[str, list[str]]:
    """Public name → the chapters (docnames, in the given order) whose code uses it."""
    usage: dict[str, list[str]] = {}
    for docname, path in chapters.items():
        for name in used_names(code_of(path), package):
            usage.setdefault(name, []).append(docname)
    return usage


# --- Sphinx glue -------------------------------------------------------------------------------------------


def summary_line(name: str) -> str:
    """The first sentence or paragraph of a public name's documentation, on one line."""
    obj = resolve(name)
    if callable(obj):
        text = inspect.getdoc(obj) or ""
    else:
        text = "\n".join(data_comment(name))
    return " ".join(text.split("\n\n")[0].split()) or "(undocumented)"


class ApiDirective(SphinxDirective):
    """``{nnbook-api} nnbook.training``: the module docstring, then each public name with autodoc."""

    required_arguments = 1
    option_spec = {"summary": directives.flag}

    def run(self) -> list[nodes.Node]:
        modname = self.arguments[0]
        names = names_of_module(modname, self.config.api_links_package)
        if not names:
            raise self.error(f"{modname} has no public names: is it a module of the {PACKAGE} package?")
        if "summary" in self.options:  # a table of the names with their first docstring lines
            lines = [".. list-table::", "   :class: nnbook-api-summary", ""]
            for name in names:
                lines += [f"   * - :py:obj:`~{name}`", f"     - {summary_line(name)}"]
            return self._parse(lines, modname)
        lines = [f".. automodule:: {modname}", ""]
        for name in names:
            obj = resolve(name)
            if inspect.isclass(obj):
                lines += [f".. autoclass:: {name}", "   :members:", "   :show-inheritance:", ""]
            elif callable(obj):
                lines += [f".. autofunction:: {name}", ""]
            else:  # a constant: its ``#:`` comment, not the docstring of its type
                lines += [f".. py:data:: {name.rsplit('.', 1)[1]}", f"   :module: {modname}", ""]
                lines += [f"   {line}" for line in data_comment(name)]
                lines += [f"   {line}" for line in used_in_field(self.env, name)] + [""]
        return self._parse(lines, modname)

    def _parse(self, lines: list[str], modname: str) -> list[nodes.Node]:
        # autodoc writes reStructuredText, so the generated directives go through MyST's eval-rst
        lines = ["```{eval-rst}", *lines, "```"]
        container = nodes.container()
        nested_parse_with_titles(self.state, StringList(lines, source=f"<nnbook-api {modname}>"), container)
        return container.children


def _chapters(app, env) -> dict[str, Path]:
    docs = sorted(d for d in env.found_docs if d.startswith("book/") and not d.startswith(REFERENCE_PREFIX))
    chapters = {}
    for docname in docs:
        path = Path(env.doc2path(docname))
        if path.suffix == ".md" and "```{code-cell}" in path.read_text(encoding="utf-8"):
            chapters[docname] = path
    return chapters


def _outdated(app, env, added, changed, removed) -> list[str]:
    """Re-read the reference pages when the chapters' use of the package changed."""
    chapters = _chapters(app, env)
    # Working out the usage imports the package (and torch): skip it unless the package changed or a
    # chapter's code names something new of it (an edit elsewhere in a chapter changes nothing here).
    package = app.config.api_links_package
    fingerprint = package_fingerprint().encode()
    files = hashlib.sha256(fingerprint + b"".join(d.encode() + p.read_bytes() for d, p in chapters.items()))
    if getattr(env, "nnbook_usage_files", None) == files.hexdigest() and hasattr(env, "nnbook_usage"):
        return []  # nothing changed at all (a no-op build): not even the chapters are parsed
    env.nnbook_usage_files = files.hexdigest()
    names = hashlib.sha256(fingerprint)
    for docname, path in chapters.items():
        names.update(docname.encode() + "\n".join(candidate_names(code_of(path), package)).encode())
    if getattr(env, "nnbook_usage_key", None) == names.hexdigest() and hasattr(env, "nnbook_usage"):
        return []
    env.nnbook_usage_key = names.hexdigest()
    usage = chapter_usage(chapters, package)
    previous = getattr(env, "nnbook_usage", None)
    env.nnbook_usage = usage
    if previous is not None and previous != usage:
        return sorted(d for d in env.found_docs if d.startswith(REFERENCE_PREFIX))
    return []


def used_in_field(env, name: str) -> list[str]:
    """A reST field "Used in:" linking the chapters that use ``name`` (nothing when none does)."""
    usage = getattr(env, "nnbook_usage", {})
    if name not in usage:
        return []
    return ["", ":Used in: " + ", ".join(f":doc:`/{docname}`" for docname in usage[name])]


def _used_in(app, what, name, obj, options, lines) -> None:
    lines.extend(used_in_field(app.env, name))


def _missing_reference(app, env, node, contnode):
    """Send ``nnbook.x.y.f`` (a private path) to its public name; warn about nnbook names that do not exist."""
    target = node.get("reftarget", "")
    if node.get("refdomain") != "py" or not target.startswith(app.config.api_links_package + "."):
        return None
    public = public_name_of(target, app.config.api_links_package)
    if public and public != target:
        domain = env.get_domain("py")
        node = node.deepcopy()
        node["reftarget"] = public
        found = domain.resolve_xref(env, node["refdoc"], app.builder, node["reftype"], public, node, contnode)
        if found is not None:
            return found
    if resolve(target) is None or not node["refdoc"].startswith(REFERENCE_PREFIX):
        LOGGER.warning(
            f"{target} is not in the API reference: check the name, or make it public (add it to the module's __all__).",
            location=node,
            type="nnbook",
            subtype="reference",
        )
    return None


def setup(app):
    app.add_config_value("api_links_package", PACKAGE, "env")
    app.add_directive("nnbook-api", ApiDirective)
    app.connect("env-get-outdated", _outdated)
    app.connect("autodoc-process-docstring", _used_in)
    app.connect("missing-reference", _missing_reference)
    return {"version": "1.0", "parallel_read_safe": False, "env_version": 1}
