r"""Activation functions phi and their slopes phi'.

The step Jacobian of a recurrent layer is $\mathrm{diag}(\phi'(z_t))\,W_{hh}$, so the
slope of the activation is half of the vanishing-gradient story. Slopes are taken with
respect to the pre-activation $z$:

* tanh: $\phi'(z) = 1 - \tanh^2 z \le 1$ (equal to 1 only at $z = 0$)
* sigmoid: $\phi'(z) = \sigma(z)(1 - \sigma(z)) \le 1/4$
* relu: $\phi'(z) = 1$ for $z > 0$, else 0
* identity: $\phi'(z) = 1$

>>> from vgp.activations import phi, dphi
>>> float(dphi("tanh", 0.0)), float(dphi("sigmoid", 0.0))
(1.0, 0.25)
"""

from __future__ import annotations

import numpy as np

from vgp._validate import as_array, choice

ACTIVATIONS = ("tanh", "sigmoid", "relu", "identity")

# Largest slope of each activation: the gamma of the bound ||dh_t/dh_k|| <= (sigma_max gamma)^(t-k).
MAX_SLOPE = {"tanh": 1.0, "sigmoid": 0.25, "relu": 1.0, "identity": 1.0}


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # Split by sign so exp never overflows.
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


def phi(name: str, z) -> np.ndarray:
    r"""Apply activation `name` elementwise to the pre-activation `z`: $h = \phi(z)$.

    $\tanh z$, $\sigma(z) = 1/(1 + e^{-z})$, $\max(z, 0)$ or $z$; same shape as `z`.

    >>> z = np.array([-2.0, 0.0, 2.0])
    >>> [f"{v:.4f}" for v in phi("tanh", z)]
    ['-0.9640', '0.0000', '0.9640']
    >>> [f"{v:.4f}" for v in phi("sigmoid", z)]
    ['0.1192', '0.5000', '0.8808']
    >>> phi("relu", z).tolist()
    [0.0, 0.0, 2.0]
    """
    choice("name", name, ACTIVATIONS)
    z = as_array("z", z)
    if name == "tanh":
        return np.tanh(z)
    if name == "sigmoid":
        return _sigmoid(np.atleast_1d(z)).reshape(z.shape)
    if name == "relu":
        return np.maximum(z, 0.0)
    return z.copy()


def dphi(name: str, z) -> np.ndarray:
    r"""Slope $\phi'(z)$ of activation `name`, elementwise, as a function of the pre-activation.

    $1 - \tanh^2 z$, $\sigma(z)(1 - \sigma(z))$, $\mathbb{1}[z > 0]$ or $1$. A saturated tanh
    unit passes back little gradient:

    >>> z = np.array([-2.0, 0.0, 2.0])
    >>> [f"{v:.4f}" for v in dphi("tanh", z)]
    ['0.0707', '1.0000', '0.0707']
    >>> [f"{v:.4f}" for v in dphi("sigmoid", z)]
    ['0.1050', '0.2500', '0.1050']
    >>> dphi("relu", z).tolist()
    [0.0, 0.0, 1.0]
    """
    choice("name", name, ACTIVATIONS)
    z = as_array("z", z)
    if name == "tanh":
        return 1.0 - np.tanh(z) ** 2
    if name == "sigmoid":
        s = _sigmoid(np.atleast_1d(z)).reshape(z.shape)
        return s * (1.0 - s)
    if name == "relu":
        return (z > 0).astype(np.float64)
    return np.ones_like(z)
