"""Sphinx extension: the versions this build used, as MyST substitutions for the status page.

``{{ version_torch }}`` in a page gives the installed torch version (the same for each package of
``PACKAGES``, ``-`` written ``_``), and ``{{ version_python }}`` Python's. The chapters' execution
table next to them is myst-nb's own ``{nb-exec-table}``. A changed version changes the configuration,
so Sphinx reads every page again.
"""

from __future__ import annotations

import platform
from importlib import metadata

PACKAGES = ["torch", "numpy", "matplotlib", "jupyter-book", "myst-nb", "jupyter-cache", "sphinx", "nnbook"]


def version(package: str) -> str:
    """The installed version of ``package``, or "not installed"."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _versions(app, config) -> None:
    found = {f"version_{p.replace('-', '_')}": version(p) for p in PACKAGES}
    found["version_python"] = platform.python_version()
    config.myst_substitutions = {**found, **config.myst_substitutions}


def setup(app):
    app.connect("config-inited", _versions)
    return {"version": "2.0", "parallel_read_safe": True}
