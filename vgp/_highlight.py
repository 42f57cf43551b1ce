"""Highlighted code with fewer elements: plain tokens lose their `<span>`.

Pygments wraps every token of a code block in a `<span class="...">`, and on a lesson page
code is a third of all elements; each one costs the browser style and layout work while the
page loads. Two token classes change nothing on screen:

* `n` (a plain name): Material colours it `--md-code-hl-name-color`, which both of its
  colour schemes set to the code text colour itself;
* `w` (whitespace): no rule styles it.

So `<span class="n">batch</span>` is written `batch`. The text of every block, and so the
copy button's clipboard, is unchanged. tests/test_highlight.py checks both facts against the
installed theme's stylesheets, so a theme upgrade that colours names fails the tests rather
than changing the page. Spans with any other class, or with more than one class, are kept.
"""

from __future__ import annotations

import re

PLAIN_CLASSES = ("n", "w")

_PLAIN_SPAN = re.compile(r'<span class="(?:' + "|".join(PLAIN_CLASSES) + r')">([^<]*)</span>')
# Highlighted blocks (`<pre>`, raw text, so never nested) and inline code from inlinehilite.
_CODE = re.compile(r"<pre\b.*?</pre>|<code class=\"[^\"]*\bhighlight\b[^\"]*\">.*?</code>",
                   re.DOTALL)


def plain_tokens(html: str) -> str:
    """Drop the `<span>` around plain names and whitespace inside highlighted code.

    >>> plain_tokens('<pre><code><span class="n">h_t</span><span class="w"> </span>'
    ...              '<span class="o">=</span></code></pre>')
    '<pre><code>h_t <span class="o">=</span></code></pre>'
    >>> plain_tokens('<p><span class="n">not code</span></p>')    # outside code: kept
    '<p><span class="n">not code</span></p>'
    """
    if not isinstance(html, str):
        raise TypeError(f"html must be str, got {type(html).__name__}")
    return _CODE.sub(lambda m: _PLAIN_SPAN.sub(r"\1", m.group(0)), html)
