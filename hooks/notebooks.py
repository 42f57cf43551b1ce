"""MkDocs hook: companion notebooks, executed against the current vgp and shown by mkdocs-jupyter.

Thin by design (the logic is `vgp.notebooks`, tested in tests/test_notebooks.py):

* on_files: each docs/notebooks/*.ipynb (stored without outputs) is executed through
  `vgp.notebooks.execute`, cached on the notebook text + the vgp code it imports, and the
  page's source is pointed at the executed copy. mkdocs-jupyter (execute: false) renders that
  copy and, with include_source, publishes it next to the page for download. Runs after
  mkdocs-jupyter's on_files (lower priority).
* on_page_content (notebook pages): drop the 600 KB of JupyterLab CSS, the MathJax
  <script> (a CDN) and the clipboard/mermaid scripts that mkdocs-jupyter inlines (the site
  styles code cells as Material code blocks; hooks/katex.py typesets the `$` math of the
  Markdown cells at build time), give every
  output image the alt text stored in its cell's metadata, and add the action bar
  (download, open in Colab, back to the lesson).
* on_page_markdown (lesson pages): a line linking the lesson's notebook.
"""

from __future__ import annotations

import html
import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from vgp import notebooks

log = logging.getLogger("mkdocs.hooks.notebooks")
_NOTEBOOK_URI = re.compile(r"^notebooks/([a-z0-9-]+)\.ipynb$")
_STYLE = re.compile(r"<style[^>]*>.*?</style>", re.DOTALL)
_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.DOTALL)
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)
_CLIPBOARD = re.compile(r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>'
                        r'|<div class="clipboard-copy-txt"[^>]*>.*?</div>', re.DOTALL)
_CODE = re.compile(r'<div class="highlight-ipynb[^"]*"><pre><span></span>(.*?)</pre></div>', re.DOTALL)
_IMG = re.compile(r'(<div class="jp-RenderedImage[^"]*">\s*<img )')


def _colab(name: str) -> str:
    return f"{notebooks.COLAB}/{notebooks.GITHUB}/blob/main/docs/notebooks/{name}.ipynb"


@event_priority(-100)   # after mkdocs-jupyter has wrapped the files (see the note below)
def on_files(files, config):
    start = time.perf_counter()
    pages = [f for f in files if _NOTEBOOK_URI.match(f.src_uri)]
    keys = {f.src_uri: notebooks.key(f.abs_src_path) for f in pages}
    fresh = sum(not (notebooks.cache_dir() / f"{Path(f.src_uri).stem}-{keys[f.src_uri]}").is_dir()
                for f in pages)
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:   # each one is a kernel process
            done = list(pool.map(lambda f: notebooks.execute(f.abs_src_path), pages))
    except Exception as exc:   # a failing cell fails the build, naming the notebook
        raise PluginError(f"notebook failed to execute: {exc}") from None
    for f, executed in zip(pages, done):
        # Set on mkdocs-jupyter's NotebookFile wrapper itself: `abs_src_path` is a cached
        # property of File, computed on the wrapper, so setting it on the wrapped File
        # (before the plugin runs) would be ignored.
        f.abs_src_path = str(executed)
    log.info("notebooks: %d found, %d executed, %.2fs", len(pages), fresh,
             time.perf_counter() - start)
    return files


def on_page_markdown(markdown, page, config, files):
    m = re.match(r"^lessons/([a-z0-9-]+)\.md$", page.file.src_uri)
    if not m or not (notebooks.NOTEBOOK_DIR / f"{m.group(1)}.ipynb").is_file():
        return markdown
    name = m.group(1)
    line = (f'<p class="vgp-notebook-links" markdown="span">Run this lesson: '
            f'[companion notebook](../notebooks/{name}.ipynb) · '
            f'<a href="../../notebooks/{name}/{name}.ipynb" download>download .ipynb</a> · '
            f'<a href="{html.escape(_colab(name))}">open in Colab</a></p>')
    # right under the page title, or at the top if the page has none
    title = re.search(r"^# .*$", markdown, re.MULTILINE)
    at = title.end() if title else 0
    return markdown[:at] + "\n\n" + line + "\n\n" + markdown[at:]


def on_page_content(content, page, config, files):
    m = _NOTEBOOK_URI.match(page.file.src_uri)
    if not m:
        return content
    name = m.group(1)
    # mkdocs-jupyter's inline CSS, MathJax, clipboard and mermaid scripts go; code cells get
    # the markup of a Material code block, so they share its colours and copy button.
    content = _MATHJAX.sub("", _STYLE.sub("", content))
    content = _CLIPBOARD.sub("", _SCRIPT.sub("", content))
    content = _CODE.sub(r'<div class="highlight"><pre><span></span><code>\1</code></pre></div>', content)
    alts = iter(notebooks.image_alts(page.file.abs_src_path))

    def add_alt(match):
        alt = next(alts, None)
        if not alt:
            raise PluginError(f"{page.file.src_uri}: an image output has no alt text "
                              "(set `alt` in the metadata of the cell that draws it)")
        return f'{match.group(1)}alt="{html.escape(alt)}" '

    content = _IMG.sub(add_alt, content)
    lesson = f"../../lessons/{name}/"
    bar = (f'<p class="vgp-notebook-actions">'
           f'<a class="md-button md-button--primary" href="{name}.ipynb" download>Download the notebook (.ipynb)</a> '
           f'<a class="md-button" href="{html.escape(_colab(name))}">Open in Colab</a> '
           f'<a class="md-button" href="{lesson}">Back to the lesson</a></p>'
           f'<p class="vgp-notebook-note">Executed when this site was built, against the '
           f'<code>vgp</code> code of the same commit.</p>')
    head = content.find("</h1>")   # the bar goes right under the notebook's title
    at = head + len("</h1>") if head >= 0 else 0
    return content[:at] + bar + content[at:]
