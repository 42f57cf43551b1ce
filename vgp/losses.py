r"""Per-step losses of a sequence model and their gradient with respect to the outputs.

The loss of a batch is the sum over unmasked steps, averaged over the batch:

$$
L = \frac{1}{B} \sum_{b=1}^{B} \sum_{t=1}^{T} m_{b,t}\, \ell(y_{b,t}, \text{target}_{b,t})
$$

with $m_{b,t} \in \{0, 1\}$ the mask (all ones by default). Two per-step losses:

* ``"mse"``: $\ell = \tfrac12 \lVert y_t - \hat y_t \rVert^2$, so
  $\partial \ell / \partial y_t = y_t - \hat y_t$ (targets float, shape (B, T, O));
* ``"cross_entropy"``: $\ell = -\log \mathrm{softmax}(y_t)_{c_t}$, so
  $\partial \ell / \partial y_t = \mathrm{softmax}(y_t) - e_{c_t}$ (targets int classes, (B, T)).

``step_loss`` returns both $L$ and $\partial L / \partial y$ of shape (B, T, O): that
array is where backpropagation through time starts.

>>> import numpy as np
>>> y = np.zeros((1, 2, 3))                        # uniform logits
>>> L, dL_dy = step_loss("cross_entropy", y, np.array([[0, 2]]))
>>> f"{L:.6f}", f"{2 * np.log(3):.6f}"             # two steps of log(3) each
('2.197225', '2.197225')
>>> dL_dy[0, 0].round(4).tolist()                  # softmax - one_hot
[-0.6667, 0.3333, 0.3333]
"""

from __future__ import annotations

import numpy as np

from vgp._validate import as_array, choice

LOSSES = ("mse", "cross_entropy")


def log_softmax(y: np.ndarray) -> np.ndarray:
    r"""Numerically stable $\log \mathrm{softmax}$ over the last axis.

    $\log \mathrm{softmax}(y)_i = (y_i - m) - \log \sum_j e^{y_j - m}$ with $m = \max_j y_j$,
    so no exponential ever overflows.

    >>> f"{float(log_softmax(np.array([1000.0, 0.0]))[1]):.1f}"
    '-1000.0'
    """
    y = as_array("y", y)
    shifted = y - np.max(y, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def _check_mask(mask, B: int, T: int) -> np.ndarray:
    if mask is None:
        return np.ones((B, T), dtype=bool)
    if isinstance(mask, (str, bytes)):
        raise TypeError(f"mask must be a boolean array, got {type(mask).__name__}")
    mask = np.asarray(mask)
    if mask.dtype != np.bool_:
        raise TypeError(f"mask must be a boolean array of shape ({B}, {T}), got dtype {mask.dtype}")
    if mask.shape != (B, T):
        raise ValueError(f"mask must have shape ({B}, {T}), got {mask.shape}")
    return mask


def _check_classes(targets, B: int, T: int, O: int) -> np.ndarray:
    if isinstance(targets, (str, bytes)) or targets is None:
        raise TypeError(f"targets must be an integer array, got {type(targets).__name__}")
    targets = np.asarray(targets)
    if targets.dtype == np.bool_ or not np.issubdtype(targets.dtype, np.integer):
        raise TypeError(f"targets must hold integer class indices for cross_entropy, "
                        f"got dtype {targets.dtype}")
    if targets.shape != (B, T):
        raise ValueError(f"targets must have shape ({B}, {T}) for cross_entropy, got {targets.shape}")
    if targets.size and (targets.min() < 0 or targets.max() >= O):
        raise ValueError(f"targets must be class indices in [0, {O}), "
                         f"got values in [{targets.min()}, {targets.max()}]")
    return targets.astype(np.intp)


# --8<-- [start:step_loss]
def step_loss(kind: str, y, targets, mask=None) -> tuple[float, np.ndarray]:
    r"""Loss $L$ of a batch of output sequences y (B, T, O) and its gradient $\partial L/\partial y$.

    ``kind`` is ``"mse"`` (targets (B, T, O) floats) or ``"cross_entropy"`` (targets (B, T)
    integer classes in [0, O)). ``mask`` (B, T) bool selects the steps that carry loss.

    >>> y = np.array([[[1.0], [3.0]]])                 # B=1, T=2, O=1
    >>> L, dL_dy = step_loss("mse", y, np.zeros((1, 2, 1)), mask=np.array([[False, True]]))
    >>> L, dL_dy.ravel().tolist()                      # only step 2: 0.5 * 3^2
    (4.5, [0.0, 3.0])
    """
    choice("kind", kind, LOSSES)
    y = as_array("y", y, ndim=3)
    B, T, O = y.shape
    if B < 1 or T < 1 or O < 1:
        raise ValueError(f"y must have shape (B, T, O) with B, T, O >= 1, got {y.shape}")
    m = _check_mask(mask, B, T)[..., None]             # (B, T, 1), broadcasts over O
    if kind == "mse":
        target = as_array("targets", targets, ndim=3)
        if target.shape != y.shape:
            raise ValueError(f"targets must have the shape of y {y.shape} for mse, got {target.shape}")
        err = np.where(m, y - target, 0.0)             # (B, T, O), masked steps contribute 0
        L = 0.5 * np.sum(err**2) / B
        dL_dy = err / B                                # d/dy of 0.5 ||y - target||^2 is y - target
    else:
        c = _check_classes(targets, B, T, O)           # (B, T) class of each step
        logp = log_softmax(y)                          # (B, T, O)
        nll = -np.take_along_axis(logp, c[..., None], axis=-1)  # (B, T, 1)
        L = np.sum(np.where(m, nll, 0.0)) / B
        grad = np.exp(logp)                            # softmax(y_t)
        np.put_along_axis(grad, c[..., None], np.take_along_axis(grad, c[..., None], -1) - 1.0, -1)
        dL_dy = np.where(m, grad, 0.0) / B             # softmax(y_t) - one_hot(c_t)
    return float(L), dL_dy
# --8<-- [end:step_loss]

