"""One plotting style for every figure, and the rcParams that make SVG output byte-stable."""

from __future__ import annotations

SVG_RC = {
    "svg.hashsalt": "vgp",     # fixed ids inside the SVG
    "svg.fonttype": "path",    # text as paths: no font is needed by the reader (one path per
                               # string, not a <use> per glyph: vgp.figures.textpaths)
    "svg.image_inline": True,
}

PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
# Okabe-Ito, readable by colour-blind readers: the line colours, in order

STYLE_RC = {
    "figure.figsize": (6.4, 3.6),
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 10,
    "axes.titlesize": 11,
    "legend.frameon": False,
    "lines.linewidth": 1.8,
    **SVG_RC,
}


def apply() -> None:
    """Reset matplotlib to the site style (called before every figure is drawn).

    matplotlib is imported here, not at module level: listing the figure registry, which
    imports this module, must not load it (see `vgp.figures.subplots`).
    """
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcdefaults()
    matplotlib.rcParams.update(STYLE_RC)
    matplotlib.rcParams["axes.prop_cycle"] = matplotlib.cycler(color=PALETTE)
