"""Sphinx extension: the versions of this build as MyST substitutions, for the status page's table.

``{{ version_torch }}`` gives the installed torch version (each package of ``PACKAGES``, ``-`` written
``_``), ``{{ version_python }}`` Python's. A new version changes the configuration, so every page is
read again. The chapters' execution table beside it is myst-nb's ``{nb-exec-table}``.
"""

import platform
from importlib import metadata

PACKAGES = ["torch", "numpy", "matplotlib", "jupyter-book", "myst-nb", "jupyter-cache", "sphinx", "nnbook"]


def _versions(app, config) -> None:
    found = {"version_python": platform.python_version()}
    for package in PACKAGES:
        try:
            found[f"version_{package.replace('-', '_')}"] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[f"version_{package.replace('-', '_')}"] = "not installed"
    config.myst_substitutions = {**found, **config.myst_substitutions}


def setup(app):
    app.connect("config-inited", _versions)
    return {"version": "2.0", "parallel_read_safe": True}
