"""One stylesheet per page (vgp/_cssbundle.py), on a small fake site."""

from __future__ import annotations

import pytest

from vgp._cssbundle import bundle_site

HEAD = '<html><head>\n  <link rel="stylesheet" href="{p}assets/stylesheets/main.css">\n\n' \
       '  <link rel="stylesheet" href="{p}assets/katex/katex.min.css">\n' \
       '  <link rel="stylesheet" href="{p}stylesheets/site.css">\n<script>x</script></head></html>'


def _site(tmp_path):
    files = {"assets/stylesheets/main.css": "body{color:red}\n/*# sourceMappingURL=main.css.map */",
             "assets/katex/katex.min.css": "@font-face{src:url(fonts/K.woff2) format('woff2')}",
             "stylesheets/site.css": ".a{background:url('../img/x.png')} .b{mask:url(data:image/svg+xml;a)}",
             "index.html": HEAD.format(p=""),
             "lessons/bptt/index.html": HEAD.format(p="../../"),
             "404.html": HEAD.format(p="/docs/")}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return tmp_path


def test_pages_link_one_bundle_in_the_original_order(tmp_path):
    site = _site(tmp_path)
    bundle = bundle_site(site, "https://example.org/docs/")
    css = (site / bundle).read_text()
    assert css.index("color:red") < css.index("@font-face") < css.index(".a{")
    assert "url(../katex/fonts/K.woff2)" in css          # relative to the bundle now
    assert "url(../../img/x.png)" in css
    assert "url(data:image/svg+xml;a)" in css
    assert "sourceMappingURL" not in css
    home = (site / "index.html").read_text()
    assert home.count('rel="stylesheet"') == 1 and f'href="{bundle}"' in home
    assert f'href="../../{bundle}"' in (site / "lessons/bptt/index.html").read_text()
    assert f'href="/docs/{bundle}"' in (site / "404.html").read_text()
    assert "<script>x</script>" in home


def test_rebundling_replaces_the_old_bundle(tmp_path):
    site = _site(tmp_path)
    first = bundle_site(site, "https://example.org/docs/")
    (site / "stylesheets/site.css").write_text(".c{}")
    for page, prefix in (("index.html", ""), ("lessons/bptt/index.html", "../../"),
                         ("404.html", "/docs/")):
        (site / page).write_text(HEAD.format(p=prefix))
    second = bundle_site(site, "https://example.org/docs/")
    assert second != first and not (site / first).exists()


def test_pages_with_different_stylesheets_are_an_error(tmp_path):
    site = _site(tmp_path)
    (site / "other.html").write_text('<head><link rel="stylesheet" href="stylesheets/site.css">')
    with pytest.raises(ValueError, match="other.html"):
        bundle_site(site, "https://example.org/docs/")


def test_bad_site_dir(tmp_path):
    with pytest.raises(ValueError, match="site_dir"):
        bundle_site(tmp_path / "missing")
    with pytest.raises(ValueError, match="site_dir"):
        bundle_site(tmp_path)
