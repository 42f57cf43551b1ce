"""The browser checks catch what they claim to: a page given a CDN script, a broken image,
an image without alt text, or raw TeX fails the audit (shown on a tampered copy of a built
page, served from a temporary site). Without this, a check that silently passes everything
would look like a clean site."""

from __future__ import annotations

import urllib.request

import pytest

from browser_checks import SiteServer, audit, copy_site, site_pages, sitemap_for

pytestmark = pytest.mark.browser

CDN = "https://cdn.example.com/x.js"
TAMPER = (f'<script src="{CDN}"></script>'
          '<img src="../figures/no-such-figure.svg" alt="a figure that is not there">'
          '<img src="../assets/katex/fonts/KaTeX_Main-Regular.woff2">'
          '<p>left raw: $$W_{hh}^n$$</p>')


@pytest.fixture
def tampered(built_site, tmp_path):
    root = copy_site(built_site, tmp_path / "site")
    page = root / "explorer" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "</article>" in html
    page.write_text(html.replace("</article>", TAMPER + "</article>", 1), encoding="utf-8")
    # a brand-new page is picked up too: the suite iterates over what was built
    (root / "extra-page").mkdir()
    (root / "extra-page" / "index.html").write_text(html, encoding="utf-8")
    return root


def test_audit_reports_cdn_script_and_broken_image(page, tampered):
    assert "/extra-page/" in site_pages(tampered)
    with SiteServer(tampered) as srv:
        problems = audit(page, srv.origin + "/explorer/", srv.origin)
    text = "\n".join(problems)
    print(text)   # visible with -s: what a failing page reports
    assert f"request to another host: {CDN}" in problems
    assert any(p.startswith("image did not load:") and "no-such-figure.svg" in p for p in problems)
    assert any(p.startswith("HTTP 404:") and "no-such-figure.svg" in p for p in problems)
    assert any(p.startswith("image without alt text:") and "KaTeX_Main" in p for p in problems)
    assert any(p.startswith("raw TeX in the text:") for p in problems)


def test_audit_of_the_untampered_page_is_clean(page, server):
    assert audit(page, server.origin + "/explorer/", server.origin) == []


def test_sitemap_is_served_for_the_test_servers_origin(built_site, server):
    """Every page of the deployed sitemap, at the test server's origin instead of site_url."""
    xml = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    served = urllib.request.urlopen(server.origin + "/sitemap.xml").read().decode()
    assert served == sitemap_for(xml, server.origin)
    locs = served.count("<loc>")
    assert locs > 1 and served.count(f"<loc>{server.origin}/") == locs
    assert sitemap_for('<urlset><url><loc>https://h.example/</loc></url>'
                       '<url><loc>https://h.example/a/</loc></url></urlset>', "http://l:1") == (
        '<urlset><url><loc>http://l:1/</loc></url><url><loc>http://l:1/a/</loc></url></urlset>')
