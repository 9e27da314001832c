"""Write the intersphinx inventories of NumPy, pandas, matplotlib and PyTorch that the book links to.

No installable package ships these projects' ``objects.inv``, so this script writes one per project
for exactly the objects the book names (in its chapters and in the API reference's type hints), with
each project's documented URL layout; a class is also listed under the module that defines it
(``torch.nn.modules.module.Module``), the name the API reference's type hints refer to. The files use
Sphinx's inventory format version 2: four header lines, then zlib-compressed lines
``name domain:role priority uri dispname`` (``-``: same as name).

Run it from the repository root after adding a reference to a new object (``make inventories``)::

    python tools/intersphinx_inventories.py   # rewrites book/_intersphinx/{numpy,pandas,matplotlib,torch}.inv
"""

import importlib
import zlib
from importlib.metadata import version
from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / "book" / "_intersphinx"

# The objects the book names, by py role. Their URIs follow each project's layout (see uri below).
OBJECTS: dict[str, dict[str, list[str]]] = {
    "numpy": {"function": ["numpy.linalg.eigvalsh", "numpy.linalg.lstsq"]},
    "pandas": {
        "class": ["pandas.DataFrame", "pandas.Series"],
        "function": ["pandas.get_dummies", "pandas.read_csv"],
    },
    "matplotlib": {
        "class": ["matplotlib.animation.FuncAnimation", "matplotlib.axes.Axes", "matplotlib.figure.Figure"],
        "function": ["matplotlib.pyplot.subplots"],
    },
    "torch": {
        "class": [
            "torch.Tensor",
            "torch.device",
            "torch.no_grad",
            "torch.nn.Linear",
            "torch.nn.Module",
            "torch.nn.Sequential",
            "torch.nn.parameter.Parameter",
            "torch.optim.Adam",
            "torch.optim.Optimizer",
            "torch.optim.SGD",
            "torch.optim.lr_scheduler.OneCycleLR",
            "torch.utils.data.DataLoader",
            "torch.utils.data.Dataset",
            "torch.utils.data.TensorDataset",
        ],
        "method": [
            "torch.Tensor.backward",
            "torch.Tensor.detach",
            "torch.Tensor.sub_",
            "torch.nn.Module.named_parameters",
        ],
        "function": [
            "torch.func.stack_module_state",
            "torch.func.vmap",
            "torch.linalg.eigvalsh",
            "torch.linalg.lstsq",
            "torch.manual_seed",
            "torch.nn.init.kaiming_uniform_",
        ],
    },
}
# PyTorch documents these on a topic page (or their class's page) rather than on a page of their own.
TORCH_PAGES = {
    "torch.Tensor": "tensors.html",
    "torch.device": "tensor_attributes.html",
    "torch.optim.Optimizer": "optim.html",
    "torch.utils.data.DataLoader": "data.html",
    "torch.utils.data.Dataset": "data.html",
    "torch.utils.data.TensorDataset": "data.html",
    "torch.nn.init.kaiming_uniform_": "nn.init.html",
    "torch.nn.Module.named_parameters": "generated/torch.nn.Module.html",
}
# Where each project's API pages live, relative to its documentation root in _config.yml.
GENERATED = {
    "numpy": "reference/generated/",
    "pandas": "reference/api/",
    "matplotlib": "api/_as_gen/",
    "torch": "generated/",
}
TITLES = {"numpy": "NumPy", "pandas": "pandas", "matplotlib": "Matplotlib", "torch": "PyTorch"}


def uri(project: str, name: str) -> str:
    """Return the page and anchor of ``name`` relative to ``project``'s documentation root.

    >>> uri("torch", "torch.nn.Linear")
    'generated/torch.nn.Linear.html#torch.nn.Linear'
    >>> uri("torch", "torch.Tensor")
    'tensors.html#torch.Tensor'
    """
    page = TORCH_PAGES.get(name) if project == "torch" else None
    return f"{page or GENERATED[project] + name + '.html'}#{name}"


def defined_as(name: str) -> str:
    """Return the name of the module where the class ``name`` is defined, which Sphinx's autodoc links to.

    >>> defined_as("torch.nn.Module")
    'torch.nn.modules.module.Module'
    """
    module, _, attribute = name.rpartition(".")
    cls = getattr(importlib.import_module(module), attribute)
    return f"{cls.__module__}.{cls.__qualname__}"


def inventory(project: str) -> bytes:
    """Return the bytes of ``project``'s objects.inv (the version is the one the book installs)."""
    release = version(project).split("+")[0]
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {TITLES[project]}\n# Version: {release}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    # Each class is listed under its public name and, as the projects' own inventories do, its defining module's.
    entries = {(name, role, name) for role, names in OBJECTS[project].items() for name in names}
    entries |= {(defined_as(name), "class", name) for name in OBJECTS[project].get("class", [])}
    lines = "".join(f"{name} py:{role} 1 {uri(project, public)} -\n" for name, role, public in sorted(entries))
    return header.encode() + zlib.compress(lines.encode(), 9)


if __name__ == "__main__":
    for project in OBJECTS:
        (FOLDER / f"{project}.inv").write_bytes(inventory(project))
        print(f"wrote {FOLDER / project}.inv")
