"""Input validation shared by the public `vgp` API.

Every public function checks its arguments with these helpers so a reader who passes
the wrong thing gets a `ValueError`/`TypeError` that names the offending parameter,
never a NumPy broadcasting error from deep inside a loop.
"""

from __future__ import annotations

import numbers

import numpy as np


def as_array(name: str, value, *, ndim: int | tuple[int, ...] | None = None,
             finite: bool = True) -> np.ndarray:
    """Return `value` as a float64 array, checking its rank and that it is finite."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}")
    try:
        complex_values = np.iscomplexobj(value)        # would be cast silently, losing .imag
        arr = None if complex_values else np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError) as exc:
        raise TypeError(f"{name} must be an array of numbers: {exc}") from None
    if complex_values:
        raise TypeError(f"{name} must be an array of real numbers, got complex values")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            want = " or ".join(str(a) for a in allowed)
            raise ValueError(f"{name} must have {want} dimensions, got shape {arr.shape}")
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values")
    return arr


def square(name: str, value) -> np.ndarray:
    """A finite, non-empty square matrix."""
    arr = as_array(name, value, ndim=2)
    if arr.shape[0] != arr.shape[1] or arr.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty square matrix, got shape {arr.shape}")
    return arr


def integer(name: str, value, *, minimum: int | None = None,
            maximum: int | None = None) -> int:
    """An int (not bool) within [minimum, maximum]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def real(name: str, value, *, minimum: float | None = None, maximum: float | None = None,
         strict_min: bool = False) -> float:
    """A finite real number within the given range."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    try:
        value = float(value)
    except OverflowError:
        raise ValueError(f"{name} must be finite, got a number too large for a float") from None
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if minimum is not None:
        if strict_min and value <= minimum:
            raise ValueError(f"{name} must be > {minimum}, got {value}")
        if not strict_min and value < minimum:
            raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def choice(name: str, value, options) -> str:
    """One of a fixed set of strings."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    if value not in options:
        raise ValueError(f"{name} must be one of {sorted(options)}, got {value!r}")
    return value
