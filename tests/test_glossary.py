"""The glossary (``docs/glossary.md``) and the lessons' links to it.

Each lesson links the glossary terms it relies on where it first uses them, as
``../docs/glossary.md#anchor``: the path that opens the file from ``lessons/`` in JupyterLab.
On the website the glossary is ``glossary.html``, one folder above the lesson pages, and
``tools.site.markdown_for_site`` rewrites the link to it. The anchors are the heading ids the
site gives the glossary, computed with the site's own Markdown extensions
(``tools.site.heading_anchors``), so a link that passes here has its target there too.
``tests/test_site.py`` checks the same links on a built site (slow).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import nbformat
import pytest
import yaml

from tools import site, student_edition

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "docs" / "glossary.md"
LESSONS = site.find_lessons(ROOT)
ANCHORS = site.heading_anchors(GLOSSARY.read_text(encoding="utf-8"))
#: A Markdown link (its text may run over a line break); group 2 is the target.
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
CODE = re.compile(r"```.*?```|`[^`\n]*`", flags=re.S)


def _glossary_links(markdown: str) -> list[tuple[str, str, str]]:
    """``(text, path, anchor)`` of every link to a ``glossary`` page, except one shown as code.

    Link text may hold code (``[`deployer`](...)``); a link inside a code span is an example.
    """
    spans = [code.span() for code in CODE.finditer(markdown)]
    found = []
    for match in LINK.finditer(markdown):
        if any(start <= match.start() and match.end() <= end for start, end in spans):
            continue
        path, _, anchor = match.group(2).partition("#")
        if posixpath.basename(path).startswith("glossary."):
            found.append((match.group(1), path, anchor))
    return found


def _markdown_cells(lesson: site.Lesson) -> list:
    nb = nbformat.read(lesson.path, as_version=4)
    return [c for c in nb.cells if c.cell_type == "markdown"]


def test_every_glossary_entry_has_its_own_id_and_says_where_it_is_taught():
    text = GLOSSARY.read_text(encoding="utf-8")
    entries = re.split(r"(?m)^(?=## )", text)[1:]
    assert len(entries) >= 25
    for entry in entries:
        heading, _, body = entry.partition("\n")
        assert re.search(r"\{#[a-z0-9-]+\}\s*$", heading), (
            f"{heading!r}: give the entry a short, stable id ({{#term}}) for the lessons to link"
        )
        assert re.search(r"^\*Lessons? \d\d(?:(?:, | and )\d\d)*\.\*\s*$", body, re.M), (
            f"{heading!r}: end the entry with the lessons that teach it (*Lesson 06.*)"
        )
    assert len(ANCHORS) == len(set(ANCHORS)), "two headings of the glossary share an id"
    assert len(ANCHORS) == len(entries) + 1, "the title and one id per entry"


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.path.stem for lesson in LESSONS])
def test_lesson_links_its_terms_to_the_glossary_from_jupyterlab(lesson):
    cells = _markdown_cells(lesson)
    links = [(cell, link) for cell in cells for link in _glossary_links(cell.source)]
    assert links, f"{lesson.path.name} links no term to the glossary (../docs/glossary.md#term)"
    for cell, (text, path, anchor) in links:
        where = f"{lesson.path.name}, cell {cell.get('id')}, link [{text}]"
        assert (lesson.path.parent / path).resolve() == GLOSSARY.resolve(), (
            f"{where}: {path} does not reach docs/glossary.md from lessons/"
        )
        assert anchor, f"{where}: link the entry (#term), not the whole glossary"
        assert anchor in ANCHORS, f"{where}: docs/glossary.md has no heading with id {anchor!r}"
        for line in cell.source.splitlines():
            if f"]({path}#{anchor})" in line:
                assert not line.startswith("#"), f"{where}: a link in a heading"


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.path.stem for lesson in LESSONS])
def test_no_glossary_link_in_the_lists_other_pages_copy(lesson):
    """The home page copies each lesson's Questions, and the objective map its Objectives:
    there a link relative to ``lessons/`` would lead nowhere."""
    first = _markdown_cells(lesson)[0].source
    lists = re.split(r"(?m)^#+ Questions\s*$", first, maxsplit=1)[1:]
    assert lists, f"{lesson.path.name}: no Questions list in the first cell"
    assert not _glossary_links(lists[0]), (
        f"{lesson.path.name}: link the term in the lesson's text, not in its Questions or Objectives"
    )


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.path.stem for lesson in LESSONS])
def test_glossary_links_reach_the_glossary_page_on_the_site(lesson):
    config = yaml.safe_load((ROOT / "site" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["use_directory_urls"] is False
    assert "glossary.md" in site.EXTRA_PAGES, "the site publishes docs/glossary.md"
    glossary_page = "glossary.html"  # docs/glossary.md, written at the top of the site's docs
    lesson_page = lesson.page.removesuffix(".ipynb") + ".html"
    count = 0
    for cell in _markdown_cells(lesson):
        source = site.markdown_for_site(cell.source)
        assert "](../docs/glossary.md" not in source, f"{lesson.path.name}: a link left as it was"
        for text, path, anchor in _glossary_links(source):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(lesson_page), path))
            assert target == glossary_page, f"{lesson.path.name} [{text}]: {path} is not the page"
            assert anchor in ANCHORS
            count += 1
    assert count == sum(len(_glossary_links(c.source)) for c in _markdown_cells(lesson))


def test_the_site_rewrites_only_links_to_published_docs_pages():
    text = (
        "See [FLOP](../docs/glossary.md#flop), [the glossary](../docs/glossary.md), "
        "[notes](../docs/notes.md#x), [lesson 02](02-estimating-compute-and-thresholds.ipynb) "
        "and, as code, `[FLOP](../docs/glossary.md#flop)`."
    )
    assert site.markdown_for_site(text) == (
        "See [FLOP](../glossary.html#flop), [the glossary](../glossary.html), "
        "[notes](../docs/notes.md#x), [lesson 02](02-estimating-compute-and-thresholds.html) "
        "and, as code, `[FLOP](../docs/glossary.md#flop)`."
    )
    assert site.markdown_for_site("a [`deployer`](../docs/glossary.md#developer-deployer)") == (
        "a [`deployer`](../glossary.html#developer-deployer)"
    )


def test_anchors_are_the_sites_heading_ids():
    # an explicit id wins; without one, the toc extension's slug (lower case, hyphens)
    page = "# Glossary\n\n## FLOP, training compute {#flop}\n\n## Doubling time\n\n### A, b (c)\n"
    assert site.heading_anchors(page) == ["glossary", "flop", "doubling-time", "a-b-c"]


def test_the_student_edition_carries_the_glossary_the_lessons_link():
    assert "docs/glossary.md" in student_edition.COPY
