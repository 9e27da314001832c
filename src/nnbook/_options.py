"""Options checked from a table: each option is declared once as a rule (a range, a set of choices, a flag)
with its hint, and every function that takes it checks it the same way, with the same message.

A rule is called with the value and the option's name and returns the value as the function uses it
(an ``int``, a ``float``, a ``bool``), or raises an error that says what was wrong and how to fix it.

>>> EPOCHS = Whole(1, hint="One epoch is one pass over the training data; try epochs=30.")
>>> EPOCHS(5, "epochs")
5
>>> EPOCHS(0, "epochs")
Traceback (most recent call last):
ValueError: epochs must be a whole number ≥ 1, got 0. One epoch is one pass over the training data; try epochs=30.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import numpy as np
import torch


def _hint(hint: str) -> str:
    return f" {hint}" if hint else ""


@dataclass(frozen=True)
class Whole:
    """A whole number in ``[low, high]`` (``high`` None: no upper bound); ``none=True`` lets None through.

    >>> Whole(2, hint="Points along the input.")(1, "steps")
    Traceback (most recent call last):
    ValueError: steps must be a whole number ≥ 2, got 1. Points along the input.
    """

    low: int | None = None
    high: int | None = None
    hint: str = ""
    none: bool = False

    def bounds(self) -> str:
        if self.low is not None and self.high is not None:
            return f"between {self.low} and {self.high}"
        return f"≥ {self.low}" if self.low is not None else (f"≤ {self.high}" if self.high is not None else "")

    def __call__(self, value: object, name: str) -> int | None:
        if value is None and self.none:
            return None
        what = f"a whole number {self.bounds()}".rstrip()
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, Integral):
            raise TypeError(f"{name} must be {what}, got {value!r} ({type(value).__name__}).{_hint(self.hint)}")
        value = int(value)
        if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
            raise ValueError(f"{name} must be {what}, got {value}.{_hint(self.hint)}")
        return value


@dataclass(frozen=True)
class Number:
    """A finite real number above ``low`` and below ``high`` (``open_low``/``open_high``: the bound itself is out).

    >>> Number(0, open_low=True, hint="Try lr=0.01.")(0, "lr")
    Traceback (most recent call last):
    ValueError: lr must be a finite number > 0, got 0. Try lr=0.01.
    """

    low: float | None = None
    high: float | None = None
    open_low: bool = False
    open_high: bool = False
    hint: str = ""
    none: bool = False

    def bounds(self) -> str:
        low = f"{'>' if self.open_low else '≥'} {self.low:g}" if self.low is not None else ""
        high = f"{'<' if self.open_high else '≤'} {self.high:g}" if self.high is not None else ""
        return " and ".join(b for b in (low, high) if b)

    def __call__(self, value: object, name: str) -> float | None:
        if value is None and self.none:
            return None
        what = f"a finite number {self.bounds()}".rstrip()
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
            raise TypeError(f"{name} must be {what}, got {value!r} ({type(value).__name__}).{_hint(self.hint)}")
        value = float(value)
        too_low = self.low is not None and (value <= self.low if self.open_low else value < self.low)
        too_high = self.high is not None and (value >= self.high if self.open_high else value > self.high)
        if not math.isfinite(value) or too_low or too_high:
            raise ValueError(f"{name} must be {what}, got {value:g}.{_hint(self.hint)}")
        return value


@dataclass(frozen=True)
class Choice:
    """One of ``values``; a near miss gets "did you mean".

    >>> Choice(("epoch", "batch"))("epochs", "on")
    Traceback (most recent call last):
    ValueError: on must be one of ['epoch', 'batch'], got 'epochs'. Did you mean 'epoch'?
    """

    values: tuple[Any, ...]
    hint: str = ""

    def __call__(self, value: object, name: str) -> Any:
        try:
            known = value in self.values
        except TypeError:  # an unhashable or odd value
            known = False
        if not known:
            close = (
                difflib.get_close_matches(value, [str(v) for v in self.values], n=1) if isinstance(value, str) else []
            )
            guess = f" Did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"{name} must be one of {list(self.values)}, got {value!r}.{guess}{_hint(self.hint)}")
        return value


@dataclass(frozen=True)
class Flag:
    """True or False (1 and 0 too); a string such as "no" is refused, since it would count as True.

    >>> Flag()(0, "progress")
    False
    """

    hint: str = ""

    def __call__(self, value: object, name: str) -> bool:
        if isinstance(value, (bool, np.bool_)) or (isinstance(value, (int, np.integer)) and value in (0, 1)):
            return bool(value)
        raise TypeError(f"{name} must be True or False, got {value!r} ({type(value).__name__}).{_hint(self.hint)}")


Rule = Whole | Number | Choice | Flag

#: Options that mean the same thing wherever they appear.
SEED = Whole(0, 2**63 - 1, hint="Use a whole number such as seed=0 or seed=42.")


def check_seed(seed: object) -> int:
    """``seed`` as an int (NumPy integers too), within what PyTorch's generators take.

    >>> check_seed(1.5)
    Traceback (most recent call last):
    TypeError: seed must be a whole number between 0 and 9223372036854775807, got 1.5 (float). Use a whole number such as seed=0 or seed=42.
    """
    return SEED(seed, "seed")


def check_list(value: object, name: str, example: str) -> list:
    """A list option (``metrics``, ``callbacks``) given as one bare item gets a message with the brackets.

    >>> check_list("mae", "metrics", "'mae'")
    Traceback (most recent call last):
    TypeError: metrics must be a list, got the single str 'mae'. Put it in a list: metrics=['mae'].
    """
    if value is None:
        return []
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        shown = repr(value) if isinstance(value, str) else example
        raise TypeError(
            f"{name} must be a list, got the single {type(value).__name__} {value!r}. Put it in a list: {name}=[{shown}]."
        )
    return list(value)


def check_options(func: Callable) -> Callable:
    """Decorate ``func`` so that an unknown keyword lists the valid ones (and the closest match), and a
    keyword-only option passed by position is named.

    >>> @check_options
    ... def f(model, *, epochs=1): return epochs
    >>> f(None, epochs=3)
    3
    """
    signature = inspect.signature(func)
    params = list(signature.parameters.values())
    valid = [p.name for p in params if p.kind is not p.VAR_KEYWORD and p.name != "self"]
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    keyword_only = [p.name for p in params if p.kind is p.KEYWORD_ONLY]
    name = func.__qualname__.removesuffix(".__init__")

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        unknown = [k for k in kwargs if k not in signature.parameters or k == "self"]
        if unknown:
            close = difflib.get_close_matches(unknown[0], valid, n=1)
            guess = f" Did you mean {close[0]}=…?" if close else ""
            raise TypeError(f"{name}() has no option {unknown[0]!r}.{guess} Its options are: {', '.join(valid)}.")
        if len(args) > len(positional) and keyword_only:
            extra = args[len(positional)]
            free = [k for k in keyword_only if k not in kwargs]
            first = free[0] if free else keyword_only[0]
            raise TypeError(
                f"{name}() got {extra!r} as an extra positional argument, but its options are given by name: "
                f"write {first}={extra!r}. Its options are: {', '.join(keyword_only)}."
            )
        required = [p.name for p in params if p.kind is p.KEYWORD_ONLY and p.default is p.empty]
        missing = [k for k in required if k not in kwargs]
        if missing:
            given = [
                (p.name, a)
                for p, a in zip(positional, args, strict=False)
                if isinstance(a, Integral) and not isinstance(a, bool)
            ]
            hint = (
                f" ({given[-1][0]}={given[-1][1]!r} was given by position: did you mean {missing[0]}={given[-1][1]!r}?)"
            )
            raise TypeError(
                f"{name}() needs {missing[0]}=… by name{hint if given else ''}, for example {name}(…, {missing[0]}=30)."
            )
        return func(*args, **kwargs)

    return wrapper


def check_device(device: object) -> torch.device:
    """The ``torch.device`` for ``device`` (None: CUDA when present, else the CPU), refusing one this machine lacks.

    >>> check_device("cpu")
    device(type='cpu')
    """
    if device is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(device)  # type: ignore[arg-type]
    except (RuntimeError, TypeError) as err:
        raise ValueError(
            f"device={device!r} is not a device PyTorch knows. Use device='cpu', device='cuda', or leave it out "
            f"(None picks the GPU when there is one). (PyTorch said: {err})"
        ) from None
    available = {"cpu": True, "meta": False, "cuda": torch.cuda.is_available()}
    mps = getattr(torch.backends, "mps", None)
    available["mps"] = bool(mps and mps.is_available())
    if not available.get(device.type, False):
        raise ValueError(
            f"device={str(device)!r}, but this machine has no {device.type.upper()} device that PyTorch can use "
            f"(torch {torch.__version__}). Train on the CPU with device='cpu', or leave device out: "
            "nnbook then picks the GPU when there is one and the CPU otherwise."
        )
    if device.type == "cuda" and device.index is not None and device.index >= torch.cuda.device_count():
        raise ValueError(
            f"device={str(device)!r}, but this machine has {torch.cuda.device_count()} GPU(s), numbered from 0."
        )
    return device
