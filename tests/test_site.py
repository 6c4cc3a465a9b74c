"""tools.site and `make site`: the self-learners' static website, built with no network.

Fast tests check the generated pages (dataset pages, home page, navigation), the clean-up of
what nbconvert would load from CDNs, and the explorers' static mode (``COURSE_STATIC=1``).
The slow tests build the whole site once (``site_build``, module-scoped), inside a network
namespace with no network at all where the machine allows one, and check every page; the
browser test then serves it on 127.0.0.1 and loads every page in headless Chromium, failing
on any request to another host, any failed request and any console error. It saves a
screenshot of each page in its tmp_path (printed with ``-s``).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest
from _support import CHROMIUM_ARGS, require_chromium

from course import datasets, widgets
from tools import site

ROOT = Path(__file__).resolve().parents[1]
LESSONS = site.find_lessons(ROOT)


def _card_date(name: str) -> str:
    match = re.search(r"current to:?\s*\**\s*(\d{1,2} \w+ \d{4})", datasets.card(name))
    assert match, f"the card of {name} states no 'current to' date"
    return match.group(1)


# --- dataset pages ------------------------------------------------------------------------


@pytest.mark.parametrize("name", datasets.available())
def test_dataset_page_has_every_column_the_card_date_and_the_row_count(name):
    page = site.dataset_page(name)
    schema = datasets.SCHEMAS[name]
    assert page.startswith(f"# {name}: ")
    assert page.count("\n# ") == 0, "one title per page"
    table = page.split("## Columns as the loader checks them", 1)[1]
    for column in schema.columns:
        assert f"| `{column.name}` |" in table, f"{column.name} missing from the generated table"
        for choice in column.choices:
            assert f"`{choice}`" in table
    assert f"**{len(datasets.load(name))} rows**" in page
    assert _card_date(name) in page
    assert f"load_{name}()" in page and f"]({name}.csv)" in page


def test_dataset_page_says_which_columns_may_be_empty_and_their_bounds():
    page = site.dataset_page("state_laws")
    assert "| `session_year` | integer | yes | at least 2015, at most 2030 |" in page
    assert "| `enacted` | date (YYYY-MM-DD) | no | ISO `YYYY-MM-DD` | the day it was signed" in page


@pytest.mark.parametrize("name", datasets.available())
def test_dataset_page_lists_each_column_once_then_a_few_rows(name):
    page = site.dataset_page(name)
    columns, rows = page.split("## A few rows", 1)
    names = set(datasets.SCHEMAS[name].names)
    tables, current = [], []
    for line in [*columns.splitlines(), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    of_this_file = [
        t
        for t in tables
        if sum(site._cells(ln)[0].strip("`") in names for ln in t) >= len(names) / 2
    ]
    assert len(of_this_file) == 1, f"{name}: {len(of_this_file)} tables list its columns"
    for column in names:
        assert sum(ln.startswith(f"| `{column}` |") for ln in of_this_file[0]) == 1, column
    table = [ln for ln in rows.splitlines() if ln.startswith("| ")]
    frame = datasets.load(name)
    assert table[0] == "| " + " | ".join(f"`{c}`" for c in frame.columns) + " |"
    assert len(table) - 1 == min(site.SAMPLE_ROWS, len(frame)), "a header and the sample rows"
    first = str(frame.iloc[0, 0])
    assert table[1].startswith(f"| {first} |"), "rows in the loader's order"


def test_dataset_page_keeps_the_cards_meaning_of_each_column():
    page = site.dataset_page("state_laws")
    assert (
        "| `revenue_threshold_usd` | number | no | at least 1 | US dollars per year: revenue"
        in page
    )

    long = datasets.load_state_laws()["obligations"].str.len().max()
    assert long > 90 and "…" in page.split("## A few rows", 1)[1]


def test_a_data_card_keeps_its_sections_and_its_lists_render():
    page = site.dataset_page("federal_timeline")
    body = datasets.card("federal_timeline").split("\n", 1)[1]
    for heading in re.findall(r"^## .+$", body, flags=re.M):
        if heading.startswith("## Columns"):  # merged into the generated table
            continue
        assert f"\n{heading}\n" in page
    # GitHub-style lists that follow a paragraph line get the blank line Python-Markdown needs.
    assert "**kind**\n\n- `framework`" in page


def test_a_seed_dataset_page_shows_its_own_section_of_the_register_card():
    page = site.dataset_page("seed_articles")
    assert "| `outlet` | text | yes |  | who published it |" in page, "the card's meaning"
    assert "`claims.csv`\n\n| Column" not in page, "another file's section"
    assert "[seed register](seed-register.md)" in page


def test_markdown_lists_leave_code_tables_and_separate_lists_alone():
    text = "Intro:\n- a\n- b\n\n| x |\n|---|\n\n```\nline\n- not a list\n```\n"
    assert site._markdown_lists(text) == text.replace("Intro:\n-", "Intro:\n\n-")


def test_datasets_index_lists_every_dataset():
    page = site.datasets_index_page()
    for name in datasets.available():
        assert f"[{name}]({name}.md) | {len(datasets.load(name))} |" in page


# --- lessons, home page, configuration ------------------------------------------------------


def _fake_course(tmp_path: Path, names: list[str]) -> Path:
    (tmp_path / "site").mkdir(parents=True)
    shutil.copy(ROOT / "site" / "index.md", tmp_path / "site" / "index.md")
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    (tmp_path / "lessons").mkdir()
    for name in names:
        number = name[:2]
        first = (
            f"# {number} · Lesson {number}\n\n**Teaching:** about 5 min · **Exercises:** none\n\n"
            f"### Questions\n\n- Why {number}?\n- And how,\n  really?\n\n### Objectives\n\n- x\n"
        )
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(first)])
        nbformat.write(nb, tmp_path / "lessons" / name)
    return tmp_path


def test_lessons_are_found_in_number_order_and_other_notebooks_ignored(tmp_path):
    root = _fake_course(
        tmp_path, ["10-ten.ipynb", "02-two.ipynb", "01-one.ipynb", "scratch.ipynb", "3-x.ipynb"]
    )
    lessons = site.find_lessons(root)
    assert [lesson.number for lesson in lessons] == ["01", "02", "10"]
    first = lessons[0]
    assert first.title == "01 · Lesson 01"
    assert first.times.startswith("**Teaching:** about 5 min")
    assert first.questions == ("Why 01?", "And how, really?")


def test_home_page_lists_every_lesson_in_order_and_says_how_to_run_the_course():
    page = site.home_page(LESSONS, ROOT)
    positions = [page.index(f"]({lesson.page})") for lesson in LESSONS]
    assert positions == sorted(positions) and len(positions) == len(LESSONS) >= 2
    for lesson in LESSONS:
        assert lesson.title in page
        for question in lesson.questions:
            assert question in page
    assert "Three threads" in page, "the README's opening: what the course is, its threads"
    assert "## Run the course yourself" in page and "make lab" in page
    assert "python -m http.server" in page
    assert "<!-- course:" not in page


def test_home_page_template_must_keep_its_markers(tmp_path):
    root = _fake_course(tmp_path, ["01-one.ipynb"])
    index = root / "site" / "index.md"
    index.write_text(index.read_text().replace("<!-- course:lessons -->", ""))
    with pytest.raises(site.SiteBuildError, match="course:lessons"):
        site.home_page(site.find_lessons(root), root)


def test_write_pages_writes_home_dataset_pages_csv_files_and_assets(tmp_path):
    root = _fake_course(tmp_path / "course", ["01-one.ipynb"])
    shutil.copytree(ROOT / "site" / "assets", root / "site" / "assets")
    docs = site.write_pages(tmp_path / "docs", root)
    assert "[01 · Lesson 01](lessons/01-one.ipynb)" in (docs / "index.md").read_text()
    for name in datasets.available():
        assert (docs / "datasets" / f"{name}.md").is_file()
        csv = datasets._resource(datasets.SCHEMAS[name]).read_bytes()
        assert (docs / "datasets" / f"{name}.csv").read_bytes() == csv
    assert (docs / "datasets" / "index.md").is_file()
    assert (docs / "datasets" / "seed-register.md").is_file()
    assert (docs / "assets" / "iframe-worker-shim.js").is_file()


def test_mkdocs_config_navigates_in_lesson_order_and_loads_nothing_remote(tmp_path):
    config = site.mkdocs_config(tmp_path / "docs", tmp_path / "html", LESSONS, ROOT)
    home, lessons, problem_sets, data, *rest = config["nav"]
    assert home == {"Home": "index.md"}
    assert [next(iter(e.values())) for e in problem_sets["Problem sets"]][1:] == [
        f"problem-sets/{p.name}"
        for p in sorted((ROOT / "assignments/source").glob("ps*/ps*.ipynb"))
    ]
    assert rest[-1] == {"API reference": "api.md"}
    assert [next(iter(e.values())) for e in lessons["Lessons"]] == [
        f"lessons/{p.name}" for p in sorted((ROOT / "lessons").glob("[0-9][0-9]-*.ipynb"))
    ]
    pages = [next(iter(e.values())) for e in data["Datasets"]]
    assert {f"datasets/{n}.md" for n in datasets.available()} <= set(pages)
    assert config["theme"]["font"] is False, "Google Fonts would be fetched"
    assert jupyter_option(config, "include_source") is True, "a download button per notebook"
    plugins = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert {"search", "offline", "mkdocs-jupyter"} <= set(plugins)
    jupyter = next(p["mkdocs-jupyter"] for p in config["plugins"] if isinstance(p, dict))
    assert jupyter["execute"] is False and jupyter["include_requirejs"] is False
    assert config["extra"]["polyfills"] == ["assets/iframe-worker-shim.js"]
    assert config["use_directory_urls"] is False, "pages must open from file:// too"
    assert config["theme"]["custom_dir"] == str((ROOT / "site" / "overrides").resolve())


def jupyter_option(config: dict, key: str):
    return next(
        p["mkdocs-jupyter"]
        for p in config["plugins"]
        if isinstance(p, dict) and "mkdocs-jupyter" in p
    )[key]


def test_repository_link_comes_from_pyproject_and_never_asks_the_hosts_api(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_REPOSITORY_URL", raising=False)
    root = _fake_course(tmp_path, ["01-one.ipynb"])
    shutil.copy(ROOT / "site" / "mkdocs.yml", root / "site" / "mkdocs.yml")
    config = site.mkdocs_config(tmp_path / "docs", tmp_path / "html", site.find_lessons(root), root)
    assert "repo_url" not in config, "no address known: no link"
    assert "ask your instructor" in site.home_page(site.find_lessons(root), root)
    (root / "pyproject.toml").write_text(
        '[project.urls]\nRepository = "https://git.example.org/ai/course"\n'
    )
    config = site.mkdocs_config(tmp_path / "docs", tmp_path / "html", site.find_lessons(root), root)
    assert (
        config["repo_url"] == "https://git.example.org/ai/course"
        and config["repo_name"] == "course"
    )
    assert "](https://git.example.org/ai/course)" in site.home_page(site.find_lessons(root), root)
    monkeypatch.setenv("COURSE_REPOSITORY_URL", "https://other.example/student-edition")
    assert site.repository_url(root) == "https://other.example/student-edition"
    source = (ROOT / "site" / "overrides" / "partials" / "source.html").read_text()
    assert 'class="md-source"' in source and "data-md-component" not in source.split("-#}", 1)[1]


def test_extra_pages_appear_in_the_navigation_and_on_the_home_page_when_written(tmp_path):
    root = _fake_course(tmp_path / "course", ["01-one.ipynb"])
    shutil.copy(ROOT / "site" / "mkdocs.yml", root / "site" / "mkdocs.yml")
    lessons = site.find_lessons(root)
    titles = [next(iter(e)) for e in site.mkdocs_config(tmp_path, tmp_path, lessons, root)["nav"]]
    assert "Glossary" not in titles and "Instructor guide" not in titles
    (root / "docs").mkdir()
    (root / "docs" / "glossary.md").write_text("# Glossary\n\n**Preemption**: ...\n")
    (root / "docs" / "instructor-guide.md").write_text("# Instructor guide\n")
    config = site.mkdocs_config(tmp_path, tmp_path, lessons, root)
    assert {"Glossary": "glossary.md"} in config["nav"]
    assert {"Instructor guide": "instructor-guide.md"} in config["nav"]
    home = site.home_page(lessons, root)
    assert "[Glossary](glossary.md)" in home and "[Instructor guide](instructor-guide.md)" in home
    shutil.copytree(ROOT / "site" / "assets", root / "site" / "assets")
    docs = site.write_pages(tmp_path / "docs", root)
    assert (docs / "glossary.md").read_text().startswith("# Glossary")


@pytest.mark.parametrize("ps", site.find_problem_sets(ROOT), ids=lambda ps: ps.id)
def test_problem_set_pages_are_the_release_with_no_solution_or_hidden_test(ps):
    source = nbformat.read(ps.path, as_version=4)
    released = site.released_notebook(ps.path)
    text = "\n".join(c.source for c in released.cells)
    secret, visible = [], []
    block = re.compile(r"### BEGIN (?:SOLUTION|HIDDEN TESTS)\n(.*?)### END [A-Z ]+", flags=re.S)
    for cell in source.cells:
        for found in block.findall(cell.source):
            secret += [ln.strip() for ln in found.splitlines() if len(ln.strip()) > 25]
        visible.append(block.sub("", cell.source))
    shown = "\n".join(visible)  # a hint outside the solution may quote a line of it
    secret = [ln for ln in secret if ln not in shown]
    assert secret, "the source has solutions to hide"
    leaked = [ln for ln in secret if ln in text]
    assert not leaked, f"{ps.id} shows solution or hidden-test lines: {leaked[:3]}"
    assert all(not c.get("outputs") for c in released.cells if c.cell_type == "code")
    prompts = [c.source for c in source.cells if c.cell_type == "markdown" and "points" in c.source]
    assert prompts and all(p in text for p in prompts if "BEGIN" not in p), "the prompts stay"


def test_home_page_reaches_the_problem_sets_and_the_api_reference():
    page = site.home_page(LESSONS, ROOT)
    assert "(problem-sets/index.md)" in page and "(api.md)" in page
    for ps in site.find_problem_sets(ROOT):
        assert f"]({ps.page})" in page
    overview = site.problem_sets_page(site.find_problem_sets(ROOT))
    assert "no solutions" in overview


def test_exercise_comments_make_sense_on_a_web_page():
    assert site.code_for_site("# Replace None with your DataFrame.\nx = None") == (
        "# In your copy of the notebook, replace None with your DataFrame.\nx = None"
    )
    assert site.code_for_site("y = None  # replace None later") == "y = None  # replace None later"


def test_alt_text_goes_on_the_image_with_the_same_data_and_missing_alt_is_found(tmp_path):
    v4 = nbformat.v4
    cell = v4.new_code_cell("fig")
    cell.outputs = [
        v4.new_output(
            "display_data",
            data={"image/png": "AAAA\nBBBB\n"},
            metadata={"image/png": {"alt": "Bars: 2024 3."}},
        ),
        v4.new_output("display_data", data={"image/png": "CCCC"}),
    ]
    alts = site.image_alt_texts(v4.new_notebook(cells=[cell]))
    assert alts == {"AAAABBBB": "Bars: 2024 3."}
    page = (
        f'<img src="data:image/png;base64,AAAABBBB" alt="{site.NO_ALT}">'
        '<img src="data:image/png;base64,CCCC">'
    )
    (tmp_path / "p.html").write_text(site.add_alt_text(page, alts))
    assert site.images_without_alt(tmp_path) == [
        "p.html: data:image/png;base64,CCCC... (no alt text)"
    ]
    assert 'alt="Bars: 2024 3."' in (tmp_path / "p.html").read_text()


# --- executed notebooks ---------------------------------------------------------------------


def test_static_notebook_drops_widgets_and_adds_the_live_note():
    v4 = nbformat.v4
    nb = v4.new_notebook(
        cells=[
            v4.new_markdown_cell("# 01 · T"),
            v4.new_markdown_cell("## Above 10<sup>26</sup>\n\nover $100 million, `$5`"),
            v4.new_code_cell("x"),
        ]
    )
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    view = {"application/vnd.jupyter.widget-view+json": {"model_id": "m"}, "text/plain": "VBox"}
    nb.cells[2].outputs = [v4.new_output("display_data", data=view)]
    site.static_notebook(nb, "lessons/01-t.ipynb")
    assert "widgets" not in nb.metadata
    assert [c.cell_type for c in nb.cells] == ["markdown", "markdown", "markdown", "code"]
    note = nb.cells[1].source
    assert "make lab" in note and "lessons/01-t.ipynb" in note
    assert nb.cells[2].source == "## Above 10²⁶\n\nover \\$100 million, `$5`"
    data = nb.cells[3].outputs[0].data
    assert list(data) == ["text/plain"] and "JupyterLab" in data["text/plain"]


def test_remove_remote_scripts_cleans_what_nbconvert_writes(tmp_path):
    """nbconvert's lab template loads MathJax (and mermaid, for diagrams) from CDNs."""
    from nbconvert import HTMLExporter

    v4 = nbformat.v4
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("# T\n\ntext"), v4.new_code_cell("1")])
    nb.cells[1].outputs = [v4.new_output("execute_result", data={"text/plain": "41 + 1"})]
    page, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    assert re.search(r"<script[^>]*src=\"https://", page), "nbconvert changed: update the test"
    assert re.search(r"import\(\"https://", page), "nbconvert changed: update the test"
    cleaned = site.remove_remote_scripts(page)
    assert "text/x-mathjax-config" not in cleaned
    assert "<p>text</p>" in cleaned and "41 + 1" in cleaned, "the content stays"
    (tmp_path / "page.html").write_text(cleaned)
    assert site.external_references(tmp_path) == []


def test_external_references_finds_fetches_and_ignores_links(tmp_path):
    (tmp_path / "page.html").write_text(
        '<html xmlns="http://www.w3.org/1999/xhtml"><head>'
        '<script src="https://cdn.example/a.js"></script>'
        '<link rel="stylesheet" href="http://cdn.example/b.css">'
        '<link rel="preconnect" href="https://fonts.gstatic.com">'
        '<link rel="canonical" href="https://example.org/page">'
        '<style>@import "https://cdn.example/c.css";</style>'
        '<script type="module">const m = await import("https://cdn.example/d.mjs")</script>'
        '</head><body><a href="https://example.org">a source</a>'
        '<img src="data:image/png;base64,AAAA"><img srcset="https://cdn.example/e.png 2x">'
        '<div style="background: url(//cdn.example/f.png)"></div>'
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>'
        '<script src="assets/local.js"></script></body></html>'
    )
    (tmp_path / "style.css").write_text("body { background: url('https://cdn.example/g.png') }")
    (tmp_path / "app.js").write_text('importScripts("https://cdn.example/h.js"); x = "https://"')
    found = site.external_references(tmp_path)
    assert [line.split(": ", 1)[1] for line in found] == [
        "https://cdn.example/h.js",
        "https://cdn.example/a.js",
        "http://cdn.example/b.css",
        "https://fonts.gstatic.com",
        "https://cdn.example/c.css",
        "https://cdn.example/d.mjs",
        "https://cdn.example/e.png",
        "//cdn.example/f.png",
        "https://cdn.example/g.png",
    ]


# --- explorers in static mode ---------------------------------------------------------------

EXPLORERS = {
    "threshold": lambda: widgets.threshold_explorer(),
    "race": lambda: widgets.race_explorer(n=3, mu=2.0, enmity=0.5),
    "review": lambda: widgets.review_explorer(window=30),
    "compliance": lambda: widgets.compliance_explorer(),
}


@pytest.fixture
def shown(monkeypatch):
    """What ``IPython.display.display`` was given, instead of printing it."""
    import IPython.display

    calls: list[object] = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: calls.extend(objs))
    return calls


@pytest.mark.parametrize("kind", EXPLORERS)
def test_explorer_shows_summary_figure_and_note_when_static(kind, monkeypatch, shown, capsys):
    from matplotlib.figure import Figure

    explorer = EXPLORERS[kind]()
    capsys.readouterr()
    shown.clear()  # what building it displayed inside its Output widgets
    monkeypatch.setenv("COURSE_STATIC", "1")
    assert widgets.static_mode()
    explorer._ipython_display_()
    assert all(item is not explorer.widget for item in shown), "no widget box on a static page"
    assert shown[0] == {"text/html": explorer.summary.value, "text/plain": shown[0]["text/plain"]}
    figures = [item for item in shown if isinstance(item, Figure)]
    assert len(figures) == 1 and figures[0].axes, "one figure, drawn"
    assert shown[-1]["text/plain"] == widgets.STATIC_NOTE
    assert "<code>make lab</code>" in shown[-1]["text/html"]
    assert "JupyterLab" in widgets.STATIC_NOTE and "static snapshot" in widgets.STATIC_NOTE


def test_static_figure_is_the_one_the_explorer_draws(monkeypatch, shown, capsys):
    explorer = widgets.race_explorer(n=3, mu=2.0, enmity=0.5)
    capsys.readouterr()
    shown.clear()  # what building it displayed inside its Output widgets
    monkeypatch.setenv("COURSE_STATIC", "1")
    explorer._ipython_display_()
    (figure,) = [item for item in shown if hasattr(item, "axes")]
    assert figure.axes[0].get_title() == "n = 3 teams, enmity e = 0.50"
    assert [line.get_label() for line in figure.axes[0].lines][-1] == "your choice"


def test_compliance_snapshot_includes_the_table_of_laws(monkeypatch, shown, capsys):
    import pandas as pd

    explorer = widgets.compliance_explorer()
    capsys.readouterr()
    shown.clear()  # what building it displayed inside its Output widgets
    monkeypatch.setenv("COURSE_STATIC", "1")
    explorer._ipython_display_()
    tables = [item for item in shown if isinstance(item, pd.DataFrame)]
    assert len(tables) == 1 and list(tables[0]["short_name"]) == list(explorer.table["short_name"])


@pytest.mark.parametrize("value", ["", "0", "true"])
def test_explorer_shows_its_widget_unless_static(value, monkeypatch, shown, capsys):
    explorer = widgets.threshold_explorer()
    capsys.readouterr()
    shown.clear()  # what building it displayed inside its Output widgets
    monkeypatch.setenv("COURSE_STATIC", value)
    explorer._ipython_display_()
    assert len(shown) == 1 and shown[0] is explorer.widget


# --- the whole site, built once -------------------------------------------------------------


def _offline_prefix() -> list[str]:
    """``unshare`` into a network namespace with no interface up, where the machine allows it."""
    unshare = shutil.which("unshare")
    if not unshare:
        return []
    probe = subprocess.run(
        [unshare, "--net", "--map-root-user", "true"], capture_output=True, timeout=30
    )
    return [unshare, "--net", "--map-root-user"] if probe.returncode == 0 else []


@pytest.fixture(scope="module")
def site_build(tmp_path_factory):
    """`python -m tools.site build` into a temp folder, with no network where possible."""
    out = tmp_path_factory.mktemp("site")
    prefix = _offline_prefix()
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "tools.site", "build", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, f"site build failed:\n{done.stdout}\n{done.stderr}"
    print(done.stdout, "(built with no network)" if prefix else "(network namespace unavailable)")
    return out / "html"


def _pages(html_dir: Path) -> list[Path]:
    return sorted(p for p in html_dir.rglob("*.html") if p.name != "404.html")


@pytest.mark.slow
def test_built_site_loads_nothing_from_another_host(site_build):
    assert site.external_references(site_build) == []
    for path in site_build.rglob("*"):
        if path.suffix in {".html", ".css"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            for host in ("fonts.googleapis", "fonts.gstatic", "cdnjs.", "unpkg.com", "jsdelivr"):
                assert host not in text, f"{path.relative_to(site_build)} mentions {host}"


@pytest.mark.slow
def test_every_lesson_page_exists_with_rendered_figures(site_build):
    assert LESSONS
    for lesson in LESSONS:
        page = site_build / "lessons" / f"{lesson.path.stem}.html"
        assert page.is_file(), f"no page for {lesson.path.name}"
        text = page.read_text(encoding="utf-8")
        assert re.search(r'<img[^>]+src="data:image/png;base64,', text), f"{page.name}: no figure"
        stderr = re.search(r'<div[^>]*data-mime-type="application/vnd.jupyter.stderr"', text)
        assert not stderr, f"{page.name} shows an error or a warning"


@pytest.mark.slow
def test_explorers_are_static_snapshots_on_the_site(site_build):
    for lesson in LESSONS:
        source = nbformat.read(lesson.path, as_version=4)
        code = [c.source for c in source.cells if c.cell_type == "code"]
        calls = sum(len(re.findall(r"\w+(?:_explorer|Explorer)\(", c)) for c in code)
        text = (site_build / "lessons" / f"{lesson.path.stem}.html").read_text(encoding="utf-8")
        assert text.count('class="course-static-note"') == calls, lesson.path.name
        assert "widget-view+json" not in text and "widget-state+json" not in text
        for before in text.split('class="course-static-note"')[:-1]:
            own_cell = before.rsplit("jp-InputPrompt", 1)[-1]
            assert "data:image/png" in own_cell, f"{lesson.path.name}: a snapshot with no figure"


@pytest.mark.slow
def test_solutions_stay_collapsed_and_their_markdown_renders(site_build):
    for lesson in LESSONS:
        source = nbformat.read(lesson.path, as_version=4)
        markdown = "\n".join(c.source for c in source.cells if c.cell_type == "markdown")
        text = (site_build / "lessons" / f"{lesson.path.stem}.html").read_text(encoding="utf-8")
        blocks = re.findall(r"<details\b([^>]*)>(.*?)</details>", text, flags=re.S)
        assert len(blocks) == markdown.count("<details"), lesson.path.name
        for attrs, inside in blocks:
            assert "open" not in attrs, f"{lesson.path.name}: a solution is unfolded"
            assert "```" not in inside, f"{lesson.path.name}: a code fence left as text"
            if "```python" in markdown:
                assert "<pre" in inside or "<code" in inside


@pytest.mark.slow
def test_home_navigation_search_and_dataset_pages(site_build):
    home = (site_build / "index.html").read_text(encoding="utf-8")
    positions = [home.index(f'href="lessons/{lesson.path.stem}.html"') for lesson in LESSONS]
    assert positions == sorted(positions)
    for name in datasets.available():
        page = site_build / "datasets" / f"{name}.html"
        assert page.is_file() and (site_build / "datasets" / f"{name}.csv").is_file()
        assert f"{len(datasets.load(name))} rows" in page.read_text(encoding="utf-8")
    index = (site_build / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "preemption" in index.lower()
    assert (site_build / "search" / "search_index.js").is_file(), "offline search (file://)"


@pytest.mark.slow
def test_lessons_link_their_terms_to_glossary_entries_that_exist(site_build):
    glossary = site_build / "glossary.html"
    ids = set(re.findall(r'\bid="([^"]+)"', glossary.read_text(encoding="utf-8")))
    for lesson in LESSONS:
        page = site_build / "lessons" / f"{lesson.path.stem}.html"
        hrefs = re.findall(r'href="([^"#]*glossary[^"#]*)#([^"]*)"', page.read_text("utf-8"))
        assert hrefs, f"{page.name}: no link to a glossary entry"
        for path, anchor in hrefs:
            assert (page.parent / path).resolve() == glossary.resolve(), f"{page.name}: {path}"
            assert anchor in ids, f"{page.name}: glossary.html has no id {anchor!r}"


@pytest.mark.slow
def test_every_image_has_the_alt_text_of_its_figure(site_build, tmp_path):
    assert site.images_without_alt(site_build) == []
    for lesson in LESSONS:
        page = (site_build / "lessons" / f"{lesson.path.stem}.html").read_text(encoding="utf-8")
        alts = re.findall(r'<img\b[^>]*\balt="([^"]*)"', page)
        assert alts, f"{lesson.path.name}: no figure"
        assert all(len(alt) > 40 for alt in alts), f"{lesson.path.name}: a thin description"
        assert site.NO_ALT not in page
    tiles = (site_build / "lessons" / "06-state-ai-laws-as-data.html").read_text(encoding="utf-8")
    assert "each category with its own colour and hatch pattern" in tiles


@pytest.mark.slow
def test_every_lesson_and_problem_set_page_offers_its_notebook(site_build):
    for lesson in LESSONS:
        page = (site_build / "lessons" / f"{lesson.path.stem}.html").read_text(encoding="utf-8")
        assert f'href="{lesson.path.name}"' in page and "course-download" in page
        download = site_build / "lessons" / lesson.path.name
        assert download.read_bytes() == lesson.path.read_bytes(), "the committed notebook"
    for ps in site.find_problem_sets(ROOT):
        page = (site_build / "problem-sets" / f"{ps.id}.html").read_text(encoding="utf-8")
        assert f'href="{ps.id}.ipynb"' in page
        released = nbformat.read(site_build / "problem-sets" / f"{ps.id}.ipynb", as_version=4)
        text = "\n".join(c.source for c in released.cells)
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
    home = (site_build / "index.html").read_text(encoding="utf-8")
    assert 'href="problem-sets/index.html"' in home and 'href="api.html"' in home


@pytest.mark.slow
def test_api_reference_is_generated_from_the_docstrings(site_build):
    page = (site_build / "api.html").read_text(encoding="utf-8")
    for module in site.API_MODULES:
        assert f'id="course.{module}"' in page, f"course.{module} missing"
    assert 'id="course.datasets.load_federal_timeline"' in page
    assert "Parameters:" in page or "Returns:" in page, "numpydoc sections rendered"
    assert ":class:<code" not in page and ":func:<code" not in page


@pytest.mark.slow
def test_exercise_cells_read_as_web_text(site_build):
    for lesson in LESSONS:
        page = (site_build / "lessons" / f"{lesson.path.stem}.html").read_text(encoding="utf-8")
        text = re.sub(r"<[^>]+>", "", page)
        assert "# Replace None" not in text, lesson.path.name


# --- the built site in a real browser -------------------------------------------------------

#: axe-core impacts that fail the site; "moderate" and "minor" findings are printed only.
AXE_FAILING = {"serious", "critical"}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def _axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError as error:
        message = (
            f"axe-playwright-python does not import ({error}); install it with "
            "`pip install -e '.[dev]'` (it ships axe-core)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return Axe()


@pytest.fixture
def chromium() -> Path:
    """The Chromium to drive; skips (fails on CI) when it or playwright is missing."""
    return require_chromium()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture
def served(site_build):
    """The built site on http://127.0.0.1:<free port>/, from a thread."""
    handler = functools.partial(_QuietHandler, directory=str(site_build))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.mark.slow
@pytest.mark.browser
def test_every_page_loads_offline_in_a_browser(chromium, site_build, served, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    axe = _axe()
    shots = tmp_path / "screenshots"
    shots.mkdir()
    violations: list[str] = []
    minor: list[str] = []
    requests: list[str] = []
    failed: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
            page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
            page.on(
                "console",
                lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None,
            )
            for path in _pages(site_build):
                rel = path.relative_to(site_build).as_posix()
                response = page.goto(served + rel, wait_until="networkidle")
                assert response is not None and response.ok, f"{rel}: {response}"
                page.screenshot(path=str(shots / (rel.replace("/", "_") + ".png")))
                page.wait_for_timeout(100)  # the site's script marks scrolling regions
                found = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
                for v in found.response["violations"]:
                    line = (
                        f"{rel}: {v['id']} ({v['impact']}, {len(v['nodes'])} elements): "
                        f"{v['help']}; first: {v['nodes'][0]['target']}"
                    )
                    (violations if v["impact"] in AXE_FAILING else minor).append(line)

            # The search box works offline: it finds a word of lesson 07's text.
            page.goto(served + "index.html", wait_until="networkidle")
            page.locator(".md-search__input").click()
            page.keyboard.type("preemption", delay=30)  # the theme searches on key presses
            results = page.locator(".md-search-result__item")
            expect(results.first).to_be_visible(timeout=20_000)
            page.screenshot(path=str(shots / "search.png"))

            # Solutions are folded until clicked, and their Markdown renders when open.
            lesson = LESSONS[0]
            page.goto(served + f"lessons/{lesson.path.stem}.html", wait_until="networkidle")
            details = page.locator(".jp-RenderedMarkdown details").first
            details.scroll_into_view_if_needed()
            expect(details).not_to_have_attribute("open", "")
            code = details.locator("pre, code").first
            expect(code).to_be_hidden()
            details.locator("summary").click()
            expect(code).to_be_visible()
            page.screenshot(path=str(shots / "solution-open.png"))
        finally:
            browser.close()
    print(f"screenshots of {len(list(shots.iterdir()))} pages in {shots}")
    print("axe-core, moderate or minor:\n" + "\n".join(minor) if minor else "axe-core: clean")
    assert not violations, "axe-core serious or critical violations:\n" + "\n".join(violations)
    elsewhere = sorted({u for u in requests if not u.startswith((served, "data:", "blob:"))})
    assert not elsewhere, f"requests to other hosts: {elsewhere}"
    assert not failed, f"failed requests: {failed}"
    assert not errors, "console errors:\n" + "\n".join(errors)


@pytest.mark.slow
@pytest.mark.browser
def test_site_opened_from_disk_can_search(chromium, site_build):
    """index.html opened straight from disk (file://): search still works (offline plugin)."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()
            remote: list[str] = []
            page.on("request", lambda r: remote.append(r.url) if "://" in r.url else None)
            page.goto((site_build / "index.html").as_uri())
            page.locator(".md-search__input").click()
            page.keyboard.type("threshold", delay=30)
            expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=20_000)
        finally:
            browser.close()
    assert [u for u in remote if not u.startswith(("file:", "data:", "blob:"))] == []
