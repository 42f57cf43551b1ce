"""What search indexes (vgp/_search.py): the same entries as Material's own exclusion, faster.

Material's search plugin skips elements marked `data-search-exclude`; `index_view` removes the
code blocks instead. The oracle is Material's parser itself: for the same page, the index
built from the marked page and the one built from `index_view` must be identical.
"""

from __future__ import annotations

import re
import types

import pytest
from material.plugins.search.plugin import SearchIndex
from mkdocs.structure.toc import get_toc

from vgp._search import cache_entries, entries_key, index_view

PAGE = """<p>A lesson starts with <code>W_hh</code> inline, which stays.</p>
<div class="language-python highlight"><pre><span></span><code><span class="gp">&gt;&gt;&gt; </span><span class="n">vgp</span><span class="o">.</span><span class="n">rnn</span>
</code></pre></div>
<h2 id="bptt">BPTT <a class="headerlink" href="#bptt">&para;</a></h2>
<div class="language-python highlight"><span class="filename">example.py</span><pre><span></span><code>print(1)
</code></pre></div>
<div class="admonition note"><p class="admonition-title">Note</p>
<p>Inside an admonition.</p>
<div class="language-text highlight"><pre><span></span><code>&lt;/div&gt; escaped markup in code
</code></pre></div>
</div>
<div class="tabbed-set"><div class="tabbed-content"><div class="tabbed-block">
<div class="language-python highlight"><pre><span></span><code>x = 1</code></pre></div>
<p>After the tabbed code.</p></div></div></div>
<div class="jp-OutputArea-output"><pre>array([1.0e-06, 2.5e-03])</pre></div>
<ul><li>a list item</li></ul>
<h3 id="end">End</h3><p>Last words.</p>
"""


def _marked(html):
    """The page as Material's own exclusion sees it: code blocks marked, not removed."""
    html = re.sub(r'<div class="((?:[^"]* )?highlight)"', r'<div class="\1" data-search-exclude',
                  html)
    return re.sub(r"<pre\b", "<pre data-search-exclude", html)


def _entries(html):
    index = SearchIndex(lang=["en"], separator="", pipeline=[], fields={})
    page = types.SimpleNamespace(meta={}, toc=[], url="lesson/", title="Lesson", content=html)
    index.add_entry_from_context(page)
    return index.entries


def test_index_matches_materials_own_exclusion():
    assert _entries(index_view(PAGE)) == _entries(_marked(PAGE))


def test_code_is_gone_and_prose_stays():
    view = index_view(PAGE)
    assert "<pre" not in view and "highlight" not in view and "example.py" not in view
    text = " ".join(e["text"] for e in _entries(view))
    for kept in ("<code>W_hh</code>", "Inside an admonition.", "After the tabbed code.",
                 "a list item", "Last words."):
        assert kept in text
    assert [e["title"] for e in _entries(view)] == ["Lesson", "BPTT", "End"]


def test_page_without_code_is_unchanged():
    html = '<h2 id="a">A</h2><p>prose with <code>code</code></p>'
    assert index_view(html) == html


def test_rejects_non_text():
    with pytest.raises(TypeError, match="html"):
        index_view(b"<p>x</p>")


TOC = [{"level": 2, "id": "bptt", "name": "BPTT", "children": [
    {"level": 3, "id": "end", "name": "End", "children": []}]}]


def _page(**changes):
    fields = {"meta": {}, "toc": get_toc(TOC), "url": "lessons/bptt/", "title": "Lesson",
              "content": index_view(PAGE),
              "file": types.SimpleNamespace(src_uri="lessons/bptt.md")}
    return types.SimpleNamespace(**{**fields, **changes})


def _cached_index(cache_dir):
    index = SearchIndex(lang=["en"], separator="", pipeline=[], fields={})
    return index, cache_entries(index, cache_dir)


def test_cached_entries_equal_materials_and_are_reused(tmp_path):
    plain = SearchIndex(lang=["en"], separator="", pipeline=[], fields={})
    plain.add_entry_from_context(_page())
    assert [e["location"] for e in plain.entries] == [
        "lessons/bptt/", "lessons/bptt/#bptt", "lessons/bptt/#end"]
    first, counts = _cached_index(tmp_path)
    first.add_entry_from_context(_page())
    assert first.entries == plain.entries and counts == {"hits": 0, "parsed": 1}
    again, counts = _cached_index(tmp_path)
    again.add_entry_from_context(_page())
    again.add_entry_from_context(_page())   # in one build too (serve keeps its process)
    assert again.entries == plain.entries * 2 and counts == {"hits": 2, "parsed": 0}


@pytest.mark.parametrize("change", [
    {"url": "lessons/bptt2/"}, {"title": "Other"}, {"meta": {"tags": ["rnn"]}},
    {"meta": {"search": {"exclude": True}}}, {"content": index_view(PAGE) + "<p>more</p>"},
    {"toc": get_toc([{**TOC[0], "children": []}])}])
def test_any_input_of_the_entries_changes_the_key(tmp_path, change):
    _cached_index(tmp_path)[0].add_entry_from_context(_page())
    assert entries_key(_page(**change)) != entries_key(_page())
    plain = SearchIndex(lang=["en"], separator="", pipeline=[], fields={})
    plain.add_entry_from_context(_page(**change))
    index, counts = _cached_index(tmp_path)
    index.add_entry_from_context(_page(**change))
    assert index.entries == plain.entries and counts == {"hits": 0, "parsed": 1}


def test_jieba_changes_the_key(monkeypatch):
    from material.plugins.search import plugin
    key = entries_key(_page())
    monkeypatch.setattr(plugin, "jieba", object() if plugin.jieba is None else None)
    assert entries_key(_page()) != key


def test_cache_entries_rejects_other_objects(tmp_path):
    with pytest.raises(TypeError, match="index"):
        cache_entries(object(), tmp_path)
