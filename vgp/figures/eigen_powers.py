"""Figures for the lesson "Eigenvalues and singular values": powers of a matrix.

Registers `eigen-powers` (|lambda|^n per eigen-direction, and the spectral norm of W^n of a
random matrix against rho^n) and `eigen-nonnormal-transient` (the transient growth of a
non-normal matrix whose spectral radius is below 1).
"""

from __future__ import annotations

import numpy as np

from vgp.figures import figure, subplots
from vgp.spectral import nonnormal_example, power_norms, rescale, spectral_norm, spectral_radius

# Numbers quoted in alt texts and captions are computed here, never typed.
_NN = nonnormal_example()                       # [[0.9, 1], [0, 0.9]]
_NN_NORMS = power_norms(_NN, 60)
_NN_PEAK = int(np.argmax(_NN_NORMS))


def _random_matrix(H: int, radius: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rescale(rng.standard_normal((H, H)) / np.sqrt(H), radius=radius)


@figure(
    "eigen-powers",
    alt=("Two log-scale panels. Left: the lines |lambda|^n for |lambda| = 0.5, 0.9, 1.0, 1.1 "
         "and 1.5 over 50 steps; below 1 they fall as straight lines, above 1 they rise. Right: "
         "the spectral norm of W^n for one random 16-by-16 matrix rescaled to spectral radius "
         "0.8, 1.0 and 1.2, each next to its dashed line rho^n; after a few steps every curve "
         "runs roughly parallel to its dashed line, above it."),
    caption=("Left: $|\\lambda|^n$, the factor by which $W^n$ scales an eigenvector, for five "
             "magnitudes. Right: $\\lVert W^n\\rVert_2$ (solid) for one random $16\\times 16$ "
             "matrix rescaled to spectral radius $\\rho$, and $\\rho^n$ (dashed). The slope on "
             "the log scale is set by $\\rho$; the offset by how non-normal $W$ is."),
)
def powers():
    fig, (ax1, ax2) = subplots(1, 2, figsize=(7.4, 3.4))
    n = np.arange(51)
    for lam in (0.5, 0.9, 1.0, 1.1, 1.5):
        ax1.semilogy(n, lam ** n, label=f"$|\\lambda| = {lam}$")
    ax1.set_xlabel("power $n$")
    ax1.set_ylabel("$|\\lambda|^n$")
    ax1.set_ylim(1e-16, 1e9)
    ax1.legend(fontsize=8, loc="lower left")
    ax1.set_title("one eigen-direction")
    for i, rho in enumerate((0.8, 1.0, 1.2)):
        W = _random_matrix(16, rho, seed=1)
        color = f"C{i}"
        ax2.semilogy(n, power_norms(W, 50), color=color, label=f"$\\rho = {rho}$")
        ax2.semilogy(n, rho ** n, color=color, linestyle="--", linewidth=1.0)
    ax2.set_xlabel("power $n$")
    ax2.set_ylabel("$\\Vert W^n \\Vert_2$")
    ax2.legend(fontsize=8, loc="upper left")
    ax2.set_title("one random $16\\times16$ matrix, rescaled")
    fig.tight_layout()
    return fig


@figure(
    "eigen-nonnormal-transient",
    alt=("Two panels for the non-normal 2-by-2 matrix with rows (0.9, 1) and (0, 0.9), whose only "
         "eigenvalue is 0.9. "
         "Left, linear scale over 60 powers: the spectral norm of W^n rises from 1 to a peak of "
         f"{_NN_NORMS[_NN_PEAK]:.2f} at n = {_NN_PEAK} before decaying, while 0.9^n decays from "
         "the start. Right, log scale over 300 powers: the norm eventually falls with the slope "
         f"of 0.9^n, far below the bound {spectral_norm(_NN):.2f}^n set by the spectral norm."),
    caption=("Transient growth. $W = \\begin{pmatrix}0.9 & 1\\\\ 0 & 0.9\\end{pmatrix}$ has "
             f"$\\rho(W) = {spectral_radius(_NN):g}$ but $\\lVert W\\rVert_2 = {spectral_norm(_NN):.4f}$. Left: "
             "$\\lVert W^n\\rVert_2$ (solid) first grows, then decays; $\\rho^n$ (dashed) only "
             "decays. Right: the same on a log scale with the bound "
             "$\\lVert W\\rVert_2^n$ (dotted). The spectral radius tells the end of the story, "
             "not the beginning (Trefethen & Embree 2005)."),
)
def nonnormal_transient():
    W = _NN
    rho, sigma = spectral_radius(W), spectral_norm(W)
    fig, (ax1, ax2) = subplots(1, 2, figsize=(7.4, 3.4))
    n = np.arange(61)
    norms = power_norms(W, 60)
    ax1.plot(n, norms, label="$\\Vert W^n\\Vert_2$")
    ax1.plot(n, rho ** n, "--", label=f"$\\rho^n = {rho:g}^n$")
    k = int(np.argmax(norms))
    ax1.plot([k], [norms[k]], "o", color="C0")
    ax1.annotate(f"peak {norms[k]:.2f} at $n={k}$", (k, norms[k]), xytext=(k + 6, norms[k]),
                 fontsize=8, va="center")
    ax1.axhline(1.0, color="0.5", linewidth=0.8)
    ax1.set_xlabel("power $n$")
    ax1.set_ylabel("norm (linear scale)")
    ax1.legend(fontsize=8)
    n2 = np.arange(301)
    ax2.plot(n2, power_norms(W, 300, log10=True), label="$\\Vert W^n\\Vert_2$")
    ax2.plot(n2, n2 * np.log10(rho), "--", label="$\\rho^n$")
    ax2.plot(n2[:60], n2[:60] * np.log10(sigma), ":", color="C2",
             label=f"$\\Vert W\\Vert_2^n = {sigma:.2f}^n$")
    ax2.set_xlabel("power $n$")
    ax2.set_ylabel("$\\log_{10}$ norm")
    ax2.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig
