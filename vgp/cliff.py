r"""The exploding-gradient cliff of a one-unit recurrent network (Pascanu, Mikolov & Bengio 2013).

One scalar state, one recurrent weight $w$, one bias $b$, no input:

$$
x_t = w\,\sigma(x_{t-1}) + b,\qquad t = 1..T,\qquad
L(w, b) = \bigl(x_T - x^\star\bigr)^2
$$

with $\sigma$ the logistic sigmoid and $x_0$ fixed. For $w > 4$ and $b$ in a suitable range the
map $x \mapsto w\sigma(x) + b$ has two stable fixed points separated by an unstable one. Which of
the two $x_T$ ends near depends on which side of the unstable fixed point $x_0$ starts, so a
tiny change of $b$ that moves the unstable point across $x_0$ makes $x_T$, and the loss,
jump: a cliff. On the cliff the gradient is a sum of products of up to $T$ step slopes
$w\sigma'(x_{t-1}) > 1$, so it is enormous.

Backpropagation through time for this model (all scalars, $\delta_t = \partial L/\partial x_t$):

$$
\delta_T = 2(x_T - x^\star),\qquad
\delta_{t-1} = \delta_t\, w\,\sigma'(x_{t-1}),\qquad
\frac{\partial L}{\partial w} = \sum_{t=1}^{T} \delta_t\,\sigma(x_{t-1}),\qquad
\frac{\partial L}{\partial b} = \sum_{t=1}^{T} \delta_t .
$$

Every function broadcasts over arrays of $w$ and $b$, so a whole $(w, b)$ grid is one call.

>>> b_c = float(cliff_bias(6.0))          # the cliff for w = 6
>>> [f"{float(loss(6.0, b_c + db)):.3f}" for db in (-1e-3, 1e-3)]
['13.193', '2.038']
"""

from __future__ import annotations

import numpy as np

from vgp._validate import as_array, integer, real
from vgp.activations import dphi, phi

X0 = 0.5       # initial state x_0
STEPS = 50     # T
TARGET = 0.7   # x^star, the value x_T should reach


def _wb(w, b) -> tuple[np.ndarray, np.ndarray]:
    w = as_array("w", w)
    b = as_array("b", b)
    try:
        return tuple(np.broadcast_arrays(w, b))  # type: ignore[return-value]
    except ValueError:
        raise ValueError(f"w and b must broadcast together, got shapes {w.shape} and {b.shape}") from None


def _settings(x0, steps, target) -> tuple[float, int, float]:
    return (real("x0", x0), integer("steps", steps, minimum=1), real("target", target))


# --8<-- [start:unroll]
def unroll(w, b, *, x0: float = X0, steps: int = STEPS) -> np.ndarray:
    r"""States $x_0, \dots, x_T$ of $x_t = w\,\sigma(x_{t-1}) + b$, shape (T+1, *broadcast(w, b).shape).

    >>> x = unroll(1.0, 0.0, steps=2)
    >>> [f"{v:.4f}" for v in x]
    ['0.5000', '0.6225', '0.6508']
    """
    w, b = _wb(w, b)
    x0, steps, _ = _settings(x0, steps, 0.0)
    x = np.empty((steps + 1,) + w.shape)
    x[0] = x0
    for t in range(1, steps + 1):
        x[t] = w * phi("sigmoid", x[t - 1]) + b      # x_t = w sigma(x_{t-1}) + b
    return x
# --8<-- [end:unroll]


def loss(w, b, *, x0: float = X0, steps: int = STEPS, target: float = TARGET) -> np.ndarray:
    r"""$L(w, b) = (x_T - x^\star)^2$ with $x^\star$ = `target`, elementwise over broadcast w and b.

    >>> [f"{v:.4f}" for v in loss([1.0, 6.0], 0.0, steps=2)]
    ['0.0024', '26.6263']
    """
    x0, steps, target = _settings(x0, steps, target)
    return (unroll(w, b, x0=x0, steps=steps)[-1] - target) ** 2


# --8<-- [start:loss_and_grad]
def loss_and_grad(w, b, *, x0: float = X0, steps: int = STEPS,
                  target: float = TARGET) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""$(L, \partial L/\partial w, \partial L/\partial b)$ by backpropagation through time, elementwise over w and b.

    $\delta_{t-1} = \delta_t\, w\,\sigma'(x_{t-1})$; agrees with a central difference:

    >>> L, dL_dw, dL_db = loss_and_grad(1.0, 0.0, steps=2)
    >>> fd = (loss(1.0 + 1e-6, 0.0, steps=2) - loss(1.0 - 1e-6, 0.0, steps=2)) / 2e-6
    >>> f"{float(dL_dw):.6f}", f"{float(fd):.6f}"
    ('-0.077992', '-0.077992')
    """
    w, b = _wb(w, b)
    x0, steps, target = _settings(x0, steps, target)
    x = unroll(w, b, x0=x0, steps=steps)               # (T+1, ...)
    L = (x[-1] - target) ** 2
    delta = 2.0 * (x[-1] - target)                     # delta_T = dL/dx_T
    dL_dw = np.zeros_like(w)
    dL_db = np.zeros_like(b)
    for t in range(steps, 0, -1):
        dL_dw += delta * phi("sigmoid", x[t - 1])      # x_t depends on w through w sigma(x_{t-1})
        dL_db += delta                                 # ... and on b with slope 1
        delta = delta * w * dphi("sigmoid", x[t - 1])  # delta_{t-1} = delta_t w sigma'(x_{t-1})
    return L, dL_dw, dL_db
# --8<-- [end:loss_and_grad]


def cliff_bias(w, *, x0: float = X0) -> np.ndarray:
    r"""The bias b at which $x_0$ is itself a fixed point: $b = x_0 - w\,\sigma(x_0)$.

    If also $w\sigma'(x_0) > 1$, that fixed point is unstable and this b is the cliff: on one
    side x_T runs to the lower stable fixed point, on the other to the upper one.

    >>> f"{float(cliff_bias(6.0)):.4f}"
    '-3.2348'
    """
    w = as_array("w", w)
    x0 = real("x0", x0)
    return x0 - w * phi("sigmoid", np.asarray(x0))


def surface(w_values, b_values, *, x0: float = X0, steps: int = STEPS,
            target: float = TARGET) -> dict:
    r"""Loss and gradient norm over the grid w_values x b_values.

    Returns a dict with `w` (n_w,), `b` (n_b,), `L` (n_w, n_b) and `grad_norm` (n_w, n_b),
    $\sqrt{(\partial L/\partial w)^2 + (\partial L/\partial b)^2}$ at every grid point.
    Either side of the cliff at $w = 6$:

    >>> b_c = float(cliff_bias(6.0))
    >>> grid = surface([6.0], [b_c - 0.01, b_c + 0.01])
    >>> grid["L"].shape, [f"{v:.3f}" for v in grid["L"][0]]
    ((1, 2), ['13.285', '2.098'])
    """
    w_values = as_array("w_values", w_values, ndim=1)
    b_values = as_array("b_values", b_values, ndim=1)
    if w_values.size == 0 or b_values.size == 0:
        raise ValueError("w_values and b_values must not be empty")
    W, B = np.meshgrid(w_values, b_values, indexing="ij")  # (n_w, n_b)
    L, dL_dw, dL_db = loss_and_grad(W, B, x0=x0, steps=steps, target=target)
    return {"w": w_values, "b": b_values, "L": L, "grad_norm": np.hypot(dL_dw, dL_db)}


# --8<-- [start:descend]
def descend(w0: float, b0: float, *, lr: float, n_steps: int, max_norm: float | None = None,
            x0: float = X0, steps: int = STEPS, target: float = TARGET) -> dict:
    r"""Plain gradient descent on L(w, b) from (w0, b0), optionally clipping the gradient norm.

    With max_norm set, a gradient $g$ with $\lVert g\rVert > c$ ($c$ = max_norm) is replaced by
    $g\,c/\lVert g\rVert$ (same direction, bounded length). Returns arrays `w`, `b`, `L` and
    `grad_norm` (pre-clip), each of length n_steps + 1 (the last entry has no update after it).
    A clipped step moves exactly lr * max_norm:

    >>> run = descend(6.0, float(cliff_bias(6.0)) + 1e-3, lr=0.1, n_steps=1, max_norm=1.0)
    >>> f"{run['grad_norm'][0]:.2f}", f"{np.hypot(np.diff(run['w']), np.diff(run['b']))[0]:.4f}"
    ('8.92', '0.1000')
    """
    w, b = real("w0", w0), real("b0", b0)
    lr = real("lr", lr, minimum=0.0, strict_min=True)
    n_steps = integer("n_steps", n_steps, minimum=0)
    if max_norm is not None:
        max_norm = real("max_norm", max_norm, minimum=0.0, strict_min=True)
    out = {"w": [], "b": [], "L": [], "grad_norm": []}
    for i in range(n_steps + 1):
        L, gw, gb = (float(v) for v in loss_and_grad(w, b, x0=x0, steps=steps, target=target))
        norm = float(np.hypot(gw, gb))
        for k, v in zip(out, (w, b, L, norm)):
            out[k].append(v)
        if i == n_steps:
            break
        scale = max_norm / norm if max_norm is not None and norm > max_norm else 1.0
        w, b = w - lr * scale * gw, b - lr * scale * gb
    return {k: np.array(v) for k, v in out.items()}
# --8<-- [end:descend]


#: The two descents of the lesson page: start (w, b), learning rate, number of steps and the
#: clipping threshold of the clipped run (above every norm met before the wall).
DESCENT_START, DESCENT_LR, DESCENT_STEPS, DESCENT_CLIP = (5.5, -2.9), 0.01, 100, 20.0


def descent_runs() -> dict:
    """`descend` from `DESCENT_START`, once unclipped and once clipped to norm `DESCENT_CLIP`.

    >>> runs = descent_runs()
    >>> sorted(runs), len(runs["clipped"]["w"]) == DESCENT_STEPS + 1
    (['clipped', 'unclipped'], True)
    """
    return {label: descend(*DESCENT_START, lr=DESCENT_LR, n_steps=DESCENT_STEPS, max_norm=mn)
            for label, mn in (("unclipped", None), ("clipped", DESCENT_CLIP))}
