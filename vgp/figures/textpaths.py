"""Figure text as one SVG path per string, not one `<use>` per character.

matplotlib's SVG backend draws text (with `svg.fonttype: path`) as a `<defs>` entry per
glyph and a `<use>` element per character. A browser builds a shadow tree for every `<use>`
when it parses the image, on the main thread: the eigenvalue-powers figure, with 220 glyph
`<use>` elements, was the longest task after the eigenvalues lesson's first paint in
Lighthouse's traces. matplotlib's base renderer draws a string as one path instead
(`RendererBase._draw_text_as_path`); `one_path_per_string` routes the SVG renderer there
while a figure is saved. Every occurrence of a glyph then carries its own outline, so the
path data, in device pixels, is written to two decimals (`round_coordinates`): a hundredth of
a pixel is far below what a screen shows, and it takes back most of the added bytes.
`benchmarks/bench_figures.py` measures both effects.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator

_NUMBER = re.compile(r"-?\d+\.\d+")
# Attributes in device pixels: path data, positions and sizes, translations. Scale factors and
# matrices are left exact.
_PATH_DATA = re.compile(r'( d=")([^"]*)(")')
_LENGTH = re.compile(r'( (?:x|y|width|height)=")(-?\d+\.\d+)(")')
_TRANSLATE = re.compile(r"(translate\()([^)]*)(\))")
_PATCHING = threading.RLock()   # the renderer class is shared by every thread of the process


def _two_decimals(match: re.Match) -> str:
    text = f"{float(match.group(0)):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def round_coordinates(svg: str) -> str:
    """`svg` with every decimal in path data, positions, sizes and translations written to at
    most two decimals; scale factors and matrices are untouched.

    >>> round_coordinates('<path d="M 63.623047 -0.004 L 1 2.5"/><g transform="translate(3.14159 0) scale(0.015625)"/>')
    '<path d="M 63.62 0 L 1 2.5"/><g transform="translate(3.14 0) scale(0.015625)"/>'
    >>> round_coordinates('<rect x="57.6" y="10.000001" width="1" height="0.999"/>')
    '<rect x="57.6" y="10" width="1" height="1"/>'
    """
    if not isinstance(svg, str):
        raise TypeError(f"svg must be str, got {type(svg).__name__}")

    def numbers(match: re.Match) -> str:
        return match.group(1) + _NUMBER.sub(_two_decimals, match.group(2)) + match.group(3)

    for pattern in (_PATH_DATA, _LENGTH, _TRANSLATE):
        svg = pattern.sub(numbers, svg)
    return svg


@contextlib.contextmanager
def one_path_per_string() -> Iterator[None]:
    """While active, matplotlib's SVG renderer draws each string of text as a single path.
    Figures saved from several threads at once take turns."""
    from matplotlib.backend_bases import RendererBase
    from matplotlib.backends.backend_svg import RendererSVG

    with _PATCHING:
        glyph_uses = RendererSVG._draw_text_as_path
        RendererSVG._draw_text_as_path = RendererBase._draw_text_as_path
        try:
            yield
        finally:
            RendererSVG._draw_text_as_path = glyph_uses
