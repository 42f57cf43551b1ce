r"""The Elman recurrent network, forward pass in NumPy.

$$
z_t = W_{hh} h_{t-1} + W_{xh} x_t + b_h,\qquad h_t = \phi(z_t),\qquad y_t = W_{hy} h_t + b_y
$$

Shapes (one sequence; a batch adds a leading axis B):

| symbol | shape  | meaning |
|--------|--------|---------|
| x_t    | (D,)   | input at step t |
| h_t    | (H,)   | hidden state, h_0 given |
| y_t    | (O,)   | output (logits or regression value) |
| W_xh   | (H, D) | input-to-hidden |
| W_hh   | (H, H) | hidden-to-hidden, shared by every step |
| b_h    | (H,)   | hidden bias |
| W_hy   | (O, H) | hidden-to-output |
| b_y    | (O,)   | output bias |

The same five parameters are used at every step: unrolled over T steps the network is a
T-layer feed-forward network whose layers share their weights.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from vgp._validate import as_array, choice, integer, real
from vgp.activations import ACTIVATIONS, phi


@dataclass
class RNNParams:
    r"""Parameters of an Elman RNN (float64 arrays), validated on construction.

    $W_{xh}$ (H, D), $W_{hh}$ (H, H), $b_h$ (H,), $W_{hy}$ (O, H), $b_y$ (O,): the same five
    at every step of $z_t = W_{hh} h_{t-1} + W_{xh} x_t + b_h$, $y_t = W_{hy} h_t + b_y$.

    >>> p = RNNParams(W_xh=np.ones((2, 1)), W_hh=0.5 * np.eye(2), b_h=np.zeros(2),
    ...               W_hy=np.ones((1, 2)), b_y=np.zeros(1))
    >>> p.sizes, p.names()
    ((1, 2, 1), ('W_xh', 'W_hh', 'b_h', 'W_hy', 'b_y'))
    >>> RNNParams(np.ones((2, 1)), np.zeros((2, 3)), np.zeros(2), np.ones((1, 2)), np.zeros(1))
    Traceback (most recent call last):
    ...
    ValueError: W_hh must be a square (H, H) matrix, got shape (2, 3)
    """

    W_xh: np.ndarray  # (H, D)
    W_hh: np.ndarray  # (H, H)
    b_h: np.ndarray   # (H,)
    W_hy: np.ndarray  # (O, H)
    b_y: np.ndarray   # (O,)

    def __post_init__(self) -> None:
        for f in fields(self):
            setattr(self, f.name, as_array(f.name, getattr(self, f.name)))
        if self.W_hh.ndim != 2 or self.W_hh.shape[0] != self.W_hh.shape[1]:
            raise ValueError(f"W_hh must be a square (H, H) matrix, got shape {self.W_hh.shape}")
        H = self.W_hh.shape[0]
        if H == 0:
            raise ValueError("W_hh must have at least one hidden unit")
        if self.W_xh.ndim != 2 or self.W_xh.shape[0] != H:
            raise ValueError(f"W_xh must have shape (H={H}, D), got {self.W_xh.shape}")
        if self.b_h.shape != (H,):
            raise ValueError(f"b_h must have shape ({H},), got {self.b_h.shape}")
        if self.W_hy.ndim != 2 or self.W_hy.shape[1] != H:
            raise ValueError(f"W_hy must have shape (O, H={H}), got {self.W_hy.shape}")
        if self.b_y.shape != (self.W_hy.shape[0],):
            raise ValueError(f"b_y must have shape ({self.W_hy.shape[0]},), got {self.b_y.shape}")

    @property
    def sizes(self) -> tuple[int, int, int]:
        """(D, H, O): input, hidden and output sizes."""
        return self.W_xh.shape[1], self.W_hh.shape[0], self.W_hy.shape[0]

    def names(self) -> tuple[str, ...]:
        """The parameter names in field order: ("W_xh", "W_hh", "b_h", "W_hy", "b_y")."""
        return tuple(f.name for f in fields(self))


def init_params(input_size: int, hidden_size: int, output_size: int, *, seed: int,
                radius: float | None = None, scale: float = 1.0) -> RNNParams:
    r"""Random parameters: entries $N(0, s^2/\text{fan\_in})$ with $s$ = `scale`, biases zero.

    If `radius` is given, $W_{hh}$ is rescaled to exactly that spectral radius,
    $W_{hh} \leftarrow W_{hh}\, r/\rho(W_{hh})$.

    >>> p = init_params(3, 4, 2, seed=0, radius=0.9)
    >>> p.sizes
    (3, 4, 2)
    >>> f"{max(abs(np.linalg.eigvals(p.W_hh))):.6f}"
    '0.900000'
    """
    D = integer("input_size", input_size, minimum=1)
    H = integer("hidden_size", hidden_size, minimum=1)
    O = integer("output_size", output_size, minimum=1)
    integer("seed", seed, minimum=0)
    scale = real("scale", scale, minimum=0.0)
    rng = np.random.default_rng(seed)
    W_xh = rng.standard_normal((H, D)) * scale / np.sqrt(D)
    W_hh = rng.standard_normal((H, H)) * scale / np.sqrt(H)
    W_hy = rng.standard_normal((O, H)) * scale / np.sqrt(H)
    if radius is not None:
        radius = real("radius", radius, minimum=0.0)
        rho = np.max(np.abs(np.linalg.eigvals(W_hh)))
        W_hh = W_hh * (radius / rho) if rho > 0 else W_hh
    return RNNParams(W_xh, W_hh, np.zeros(H), W_hy, np.zeros(O))


@dataclass
class Forward:
    r"""Everything the backward pass needs. Index t of `h` is $h_t$ (``h[:, 0]`` is $h_0$);
    index t-1 of `z` and `y` is $z_t$ and $y_t$ (t = 1..T).

    >>> p = init_params(3, 4, 2, seed=0)
    >>> fwd = forward(p, np.zeros((5, 7, 3)))                  # B=5 sequences of T=7 steps
    >>> fwd.x.shape, fwd.z.shape, fwd.h.shape, fwd.y.shape, fwd.activation
    ((5, 7, 3), (5, 7, 4), (5, 8, 4), (5, 7, 2), 'tanh')
    """

    x: np.ndarray  # (B, T, D) inputs x_1..x_T
    z: np.ndarray  # (B, T, H) pre-activations z_1..z_T
    h: np.ndarray  # (B, T+1, H) hidden states h_0..h_T
    y: np.ndarray  # (B, T, O) outputs y_1..y_T
    activation: str


def check_inputs(params: RNNParams, x, h0=None) -> tuple[np.ndarray, np.ndarray]:
    """Validate a batch of input sequences (B, T, D) and the initial state (B, H) or (H,).

    Returns ``(x, h0)`` as float64 arrays, with `h0` broadcast to (B, H) (zeros if None).

    >>> p = init_params(1, 2, 1, seed=0)
    >>> x, h0 = check_inputs(p, np.zeros((4, 3, 1)), h0=[1.0, 2.0])
    >>> x.shape, h0.shape
    ((4, 3, 1), (4, 2))
    >>> check_inputs(p, np.zeros((4, 3, 2)))
    Traceback (most recent call last):
    ...
    ValueError: x must have last dimension D=1, got shape (4, 3, 2)
    """
    if not isinstance(params, RNNParams):
        raise TypeError(f"params must be RNNParams, got {type(params).__name__}")
    D, H, _ = params.sizes
    x = as_array("x", x, ndim=3)
    B, T, Dx = x.shape
    if B < 1 or T < 1:
        raise ValueError(f"x must hold at least one sequence of at least one step (T >= 1), got shape {x.shape}")
    if Dx != D:
        raise ValueError(f"x must have last dimension D={D}, got shape {x.shape}")
    if h0 is None:
        h0 = np.zeros((B, H))
    else:
        h0 = as_array("h0", h0, ndim=(1, 2))
        h0 = np.broadcast_to(h0, (B, H)).copy() if h0.shape in ((H,), (1, H), (B, H)) else None
        if h0 is None:
            raise ValueError(f"h0 must have shape ({H},) or ({B}, {H})")
    return x, h0


# --8<-- [start:forward]
def forward(params: RNNParams, x, h0=None, activation: str = "tanh") -> Forward:
    r"""Run the RNN over a batch of sequences x of shape (B, T, D).

    $z_t = W_{hh} h_{t-1} + W_{xh} x_t + b_h$, $h_t = \phi(z_t)$, $y_t = W_{hy} h_t + b_y$.
    With $\phi$ the identity, $W_{hh} = I/2$ and unit inputs, $h_t = h_{t-1}/2 + 1$:

    >>> p = RNNParams(np.ones((2, 1)), 0.5 * np.eye(2), np.zeros(2), np.ones((1, 2)), np.zeros(1))
    >>> fwd = forward(p, np.ones((1, 3, 1)), activation="identity")
    >>> fwd.h[0, :, 0].tolist(), fwd.y[0, :, 0].tolist()    # h_0..h_3 (unit 0), y_1..y_3
    ([0.0, 1.0, 1.5, 1.75], [2.0, 3.0, 3.5])
    """
    choice("activation", activation, ACTIVATIONS)
    x, h_0 = check_inputs(params, x, h0)
    B, T, _ = x.shape
    H, O = params.W_hh.shape[0], params.W_hy.shape[0]
    z = np.empty((B, T, H))
    h = np.empty((B, T + 1, H))
    y = np.empty((B, T, O))
    h[:, 0] = h_0
    for t in range(1, T + 1):
        # z_t = W_hh h_{t-1} + W_xh x_t + b_h   (row vectors, so W^T on the right)
        z[:, t - 1] = h[:, t - 1] @ params.W_hh.T + x[:, t - 1] @ params.W_xh.T + params.b_h
        h[:, t] = phi(activation, z[:, t - 1])          # h_t = phi(z_t)
        y[:, t - 1] = h[:, t] @ params.W_hy.T + params.b_y  # y_t = W_hy h_t + b_y
    return Forward(x=x, z=z, h=h, y=y, activation=activation)
# --8<-- [end:forward]
