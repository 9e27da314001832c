"""Sphinx extension: re-execute the chapters when the nnbook package changes.

jupyter-cache decides whether a notebook must run again from the notebook's own code only, so
an edit to ``src/nnbook`` alone would leave every cached page showing outputs of the old
package. This extension closes that gap in two steps:

1. it appends one hidden code cell (tagged ``remove-cell``) to every chapter that imports
   nnbook, holding a fingerprint of the package sources, so a package change changes the
   chapter's code and therefore its cache key;
2. when the fingerprint differs from the previous build's, it tells Sphinx that those chapters
   are outdated, so they are read (and executed) again even though their files did not change.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "nnbook"


def package_fingerprint(package: Path = PACKAGE) -> str:
    """SHA-256 over the package's source and data files, names included."""
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in {".py", ".csv"}):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _imports(name: str) -> re.Pattern:
    return re.compile(rf"^\s*(from|import)\s+{re.escape(name)}\b", re.MULTILINE)


def _inject(app, docname: str, source: list[str]) -> None:
    text = source[0]
    if "format_name: myst" in text and _imports(app.config.fingerprint_package_name).search(text):
        fingerprint = app.env.nnbook_fingerprint
        source[0] = text.rstrip("\n") + (
            f"\n\n```{{code-cell}} ipython3\n:tags: [remove-cell]\n\n# {app.config.fingerprint_package_name} package fingerprint: {fingerprint}\n```\n"
        )
        app.env.nnbook_chapters.add(docname)


def _outdated(app, env, added, changed, removed) -> list[str]:
    previous = getattr(env, "nnbook_fingerprint", None)
    env.nnbook_fingerprint = package_fingerprint(Path(app.config.fingerprint_package_dir or PACKAGE))
    if not hasattr(env, "nnbook_chapters"):
        env.nnbook_chapters = set()
    if previous is not None and previous != env.nnbook_fingerprint:
        return sorted(env.nnbook_chapters & env.found_docs)
    return []


def setup(app):
    app.add_config_value("fingerprint_package_dir", "", "env")
    app.add_config_value("fingerprint_package_name", "nnbook", "env")
    app.connect("env-get-outdated", _outdated)
    app.connect("source-read", _inject)
    return {"version": "1.0", "parallel_read_safe": False, "env_version": 1}
