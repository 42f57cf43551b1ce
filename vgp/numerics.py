r"""Portable numerics: training results that are bit for bit the same on every x86-64 CPU.

A trained model is a chaotic function of its floating-point rounding. PyTorch's CPU kernels
and the BLAS it calls (Intel MKL) pick their code by the CPU they run on (SSE, AVX2,
AVX-512; one code for Intel, another for AMD), and each code sums in its own order. On two
machines with the same seed and the same library versions, the same 1200-step run then ends
in different places: seen here, a vanilla RNN that learns the copying task at delay 10 on
one machine and fails it on another. A site whose numbers are checked on every test run, on
whatever machine runs the tests, cannot publish such a number.

So every cached result (`vgp.cache.cached`) is computed with one code path everywhere:

* `ATEN_CPU_CAPABILITY=default`: PyTorch's own kernels in their baseline x86-64 build, not
  the AVX2 or AVX-512 copies it would otherwise choose;
* `MKL_CBWR=COMPATIBLE`: MKL's conditional numerical reproducibility in its *compatible*
  branch, the one branch that Intel documents as giving the same results on Intel and
  non-Intel processors (the AVX2 branch falls back to automatic dispatch on AMD);
* `ONEDNN_MAX_CPU_ISA=SSE41` for oneDNN, should PyTorch route an operation through it;
* one thread (`OMP_NUM_THREADS`, `MKL_NUM_THREADS`), so no sum is split by the core count.

These are read once, when the libraries load, so they must be in the environment before
`torch` is imported. `call` runs a computation in the current process when it is already
portable, and otherwise in a fresh interpreter started with this environment. The test
suite (conftest.py) and the `vgp` command make their own process portable up front, so
nothing needs a second interpreter there; a site build sends each missing result to one.

The price is speed: without the AVX2 or AVX-512 kernels, training takes markedly longer
(`benchmarks/bench_experiments.py` times the whole set).
Results still differ on other architectures (ARM), where these settings do not apply.

>>> PORTABLE_ENV["MKL_CBWR"], PORTABLE_ENV["ATEN_CPU_CAPABILITY"]
('COMPATIBLE', 'default')
"""

from __future__ import annotations

import contextlib
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any, Callable, Iterator

from vgp._validate import integer

PORTABLE_ENV = {
    "ATEN_CPU_CAPABILITY": "default",
    "MKL_CBWR": "COMPATIBLE",
    "ONEDNN_MAX_CPU_ISA": "SSE41",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


def is_portable() -> bool:
    """True when computations in this process take the portable code paths: the environment
    holds `PORTABLE_ENV` and, if torch is loaded, it runs its baseline kernels.

    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"MKL_CBWR": "AUTO"}):
    ...     is_portable()
    False
    """
    if any(os.environ.get(k) != v for k, v in PORTABLE_ENV.items()):
        return False
    torch = sys.modules.get("torch")
    return torch is None or torch.backends.cpu.get_cpu_capability() == "DEFAULT"


def enter() -> bool:
    """Make this process portable if torch is not loaded yet (its libraries read the
    environment when they load); return whether the process is portable.

    >>> import subprocess
    >>> code = ("from vgp import numerics; print(numerics.enter()); "
    ...         "import torch; print(numerics.is_portable())")
    >>> subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.split()
    ['True', 'True']
    """
    if "torch" not in sys.modules:
        os.environ.update(PORTABLE_ENV)
    return is_portable()


@contextlib.contextmanager
def environment(env: dict[str, str]) -> Iterator[None]:
    """Set `env` in `os.environ` for the block (child processes started in it inherit it),
    then restore what was there.

    >>> with environment({"VGP_DEMO": "1"}):
    ...     os.environ["VGP_DEMO"]
    '1'
    >>> "VGP_DEMO" in os.environ
    False
    """
    if not isinstance(env, dict) or not all(isinstance(v, str) for v in env.values()):
        raise TypeError("env must be a dict of str to str")
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextlib.contextmanager
def pool(jobs: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of `jobs` fresh interpreters, each started with `PORTABLE_ENV`.

    >>> with pool(1) as ex:
    ...     ex.submit(is_portable).result()
    True
    """
    jobs = integer("jobs", jobs, minimum=1)
    with environment(PORTABLE_ENV), ProcessPoolExecutor(
            jobs, mp_context=get_context("spawn")) as ex:
        yield ex


def checked(fn: Callable[..., Any], *args: Any) -> Any:
    """`fn(*args)`, refusing to run it in a process that is not portable.

    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"MKL_CBWR": "AUTO"}):
    ...     checked(pow, 2, 3)
    Traceback (most recent call last):
    RuntimeError: not a portable process: start it with vgp.numerics.PORTABLE_ENV set
    """
    if not is_portable():
        raise RuntimeError("not a portable process: start it with vgp.numerics.PORTABLE_ENV set")
    return fn(*args)


def call(fn: Callable[..., Any], *args: Any) -> Any:
    """`fn(*args)` computed with the portable code paths: here if this process takes them,
    else in a fresh interpreter that does (`fn` and `args` must then be picklable: a
    module-level function, not a lambda).

    >>> call(pow, 2, 10)
    1024
    """
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")
    if is_portable():
        return fn(*args)
    with pool(1) as ex:
        return ex.submit(checked, fn, *args).result()
