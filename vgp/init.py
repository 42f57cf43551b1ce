r"""Initialisers for the recurrent matrix $W_{hh}$ (H, H), and what they do to its spectrum.

* `orthogonal`: $W^\top W = I$, so every singular value is 1 and $\lVert W^n x\rVert = \lVert x\rVert$
  for every n (Saxe, McClelland & Ganguli 2014; Arjovsky, Shah & Bengio 2016). Drawn from the
  Haar (uniform) distribution: QR of a Gaussian matrix with the signs of $R$'s diagonal
  moved into $Q$ (Mezzadri 2007).
* `identity`: $W = s I$; with ReLU and zero bias this is the IRNN of Le, Jaitly & Hinton
  (2015): at initialisation the state is copied forward and the gradient backward unchanged.
* `small_random`: entries $N(0, \sigma^2)$ with a small $\sigma$ (e.g. 0.01): the spectral radius
  is about $\sigma\sqrt{H}$, far below 1, so gradients vanish geometrically from the start.
* `gaussian`: entries $N(0, g^2/H)$; the spectral radius tends to $g$ as H grows (circular law).
  With ``radius=`` it is rescaled to exactly that spectral radius (the matrix of
  `vgp.profile.random_rnn_profile` for the same seed).

>>> W = orthogonal(4, seed=0)
>>> np.allclose(W.T @ W, np.eye(4)), f"{np.linalg.svd(W, compute_uv=False).min():.12f}"
(True, '1.000000000000')
"""

from __future__ import annotations

import numpy as np

from vgp._validate import choice, integer, real
from vgp.spectral import rescale

__all__ = ["orthogonal", "identity", "small_random", "gaussian", "INITIALISERS", "recurrent"]


def orthogonal(H: int, seed: int, gain: float = 1.0) -> np.ndarray:
    r"""Haar-random orthogonal matrix times `gain`: all singular values equal `gain`.

    $W = g\,Q$ with $Q^\top Q = I$, from the QR factorisation $A = QR$ of a Gaussian $A$ with
    the signs of $R$'s diagonal moved into $Q$, so $\lVert W v \rVert = g \lVert v \rVert$ for every $v$.

    >>> W = orthogonal(3, seed=1, gain=0.5)
    >>> [f"{s:.6f}" for s in np.linalg.svd(W, compute_uv=False)]
    ['0.500000', '0.500000', '0.500000']
    """
    H = integer("H", H, minimum=1)
    rng = np.random.default_rng(integer("seed", seed, minimum=0))
    gain = real("gain", gain, minimum=0.0)
    A = rng.standard_normal((H, H))
    Q, R = np.linalg.qr(A)
    Q *= np.where(np.diag(R) < 0, -1.0, 1.0)          # sign fix: Haar, not biased by QR
    return gain * Q


def identity(H: int, scale: float = 1.0) -> np.ndarray:
    r"""$W = s I$ (IRNN with ReLU when s = 1).

    >>> identity(2, 0.9).tolist()
    [[0.9, 0.0], [0.0, 0.9]]
    """
    H = integer("H", H, minimum=1)
    return real("scale", scale) * np.eye(H)


def small_random(H: int, std: float = 0.01, seed: int = 0) -> np.ndarray:
    r"""Entries $N(0, \mathrm{std}^2)$, independent of H.

    >>> f"{small_random(64, std=0.01, seed=0).std():.3f}"
    '0.010'
    """
    H = integer("H", H, minimum=1)
    std = real("std", std, minimum=0.0)
    rng = np.random.default_rng(integer("seed", seed, minimum=0))
    return std * rng.standard_normal((H, H))


def gaussian(H: int, seed: int, gain: float = 1.0, radius: float | None = None) -> np.ndarray:
    r"""Entries $N(0, \mathrm{gain}^2/H)$, or rescaled to spectral radius `radius` if given
    (then `gain` only matters if it is 0, which leaves nothing to rescale).

    >>> from vgp.spectral import spectral_radius
    >>> f"{spectral_radius(gaussian(50, seed=0, radius=0.9)):.9f}"
    '0.900000000'
    """
    H = integer("H", H, minimum=1)
    rng = np.random.default_rng(integer("seed", seed, minimum=0))
    gain = real("gain", gain, minimum=0.0)
    W = rng.standard_normal((H, H)) * (gain / np.sqrt(H))
    if radius is not None:
        W = rescale(W, radius=real("radius", radius, minimum=0.0))
    return W


INITIALISERS = ("orthogonal", "identity", "small_random", "gaussian")


def recurrent(kind: str, H: int, *, seed: int = 0, **kwargs) -> np.ndarray:
    """Dispatch by name: ``recurrent("orthogonal", 64, seed=0)``; extra keywords go to the initialiser.

    >>> recurrent("identity", 2, scale=0.5).tolist()
    [[0.5, 0.0], [0.0, 0.5]]
    """
    choice("kind", kind, INITIALISERS)
    if kind == "identity":
        return identity(H, **kwargs)
    return {"orthogonal": orthogonal, "small_random": small_random,
            "gaussian": gaussian}[kind](H, seed=seed, **kwargs)
