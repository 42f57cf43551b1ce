r"""A tiny character-level language model trained with `vgp`'s own NumPy BPTT.

Each character $c_t$ of a short built-in text is fed as a one-hot vector $x_t \in \{0,1\}^V$
and the output logits $y_t$ are trained to predict the next character with the per-step
cross-entropy $\ell_t = -\log \mathrm{softmax}(y_t)_{c_{t+1}}$ (`vgp.losses`). Gradients come
from `vgp.bptt.loss_and_grads`, are clipped to a global norm (`vgp.clip`) and applied by
Adam (Kingma & Ba 2015), written out below in NumPy. Every step logs the loss and the
global gradient norm *before* clipping, the number to watch for exploding gradients.

Losses are reported per character in nats: the batch loss of `vgp.losses` is a sum over the
$T$ steps of a window, so it is divided by $T$. Two reference values come from the text
alone: $\ln V$ (a uniform guess) and the conditional entropy of the next character given
the current one (the best any model that sees one character of context can do). A model
below the second is using what its hidden state carries from earlier steps.

The run is cached with `vgp.cache.cached`, so the page and the tests train it once.
"""

from __future__ import annotations

import time
from collections import Counter

import numpy as np

from vgp._validate import integer
from vgp.bptt import PARAM_NAMES, loss_and_grads
from vgp.cache import cached
from vgp.clip import clip_by_global_norm
from vgp.rnn import RNNParams, forward, init_params

TEXT = (
    "a recurrent network reads one character at a time and keeps a running summary in its "
    "hidden state. to learn, it sends the error back through every step it has taken, and "
    "each step multiplies the signal by the same matrix. a few steps back the signal is "
    "still clear; many steps back it has faded to almost nothing, or grown without bound. "
    "that is the whole story of this site, told by a network that is learning to tell it."
)

#: The training run shown on the BPTT page.
CONFIG = {"hidden": 64, "window": 32, "batch": 16, "steps": 600, "lr": 0.01,
          "max_norm": 20.0, "seed": 0}


def vocabulary(text: str = TEXT) -> str:
    """The sorted distinct characters of `text` (index = one-hot position).

    >>> vocabulary("abba")
    'ab'
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    if len(set(text)) < 2:
        raise ValueError("text must contain at least two distinct characters")
    return "".join(sorted(set(text)))


def encode(text: str, vocab: str) -> np.ndarray:
    """Character indices (N,) of `text` in `vocab`.

    >>> encode("abba", "ab").tolist()
    [0, 1, 1, 0]
    """
    index = {c: i for i, c in enumerate(vocab)}
    missing = sorted(set(text) - set(index))
    if missing:
        raise ValueError(f"text has characters not in vocab: {missing!r}")
    return np.array([index[c] for c in text], dtype=np.intp)


def one_hot(codes, V: int) -> np.ndarray:
    """One-hot encoding: integer array (...) -> float array (..., V); code $c$ becomes $e_c$.

    >>> one_hot(np.array([2, 0]), 3).tolist()
    [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """
    V = integer("V", V, minimum=1)
    codes = np.asarray(codes)
    if not np.issubdtype(codes.dtype, np.integer) or codes.size and (codes.min() < 0 or codes.max() >= V):
        raise ValueError(f"codes must be integers in [0, {V})")
    return np.eye(V)[codes]


def conditional_entropy(text: str = TEXT) -> float:
    r"""$H(c_{t+1} \mid c_t)$ of the text in nats: the floor for one character of context.

    >>> f"{conditional_entropy('abab'):.3f}"                  # b always follows a
    '0.000'
    """
    vocabulary(text)
    pairs = Counter(zip(text[:-1], text[1:]))
    firsts = Counter(text[:-1])
    n = len(text) - 1
    return float(-sum(c / n * np.log(c / firsts[a]) for (a, _), c in pairs.items())) + 0.0  # no -0.0


def batch(codes: np.ndarray, V: int, window: int, size: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """`size` random windows: inputs (size, window, V) one-hot and targets (size, window) ints.

    The target of input character $c_t$ is the next character $c_{t+1}$:

    >>> x, targets = batch(encode("abcabcabc", "abc"), 3, 4, 2, np.random.default_rng(0))
    >>> x.shape, x.argmax(-1).tolist(), targets.tolist()
    ((2, 4, 3), [[1, 2, 0, 1], [0, 1, 2, 0]], [[2, 0, 1, 2], [1, 2, 0, 1]])
    """
    starts = rng.integers(0, len(codes) - window, size=size)       # (size,)
    idx = starts[:, None] + np.arange(window + 1)[None, :]         # (size, window + 1)
    chunk = codes[idx]
    return one_hot(chunk[:, :-1], V), chunk[:, 1:]


def adam_update(params: RNNParams, grads: dict, state: dict, lr: float,
                beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
    r"""One Adam step in place: $m \leftarrow \beta_1 m + (1-\beta_1) g$,
    $v \leftarrow \beta_2 v + (1-\beta_2) g^2$, $\theta \leftarrow \theta - \alpha\,
    \hat m / (\sqrt{\hat v} + \epsilon)$ with bias-corrected $\hat m = m/(1-\beta_1^t)$,
    $\hat v = v/(1-\beta_2^t)$. The first step moves every weight by about $\alpha$ against
    the sign of its gradient, whatever the gradient's size:

    >>> p = init_params(1, 1, 1, seed=0)
    >>> W_before = p.W_hh.copy()
    >>> grads = {name: np.ones_like(getattr(p, name)) for name in PARAM_NAMES}
    >>> state = {}
    >>> adam_update(p, grads, state, lr=0.1)
    >>> f"{(p.W_hh - W_before)[0, 0]:.6f}", state["t"]
    ('-0.100000', 1)
    """
    state["t"] = state.get("t", 0) + 1
    t = state["t"]
    for name in PARAM_NAMES:
        g = grads[name]
        m = state.setdefault("m_" + name, np.zeros_like(g))
        v = state.setdefault("v_" + name, np.zeros_like(g))
        m *= beta1
        m += (1 - beta1) * g
        v *= beta2
        v += (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        theta = getattr(params, name)
        theta -= lr * m_hat / (np.sqrt(v_hat) + eps)


def _train(config: dict) -> dict:
    start = time.process_time()
    vocab = vocabulary(TEXT)
    V, T = len(vocab), config["window"]
    codes = encode(TEXT, vocab)
    params = init_params(V, config["hidden"], V, seed=config["seed"])
    rng = np.random.default_rng(config["seed"] + 1)               # batches, not the weights
    state: dict = {}
    loss, grad_norm = [], []
    for _ in range(config["steps"]):
        x, targets = batch(codes, V, T, config["batch"], rng)
        L, g = loss_and_grads(params, x, targets, loss="cross_entropy")
        clipped, norm = clip_by_global_norm(g.as_dict(), config["max_norm"])
        adam_update(params, clipped, state, config["lr"])
        loss.append(L / T)                                         # nats per character
        grad_norm.append(norm)                                     # before clipping
    return {"config": config, "vocab": vocab, "loss_per_char": loss, "grad_norm": grad_norm,
            "params": {n: getattr(params, n) for n in PARAM_NAMES},
            "seconds": time.process_time() - start}


def train(config: dict | None = None) -> dict:
    """The cached training run: losses and pre-clip gradient norms per step, final weights.

    `config` keys: hidden, window, batch, steps, lr, max_norm, seed (defaults: `CONFIG`).
    Each step takes the loss per character $L/T$ of a batch of windows, clips the gradient
    to global norm `max_norm` and applies `adam_update`. A five-step run of a small model
    (in a scratch cache directory, so the site's cached run is left alone):

    >>> import os, tempfile
    >>> from unittest import mock
    >>> with tempfile.TemporaryDirectory() as tmp, mock.patch.dict(os.environ, {"VGP_CACHE_DIR": tmp}):
    ...     result = train({"hidden": 8, "window": 8, "batch": 4, "steps": 5})
    >>> len(result["loss_per_char"]), len(result["grad_norm"]), len(result["vocab"])
    (5, 5, 27)
    >>> f"{result['loss_per_char'][0]:.2f}", f"{np.log(27):.2f}"     # untrained: near ln V
    ('3.42', '3.30')
    """
    config = {**CONFIG, **(config or {})}
    unknown = set(config) - set(CONFIG)
    if unknown:
        raise ValueError(f"config has unknown keys: {sorted(unknown)}")
    for key in ("hidden", "window", "batch", "steps"):
        integer(f"config[{key!r}]", config[key], minimum=1)
    integer("config['seed']", config["seed"], minimum=0)
    if config["window"] >= len(TEXT):
        raise ValueError(f"config['window'] must be shorter than the text ({len(TEXT)} chars)")
    for key in ("lr", "max_norm"):
        if not isinstance(config[key], (int, float)) or not config[key] > 0:
            raise ValueError(f"config[{key!r}] must be a positive number, got {config[key]!r}")
    return cached("charmodel", config, _train, module="vgp.charmodel")


def params_of(result: dict) -> RNNParams:
    """The trained weights of a `train` result as `RNNParams`.

    >>> p = init_params(27, 8, 27, seed=0)
    >>> result = {"params": {name: getattr(p, name).tolist() for name in PARAM_NAMES}}
    >>> params_of(result).sizes
    (27, 8, 27)
    """
    return RNNParams(*(np.asarray(result["params"][n]) for n in PARAM_NAMES))


def greedy_sample(result: dict, prompt: str, length: int) -> str:
    r"""Feed `prompt`, then append the most likely next character `length` times.

    The whole string is re-run from $h_0 = 0$ each step (short strings; clarity over speed).
    The next character is $\arg\max_i\, (y_t)_i$ of the last output. An untrained model babbles:

    >>> vocab = vocabulary()
    >>> p = init_params(len(vocab), 8, len(vocab), seed=0)
    >>> untrained = {"vocab": vocab, "params": {name: getattr(p, name) for name in PARAM_NAMES}}
    >>> greedy_sample(untrained, "the ", 6)
    'the .ggg.p'
    """
    length = integer("length", length, minimum=0)
    vocab = result["vocab"]
    if not isinstance(prompt, str) or not prompt:
        raise ValueError("prompt must be a non-empty string")
    params = params_of(result)
    text = prompt
    for _ in range(length):
        x = one_hot(encode(text, vocab), len(vocab))[None]         # (1, len, V)
        y_last = forward(params, x).y[0, -1]                       # logits of the next char
        text += vocab[int(np.argmax(y_last))]
    return text


def text_loss(result: dict) -> float:
    r"""Mean loss per character when the whole text is read once from $h_0 = 0$.

    Every pair (c_t, c_{t+1}) of the text counts once, as in `conditional_entropy`, so the
    two are directly comparable. The text is the training set: this measures fit, not
    generalisation.

    $$
    \frac{1}{N-1} \sum_{t=1}^{N-1} -\log \mathrm{softmax}(y_t)_{c_{t+1}}
    $$

    An untrained model does worse than a uniform guess, $\ln V$; the floor of one character of
    context is `conditional_entropy`:

    >>> vocab = vocabulary()
    >>> p = init_params(len(vocab), 8, len(vocab), seed=0)
    >>> untrained = {"vocab": vocab, "params": {name: getattr(p, name) for name in PARAM_NAMES}}
    >>> f"{text_loss(untrained):.3f}", f"{np.log(len(vocab)):.3f}", f"{conditional_entropy():.3f}"
    ('3.665', '3.296', '1.919')
    """
    vocab = result["vocab"]
    codes = encode(TEXT, vocab)
    x = one_hot(codes[None, :-1], len(vocab))                         # (1, N-1, V)
    L, _ = loss_and_grads(params_of(result), x, codes[None, 1:], loss="cross_entropy")
    return L / (len(codes) - 1)


def log_lines(result: dict, every: int = 100) -> list[str]:
    r"""The training log: step, loss per character, pre-clip gradient norm, clipped or not.

    Losses are printed to 2 decimals and norms to 1: enough to see the trend, and coarse
    enough that the last digits of a 600-step training run (which may differ between BLAS
    builds) do not show. Whether a step was clipped comes from the unrounded norm.

    >>> result = {"config": {"max_norm": 5.0}, "loss_per_char": [3.3, 2.9, 2.5],
    ...           "grad_norm": [4.0, 7.25, 5.0]}
    >>> print("\n".join(log_lines(result, every=2)))
     step loss/char  grad norm  clipped
        1      3.30        4.0  no
        3      2.50        5.0  no
    """
    every = integer("every", every, minimum=1)
    c = result["config"]["max_norm"]
    lines = [f"{'step':>5} {'loss/char':>9} {'grad norm':>10}  clipped"]
    steps = sorted(set(range(0, len(result["loss_per_char"]), every))
                   | {len(result["loss_per_char"]) - 1})
    for i in steps:
        n = result["grad_norm"][i]
        lines.append(f"{i + 1:>5} {result['loss_per_char'][i]:>9.2f} {n:>10.1f}  "
                     f"{'yes' if n > c else 'no'}")
    return lines
