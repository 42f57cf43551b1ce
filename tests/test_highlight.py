"""Plain code tokens without their <span> (vgp/_highlight.py): same text, same colours.

The oracles are the real renderers: pymdownx.highlight (Pygments) makes the code blocks, an
HTML parser reads their text back, and the installed Material stylesheets are read to check
that the dropped classes style nothing that differs from the code text around them.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import material
import pytest

from vgp._highlight import PLAIN_CLASSES, plain_tokens

ROOT = Path(__file__).resolve().parents[1]
STYLESHEETS = sorted((Path(material.__file__).parent / "templates" / "assets" /
                      "stylesheets").glob("*.min.css"))

SOURCE = '''
```python
>>> from vgp.rnn import forward        # a comment
>>> h_t = forward(W_hh, x, h0=None)    # keyword, operator, names
>>> f"{h_t.norm():.3e}", [1, 2.5]
('1.234e+00', [1, 2.5])
```

Inline `#!python W_hh @ h_t` too, and `plain code` that is not highlighted.
'''


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs).get("class")))

    def handle_data(self, data):
        self.parts.append(data)


def _read(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def rendered() -> str:
    return markdown.markdown(SOURCE, extensions=["pymdownx.highlight", "pymdownx.inlinehilite",
                                                 "pymdownx.superfences"])


def test_text_is_unchanged_and_plain_spans_are_gone(rendered):
    out = plain_tokens(rendered)
    before, after = _read(rendered), _read(out)
    assert "".join(after.parts) == "".join(before.parts)
    dropped = [t for t in before.tags if t[0] == "span" and t[1] in PLAIN_CLASSES]
    assert len(dropped) > 10                                  # the sample has many names
    assert [t for t in after.tags if t[0] == "span" and t[1] in PLAIN_CLASSES] == []
    kept = [t for t in before.tags if t not in dropped]
    assert after.tags == kept                                 # every other element stays


def test_outside_code_nothing_changes():
    html = '<p><span class="n">n</span> and <span class="w"> </span></p>'
    assert plain_tokens(html) == html


def test_only_exact_single_classes_are_dropped():
    html = '<pre><code><span class="n x">a</span><span class="nb">b</span></code></pre>'
    assert plain_tokens(html) == html


def test_theme_gives_names_the_code_text_colour():
    assert STYLESHEETS, "Material's stylesheets not found"
    css = "".join(p.read_text() for p in STYLESHEETS)
    values = set(re.findall(r"--md-code-hl-name-color:\s*([^;}]+)", css))
    assert values == {"var(--md-code-fg-color)"}
    rules = re.findall(r"([^{}]*\.highlight \.n(?![\w-])[^{}]*)\{([^}]*)\}", css)
    assert rules and all(body.strip() == "color:var(--md-code-hl-name-color)"
                         for _, body in rules)


def test_no_stylesheet_styles_whitespace_tokens():
    ours = (ROOT / "docs" / "stylesheets" / "site.css").read_text()
    for css in [p.read_text() for p in STYLESHEETS] + [ours]:
        assert not re.search(r"\.w(?![\w-])[^{}]*\{", css)
    assert not re.search(r"--md-code-hl-name-color|\.n(?![\w-])[^{}]*\{", ours)


def test_rejects_non_text():
    with pytest.raises(TypeError, match="html"):
        plain_tokens(b"<pre></pre>")
