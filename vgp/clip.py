r"""Gradient clipping: the standard remedy for *exploding* gradients (Pascanu et al., 2013).

**Clip by global norm.** Treat all parameter gradients as one long vector $g$. If its norm
exceeds a threshold $c$, rescale the whole vector:

$$
\lVert g \rVert = \sqrt{\textstyle\sum_p \lVert g_p \rVert^2},\qquad
g \leftarrow g \cdot \min\!\Big(1, \frac{c}{\lVert g \rVert + 10^{-6}}\Big).
$$

The direction of $g$ is kept, only its length changes; this is exactly
``torch.nn.utils.clip_grad_norm_`` (including its $10^{-6}$).

**Clip by value.** Clamp every entry to $[-c, c]$. Cheaper, but it changes the direction of
$g$ as soon as one entry is clamped and another is not.

Neither helps with *vanishing* gradients: a tiny gradient is left unchanged.

Both functions take a list, tuple or dict of arrays, or a `vgp.bptt.Gradients`, and return
a new object of the same kind (the input is not modified). For a `Gradients` only the
parameter gradients are clipped; ``dL_dh`` is copied unchanged.

>>> import numpy as np
>>> clipped, norm = clip_by_global_norm([np.array([3.0, 4.0])], max_norm=1.0)
>>> f"{norm:.1f}", clipped[0].round(6).tolist()
('5.0', [0.6, 0.8])
"""

from __future__ import annotations

import numpy as np

from vgp._validate import as_array, real
from vgp.bptt import PARAM_NAMES, Gradients


def _unpack(grads) -> tuple[list, list[np.ndarray]]:
    """(keys, arrays) of a list/tuple/dict of arrays or of a Gradients."""
    if isinstance(grads, Gradients):
        keys = ["d" + n for n in PARAM_NAMES]
    elif isinstance(grads, dict):
        keys = list(grads)
    elif isinstance(grads, (list, tuple)):
        keys = list(range(len(grads)))
    else:
        raise TypeError(f"grads must be a list, tuple or dict of arrays, or a Gradients, "
                        f"got {type(grads).__name__}")
    get = (lambda k: getattr(grads, k)) if isinstance(grads, Gradients) else grads.__getitem__
    return keys, [as_array(f"grads[{k!r}]", get(k)) for k in keys]


def _pack(grads, keys: list, arrays: list[np.ndarray]):
    """A new container of the same kind as `grads`, holding `arrays`."""
    if isinstance(grads, Gradients):
        return Gradients(*arrays, dL_dh=as_array("grads.dL_dh", grads.dL_dh, finite=False).copy())
    if isinstance(grads, dict):
        return dict(zip(keys, arrays))
    return type(grads)(arrays) if isinstance(grads, tuple) else list(arrays)


def global_norm(arrays) -> float:
    r"""$\sqrt{\sum_p \lVert g_p \rVert^2}$ over a list of arrays, without overflow.

    Squares are taken after dividing by the largest entry, so gradients of size
    $10^{200}$ still give a finite norm.

    >>> f"{global_norm([np.array([3e200]), np.array([4e200])]):.1e}"
    '5.0e+200'
    """
    if isinstance(arrays, (str, bytes, np.ndarray)) or not hasattr(arrays, "__iter__"):
        raise TypeError(f"arrays must be an iterable of arrays, got {type(arrays).__name__}")
    arrays = [as_array("arrays", a) for a in arrays]
    peak = max((float(np.max(np.abs(a))) for a in arrays if a.size), default=0.0)
    if peak == 0.0:
        return 0.0
    return peak * float(np.sqrt(sum(np.sum((a / peak) ** 2) for a in arrays)))


# --8<-- [start:clip_by_global_norm]
def clip_by_global_norm(grads, max_norm: float):
    r"""Rescale all gradients together so that their global norm is at most ``max_norm``.

    $g \leftarrow g \cdot \min(1, c / (\lVert g \rVert + 10^{-6}))$ with $c$ = ``max_norm``.
    Returns ``(clipped, total_norm)`` where ``total_norm`` is the norm *before* clipping.

    >>> clipped, norm = clip_by_global_norm({"W": np.full((2, 2), 10.0)}, max_norm=5.0)
    >>> f"{norm:.1f}", f"{global_norm(clipped.values()):.4f}"
    ('20.0', '5.0000')
    """
    max_norm = real("max_norm", max_norm, minimum=0.0, strict_min=True)
    keys, arrays = _unpack(grads)
    total_norm = global_norm(arrays)                   # ||g|| over every parameter at once
    scale = min(1.0, max_norm / (total_norm + 1e-6))   # 1 (no change) when already small
    return _pack(grads, keys, [a * scale for a in arrays]), total_norm
# --8<-- [end:clip_by_global_norm]


def clip_by_value(grads, clip_value: float):
    r"""Clamp every gradient entry to $[-c, c]$ with $c$ = ``clip_value`` > 0.

    >>> clip_by_value([np.array([-3.0, 0.5, 2.0])], clip_value=1.0)[0].tolist()
    [-1.0, 0.5, 1.0]
    """
    clip_value = real("clip_value", clip_value, minimum=0.0, strict_min=True)
    keys, arrays = _unpack(grads)
    return _pack(grads, keys, [np.clip(a, -clip_value, clip_value) for a in arrays])
