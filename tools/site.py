"""The self-learners' website: every lesson run once, a page per dataset, search, all offline.

``python -m tools.site build [--out DIR]`` (or ``make site``) writes the site's Markdown
pages (:func:`write_pages`), runs every ``lessons/NN-*.ipynb`` in a fresh kernel from an
empty folder with ``COURSE_STATIC=1`` (:func:`execute_lesson`: explorers show a static
snapshot instead of sliders), builds the site with MkDocs, Material for MkDocs and
mkdocs-jupyter, and then checks that no page loads anything from another host
(:func:`external_references`). The theme and plugins are set in ``site/mkdocs.yml``; the
home page's hand-written parts are in ``site/index.md``.

Nothing here needs the network: the theme's web fonts are off, the notebooks' MathJax and
mermaid loaders (nbconvert points them at a CDN) are removed (:func:`remove_remote_scripts`),
and the search works from ``file://`` through a local copy of the theme's iframe-worker shim.

Examples
--------
>>> page = dataset_page("federal_timeline")
>>> "| `event_id` |" in page and f"{len(datasets.load_federal_timeline())} rows" in page
True
>>> [lesson.number for lesson in find_lessons()][:2]
['01', '02']
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from course import datasets

__all__ = [
    "ROOT",
    "Lesson",
    "SiteBuildError",
    "find_lessons",
    "dataset_page",
    "datasets_index_page",
    "seed_register_page",
    "sample_rows_table",
    "home_page",
    "repository_url",
    "find_problem_sets",
    "released_notebook",
    "problem_sets_page",
    "api_reference_page",
    "write_pages",
    "mkdocs_config",
    "execute_lesson",
    "static_notebook",
    "markdown_for_site",
    "docs_page_link",
    "heading_anchors",
    "code_for_site",
    "remove_remote_scripts",
    "external_references",
    "image_alt_texts",
    "add_alt_text",
    "images_without_alt",
    "build",
    "main",
]

#: The repository: the site is built from a checkout (lessons/, site/, README.md).
ROOT = Path(__file__).resolve().parents[1]
#: Where ``build`` writes by default: ``docs/`` (generated sources), ``html/`` (the site).
DEFAULT_OUT = ROOT / "site" / "_build"
_LESSON_NAME = re.compile(r"^(\d\d)-[a-z0-9-]+\.ipynb$")
_KIND = {
    "text": "text",
    "int": "integer",
    "float": "number",
    "date": "date (YYYY-MM-DD)",
    "url": "web address",
    "choice": "one of",
    "multi": "one or more of, joined by `;`",
}


class SiteBuildError(RuntimeError):
    """The site could not be built, or it would load something from another host."""


# --- lessons -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lesson:
    """A lesson notebook and what its first cell says about it."""

    path: Path
    number: str
    title: str
    times: str = ""
    questions: tuple[str, ...] = field(default_factory=tuple)

    @property
    def page(self) -> str:
        """The lesson's source path inside the site's docs folder."""
        return f"lessons/{self.path.name}"


def _lesson(path: Path) -> Lesson:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0].source if nb.cells else ""
    title = next(
        (line[2:].strip() for line in first.splitlines() if line.startswith("# ")),
        path.stem,
    )
    times = next((line.strip() for line in first.splitlines() if "**Teaching:**" in line), "")
    questions: list[str] = []
    block = re.search(r"^#+ Questions\s*$(.*?)(?=^#|\Z)", first, flags=re.M | re.S)
    if block:
        for line in block.group(1).splitlines():
            if line.startswith("- "):
                questions.append(line[2:].strip())
            elif line.startswith("  ") and questions:
                questions[-1] += " " + line.strip()
    return Lesson(path, path.name[:2], title, times, tuple(questions))


def find_lessons(root: Path = ROOT) -> list[Lesson]:
    """Every ``lessons/NN-kebab-title.ipynb`` under ``root``, in number order.

    >>> lessons = find_lessons()
    >>> lessons == sorted(lessons, key=lambda lesson: lesson.number)
    True
    """
    folder = Path(root) / "lessons"
    paths = sorted(p for p in folder.glob("*.ipynb") if _LESSON_NAME.match(p.name))
    return [_lesson(p) for p in paths]


# --- dataset pages ---------------------------------------------------------------------------


def _allowed(column: datasets.Column) -> str:
    if column.choices:
        return ", ".join(f"`{c}`" for c in column.choices)
    bounds = []
    if column.minimum is not None:
        bounds.append(f"at least {column.minimum:g}")
    if column.maximum is not None:
        bounds.append(f"at most {column.maximum:g}")
    return ", ".join(bounds)


_TABLE_ROW = re.compile(r"^\|.*\|\s*$")
_RULE_ROW = re.compile(r"^\|[\s:|-]+\|?\s*$")


def _cells(line: str) -> list[str]:
    r"""The cells of one Markdown table row (``\|`` inside a cell is kept).

    >>> _cells("| `a` | x \\| y | z |")
    ['`a`', 'x \\| y', 'z']
    """
    inner = line.strip()[1:]
    inner = inner[:-1] if inner.endswith("|") else inner
    return [c.strip() for c in re.split(r"(?<!\\)\|", inner)]


def _card_columns(card: str, names: list[str]) -> tuple[dict[str, dict[str, str]], str]:
    r"""Find the card's own table of the dataset's columns; return its rows and the card without it.

    A table counts as the column table when at least four in five of its rows start with a
    column name of the dataset and it names at least half of them. Each row becomes
    ``{header: cell}`` (headers lower-cased). The table is cut out of the card, and its
    heading too when nothing else is left under it, so the page lists the columns once.

    >>> card = "# T\n\n## Columns\n\n| name | meaning |\n|---|---|\n| `a` | first |\n\n## Next\n"
    >>> rows, rest = _card_columns(card, ["a"])
    >>> rows, rest
    ({'a': {'name': '`a`', 'meaning': 'first'}}, '# T\n\n## Next\n')
    """
    lines = card.splitlines(keepends=True)
    wanted = set(names)
    i = 0
    while i < len(lines) - 1:
        if _TABLE_ROW.match(lines[i]) and _RULE_ROW.match(lines[i + 1]):
            j = i + 2
            while j < len(lines) and _TABLE_ROW.match(lines[j]):
                j += 1
            header = [h.lower() for h in _cells(lines[i])]
            body = [_cells(line) for line in lines[i + 2 : j]]
            named = [row[0].strip("`") for row in body if row]
            hits = sum(n in wanted for n in named)
            if body and hits >= 0.8 * len(body) and hits >= 0.5 * len(wanted):
                rows = {row[0].strip("`"): dict(zip(header, row, strict=False)) for row in body}
                # the heading above the table goes too when only blank lines separate them
                k = i
                while k > 0 and not lines[k - 1].strip():
                    k -= 1
                after = j
                while after < len(lines) and not lines[after].strip():
                    after += 1
                heading_alone = (
                    k > 0
                    and lines[k - 1].startswith("#")
                    and (after == len(lines) or lines[after].startswith("#"))
                )
                cut_from = k - 1 if heading_alone else i
                rest = "".join(lines[:cut_from]) + "".join(lines[after if heading_alone else j :])
                return rows, rest
            i = j
        else:
            i += 1
    return {}, card


def _meaning(row: dict[str, str]) -> str:
    """The card's words for a column: its ``meaning`` (or ``description``/``content``) cell."""
    for key in ("meaning", "description", "content"):
        if row.get(key):
            return row[key]
    return ""


def _card_form(row: dict[str, str]) -> str:
    """The card's ``allowed values`` / ``units`` cell, if it has one."""
    return next((v for k, v in row.items() if k.startswith(("allowed", "unit"))), "")


def _schema_table(name: str, described: dict[str, dict[str, str]] | None = None) -> str:
    """The columns once: the loader's type, required and allowed values, and the card's meaning."""
    schema = datasets.SCHEMAS[name]
    rows = len(datasets.load(name))
    key = schema.key if isinstance(schema.key, str) else ", ".join(schema.key)
    key_text = " + ".join(f"`{k}`" for k in key.split(", "))
    described = described or {}
    lines = [
        "## Columns as the loader checks them",
        "",
        f"**{rows} rows** in `course/{schema.folder}/{schema.filename}`, loaded and validated by "
        f"`course.datasets.load_{name}()`; each row is identified by {key_text}. The type, "
        "whether a value is required and the allowed values come from "
        "`course.datasets.SCHEMAS`, so they are exactly what the loader enforces; the meaning "
        "of each column is the dataset card's.",
        "",
        "| column | type | required | allowed values | meaning |",
        "|---|---|---|---|---|",
    ]
    for column in schema.columns:
        card_row = described.get(column.name, {})
        allowed = _allowed(column)
        form = _card_form(card_row)
        meaning = _meaning(card_row)
        if not allowed:
            allowed = form
        elif form and "`" not in form and form.lower() not in ("free text", "string"):
            meaning = f"{form}: {meaning}" if meaning else form
        lines.append(
            f"| `{column.name}` | {_KIND.get(column.kind, column.kind)} | "
            f"{'yes' if column.required else 'no'} | {allowed} | {meaning} |"
        )
    lines += [
        "",
        f"Download the data: [{schema.filename}]({_csv_name(name)}) (UTF-8 CSV with a header row).",
        "",
    ]
    return "\n".join(lines)


#: How many rows a dataset page shows, and how long a cell may get before it is shortened.
SAMPLE_ROWS = 5
_SAMPLE_CELL = 90


def _sample_cell(value: object) -> str:
    """A value as a Markdown table cell: empty for a missing value, long text cut at a word.

    >>> _sample_cell(float("nan")), _sample_cell("a|b"), _sample_cell("word " * 30)[-11:]
    ('', 'a\\\\|b', 'word word …')
    """
    import pandas as pd

    if value is None or (not isinstance(value, str | list | tuple) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        text = value.date().isoformat()
    elif isinstance(value, float) and (abs(value) >= 1e6 or 0 < abs(value) < 1e-3):
        text = f"{value:.3g}"
    else:
        text = str(value)
    text = " ".join(text.split())
    if len(text) > _SAMPLE_CELL:
        text = text[:_SAMPLE_CELL].rsplit(" ", 1)[0] + " …"
    return text.replace("|", "\\|")


def sample_rows_table(name: str, n: int = SAMPLE_ROWS) -> str:
    r"""The first ``n`` rows of dataset ``name`` as a Markdown table, under its own heading.

    >>> table = sample_rows_table("federal_timeline", 2)
    >>> table.splitlines()[0], table.count("\n| ")
    ('## A few rows', 3)
    """
    frame = datasets.load(name)
    head = frame.head(n)
    lines = [
        "## A few rows",
        "",
        f"The first {len(head)} of the {len(frame)} rows, as `course.datasets.load_{name}()` "
        f"returns them (text longer than {_SAMPLE_CELL} characters is shortened here, at a "
        "word; the CSV file has it whole).",
        "",
        "| " + " | ".join(f"`{c}`" for c in head.columns) + " |",
        "|" + "---|" * len(head.columns),
    ]
    for row in head.itertuples(index=False):
        lines.append("| " + " | ".join(_sample_cell(v) for v in row) + " |")
    return "\n".join(lines) + "\n"


def _csv_name(name: str) -> str:
    return f"{name}.csv"


def _markdown_lists(text: str) -> str:
    """Put a blank line before a list that directly follows a paragraph line.

    The cards are written for GitHub's Markdown, where a list may interrupt a paragraph;
    MkDocs' Python-Markdown needs the blank line or it prints the items as running text.

    >>> _markdown_lists("Sources:\\n- one\\n- two\\n")
    'Sources:\\n\\n- one\\n- two\\n'
    """
    item = re.compile(r"^(?:[-*+]|\d+\.) ")
    out: list[str] = []
    in_fence = False
    block_has_item = False
    previous = ""
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        if not in_fence:
            if not line.strip():
                block_has_item = False
            elif item.match(line):
                if previous.strip() and not block_has_item and not previous.startswith("|"):
                    out.append("\n")
                block_has_item = True
        out.append(line)
        previous = line
    return "".join(out)


def _promote(text: str) -> str:
    r"""One ``#`` fewer on every heading of level 3 or deeper outside code fences.

    >>> _promote("### `claims.csv`\n\n```\n### not a heading\n```\n")
    '## `claims.csv`\n\n```\n### not a heading\n```\n'
    """
    out, in_fence = [], False
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        out.append(line[1:] if not in_fence and re.match(r"^#{3,6} ", line) else line)
    return "".join(out)


def _card_title(name: str) -> str:
    """The first heading of the dataset's card, without the file name in brackets."""
    schema = datasets.SCHEMAS[name]
    if schema.folder == "seeds":
        return f"{schema.filename} of the seed register"
    first = datasets.card(name).splitlines()[0].lstrip("# ").strip()
    return re.sub(r"\s*\(`[^)]*`\)\s*$", "", first)


def _seed_sections(card: str, schema: datasets.Schema) -> str:
    """The register card's opening paragraphs and the sections about one of its files.

    Those are the ``###`` sections whose heading names the file, or starts with the name
    of one of its columns (the verdict and confidence scales).
    """
    parts = re.split(r"(?m)^(?=#{2,3} )", card)
    intro = parts[0].split("\n", 1)[1] if "\n" in parts[0] else ""
    columns = tuple(name.replace("_", " ") for name in schema.names)
    own = []
    for part in parts[1:]:
        heading = part.splitlines()[0].lstrip("# ").strip()
        if part.startswith("###") and (
            f"`{schema.filename}`" in heading or heading.lower().startswith(columns)
        ):
            own.append(part)
    return intro.strip() + "\n\n" + "\n".join(own).strip()


def dataset_page(name: str) -> str:
    """The site's page on dataset ``name``: its card, then a generated table of its columns.

    The table gives each column's type, whether it may be empty and its allowed values,
    from :data:`course.datasets.SCHEMAS`, and the page states the number of rows.
    Datasets of the seed register share one card; their page shows its opening and the
    section about the dataset's file.

    >>> page = dataset_page("seed_claims")
    >>> page.splitlines()[0]
    '# seed_claims: claims.csv of the seed register'
    >>> "## Verdict scale" in page and "## `articles.csv`" not in page
    True
    >>> "| `verdict` | one of | yes | `supported`, `partly supported`" in page
    True
    >>> f"**{len(datasets.load_seed_claims())} rows**" in page
    True
    """
    schema = datasets._schema(name)
    card = datasets.card(name)
    if schema.folder == "seeds":
        body = _promote(_seed_sections(card, schema))
        head = (
            f"# {name}: {_card_title(name)}\n\n"
            f"Part of the seed register (`course/seeds/`): the two news articles the course "
            f"started from and a fact-check of their claims. The register's whole card is on "
            f"the [seed register](seed-register.md) page.\n\n"
        )
    else:
        body = card.split("\n", 1)[1] if "\n" in card else ""
        head = f"# {name}: {_card_title(name)}\n\n"
    described, body = _card_columns(body, datasets.SCHEMAS[name].names)
    return (
        head
        + _markdown_lists(body).rstrip()
        + "\n\n"
        + _schema_table(name, described)
        + "\n"
        + sample_rows_table(name)
    )


def seed_register_page() -> str:
    """The seed register's whole card, as one page.

    >>> seed_register_page().startswith("# Seed register")
    True
    """
    return _markdown_lists(datasets.card("seed_claims")).rstrip() + "\n"


def datasets_index_page() -> str:
    """A table of every dataset: its name (linked to its page), rows and what it holds.

    >>> "[federal_timeline](federal_timeline.md)" in datasets_index_page()
    True
    """
    lines = [
        "# Datasets",
        "",
        "Every figure and number in the lessons comes from these tables, which ship inside the "
        "`course` package. A lesson never reads a file: it calls a loader such as "
        "`course.datasets.load_federal_timeline()`, which checks every row against the "
        "dataset's schema. Each page below is the dataset's card (what it holds, its sources, "
        "the date its facts are current to, its known gaps and licence) followed by the "
        "columns as the loader checks them and a link to the CSV file.",
        "",
        "| dataset | rows | what it holds |",
        "|---|---|---|",
    ]
    for name in _ordered_datasets():
        rows = len(datasets.load(name))
        lines.append(f"| [{name}]({name}.md) | {rows} | {_holds(name)} |")
    lines += [
        "",
        "The datasets whose names start with `seed_` and `claim_evidence` form the "
        "[seed register](seed-register.md): the two news articles the course was commissioned "
        "from, described in our words, and a claim-by-claim check of what they say.",
        "",
    ]
    return "\n".join(lines)


def _holds(name: str) -> str:
    """What a dataset holds, in a few words: its card's title, or its line in the register."""
    schema = datasets.SCHEMAS[name]
    if schema.folder != "seeds":
        return _card_title(name)
    files = re.search(
        rf"^\| `{re.escape(schema.filename)}` \| ([^|]+)\|", datasets.card(name), flags=re.M
    )
    return f"seed register: {files.group(1).strip()}" if files else _card_title(name)


def _ordered_datasets() -> list[str]:
    """The course's own datasets first, then the seed register's, each alphabetically."""
    names = datasets.available()
    return sorted(names, key=lambda n: (datasets.SCHEMAS[n].folder != "data", n))


# --- home page and the whole docs folder ------------------------------------------------------


def _readme_intro(root: Path) -> str:
    """The README's opening: what the course is and its three threads (before the first ``##``)."""
    text = (Path(root) / "README.md").read_text(encoding="utf-8")
    body = text.split("\n", 1)[1] if text.startswith("# ") else text
    return body.split("\n## ", 1)[0].strip()


#: The pages the lead writes in ``docs/`` of the repository; the site shows those that exist.
EXTRA_PAGES = {"instructor-guide.md": "Instructor guide", "glossary.md": "Glossary"}
#: What the API reference documents: the modules students import (not the grading pipeline).
API_MODULES = (
    "datasets", "timeline", "compute", "race", "review", "patchwork", "sources", "plots",
    "widgets", "checks",
)  # fmt: skip


def repository_url(root: Path = ROOT) -> str | None:
    """The course repository's web address: ``[project.urls] Repository`` of ``pyproject.toml``.

    ``COURSE_REPOSITORY_URL`` in the environment overrides it (a student edition published
    elsewhere); ``None`` when neither is set.

    >>> import os, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "pyproject.toml").write_text('[project.urls]\\nRepository = "https://git.example/c"')
    >>> repository_url(folder) if "COURSE_REPOSITORY_URL" not in os.environ else "https://git.example/c"
    'https://git.example/c'
    """
    import tomllib

    url = os.environ.get("COURSE_REPOSITORY_URL", "").strip()
    if url:
        return url
    pyproject = Path(root) / "pyproject.toml"
    if not pyproject.is_file():
        return None
    urls = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {}).get("urls", {})
    for key in ("Repository", "repository", "Source", "source"):
        if urls.get(key):
            return str(urls[key])
    return None


@dataclass(frozen=True)
class ProblemSet:
    """An nbgrader problem set of ``assignments/source/<id>/<id>.ipynb``."""

    path: Path
    id: str
    title: str
    points: float

    @property
    def page(self) -> str:
        """The released notebook's path inside the site's docs folder."""
        return f"problem-sets/{self.id}.ipynb"


def find_problem_sets(root: Path = ROOT) -> list[ProblemSet]:
    """Every ``assignments/source/psNN-topic/psNN-topic.ipynb`` under ``root``, in id order.

    >>> [ps.id for ps in find_problem_sets()][:1]
    ['ps01-the-order']
    """
    import nbformat

    found = []
    for path in sorted((Path(root) / "assignments" / "source").glob("ps[0-9][0-9]-*/*.ipynb")):
        if path.stem != path.parent.name:
            continue
        nb = nbformat.read(path, as_version=4)
        first = nb.cells[0].source if nb.cells else ""
        title = next(
            (ln[2:].strip() for ln in first.splitlines() if ln.startswith("# ")), path.stem
        )
        points = sum(
            float(c.metadata.get("nbgrader", {}).get("points", 0) or 0)
            for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade")
        )
        found.append(ProblemSet(path, path.stem, title, points))
    return found


def released_notebook(source: Path):
    """The problem set as students receive it: nbgrader's own release preprocessors applied.

    Solutions and rubrics (between ``### BEGIN SOLUTION`` / ``### END SOLUTION``), hidden
    tests, mark schemes and outputs are removed by nbgrader's ``ClearSolutions``,
    ``ClearHiddenTests``, ``ClearMarkScheme`` and ``ClearOutput``, as ``generate_assignment``
    does. Raises :class:`SiteBuildError` if any nbgrader marker survives.
    """
    import nbformat
    from nbgrader.preprocessors import (
        ClearHiddenTests,
        ClearMarkScheme,
        ClearOutput,
        ClearSolutions,
    )

    nb = nbformat.read(source, as_version=4)
    resources: dict = {}
    for step in (ClearSolutions(), ClearHiddenTests(), ClearMarkScheme(), ClearOutput()):
        nb, resources = step.preprocess(nb, resources)
    for cell in nb.cells:
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "BEGIN MARK SCHEME"):
            if marker in cell.source:
                raise SiteBuildError(f"{Path(source).name}: {marker!r} left after the release")
    return nb


def problem_sets_page(problem_sets: Iterable[ProblemSet]) -> str:
    """The problem sets' overview page: each one's title and points, linked to its prompt."""
    lines = [
        "# Problem sets",
        "",
        "Each lesson has a graded problem set. The pages below are the notebooks **as students "
        "receive them**: the prompts and the visible checks, with no solutions, rubrics or "
        "hidden tests (those stay in the instructor's copy). Each page has a download button; "
        "open the notebook in JupyterLab (`make lab`), fill in the answer cells and run the "
        "checks. Instructors release, collect and grade them with nbgrader (see the README).",
        "",
        "| problem set | points |",
        "|---|---|",
    ]
    for ps in problem_sets:
        lines.append(f"| [{ps.title}]({ps.id}.ipynb) | {ps.points:g} |")
    return "\n".join(lines) + "\n"


def api_reference_page(modules: Iterable[str] = API_MODULES) -> str:
    """The API reference: one section per module of ``course``, from its numpydoc docstrings.

    >>> page = api_reference_page(["datasets"])
    >>> "::: course.datasets" in page
    True
    """
    lines = [
        "# API reference",
        "",
        "The functions the lessons and problem sets call, generated from the docstrings of the "
        "`course` package (mkdocstrings, numpydoc style). Every docstring opens with a short "
        "example you can run in a notebook. The instructor's grading pipeline "
        "(`course.grading`, the `course` command) is described in the README instead.",
        "",
    ]
    for module in modules:
        lines += [f"::: course.{module}", ""]
    return "\n".join(lines)


def home_page(
    lessons: Iterable[Lesson],
    root: Path = ROOT,
    problem_sets: Iterable[ProblemSet] | None = None,
) -> str:
    """The home page: ``site/index.md`` with the README's opening, the lessons, the problem
    sets, and the other pages (glossary, instructor guide, API reference) that exist.

    >>> lessons = find_lessons()
    >>> all(f"(lessons/{lesson.path.name})" in home_page(lessons) for lesson in lessons)
    True
    >>> "(problem-sets/index.md)" in home_page(lessons)
    True
    """
    template = (Path(root) / "site" / "index.md").read_text(encoding="utf-8")
    problem_sets = find_problem_sets(root) if problem_sets is None else list(problem_sets)
    items = []
    for lesson in lessons:
        item = f"{int(lesson.number)}. **[{lesson.title}]({lesson.page})**"
        if lesson.times:
            item += f"  \n   {lesson.times}"
        for question in lesson.questions:
            item += f"\n    - {question}"
        items.append(item)
    listing = "\n".join(items) if items else "*No lessons yet.*"
    more = []
    if problem_sets:
        more.append(
            f"- **[Problem sets](problem-sets/index.md)**: {len(problem_sets)} graded notebooks "
            "as students receive them, "
            + ", ".join(f"[{ps.id}]({ps.page})" for ps in problem_sets)
            + "."
        )
    if (Path(root) / "docs" / "glossary.md").is_file():
        more.append(
            "- **[Glossary](glossary.md)**: the terms of law, economics and computing the "
            "lessons use."
        )
    if (Path(root) / "docs" / "instructor-guide.md").is_file():
        more.append(
            "- **[Instructor guide](instructor-guide.md)**: schedule, prerequisites, "
            "facilitation notes and how to run the course."
        )
    more.append(
        "- **[API reference](api.md)**: every function of the `course` package the lessons "
        "call, with its documentation."
    )
    repo = repository_url(root)
    if repo:
        get = (
            f"a copy of the course: clone or download [its repository]({repo}) (also linked at "
            "the top right of every page)"
        )
    else:
        get = (
            "a copy of the course's files (ask your instructor where your class publishes it); "
            "each lesson page also has a button to download its notebook"
        )
    for marker, value in {
        "<!-- course:intro -->": _readme_intro(root),
        "<!-- course:lessons -->": listing,
        "<!-- course:more -->": "\n".join(more),
        "<!-- course:get -->": get,
    }.items():
        if marker not in template:
            raise SiteBuildError(f"site/index.md lost its {marker} marker; put it back")
        template = template.replace(marker, value)
    return template


def write_pages(out_dir: Path, root: Path = ROOT, lessons: list[Lesson] | None = None) -> Path:
    """Write the site's Markdown sources into ``out_dir`` and return it.

    ``index.md`` (home page), ``datasets/`` (an overview, a page and the CSV file per
    dataset, the seed register's card), ``problem-sets/`` (an overview and each released
    notebook), ``api.md``, the pages of :data:`EXTRA_PAGES` found in ``docs/`` and
    ``assets/`` (from ``site/assets``). The lessons themselves are added by
    :func:`execute_lesson`.
    """
    import nbformat

    out = Path(out_dir)
    lessons = find_lessons(root) if lessons is None else lessons
    problem_sets = find_problem_sets(root)
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.md").write_text(home_page(lessons, root, problem_sets), encoding="utf-8")
    data = out / "datasets"
    data.mkdir(exist_ok=True)
    (data / "index.md").write_text(datasets_index_page(), encoding="utf-8")
    (data / "seed-register.md").write_text(seed_register_page(), encoding="utf-8")
    for name in datasets.available():
        (data / f"{name}.md").write_text(dataset_page(name), encoding="utf-8")
        csv = datasets._resource(datasets.SCHEMAS[name]).read_bytes()
        (data / _csv_name(name)).write_bytes(csv)
    if problem_sets:
        sets = out / "problem-sets"
        sets.mkdir(exist_ok=True)
        (sets / "index.md").write_text(problem_sets_page(problem_sets), encoding="utf-8")
        for ps in problem_sets:
            nbformat.write(released_notebook(ps.path), out / ps.page)
    (out / "api.md").write_text(api_reference_page(), encoding="utf-8")
    for name in EXTRA_PAGES:
        page = Path(root) / "docs" / name
        if page.is_file():
            shutil.copy(page, out / name)
    assets = Path(root) / "site" / "assets"
    if assets.is_dir():
        shutil.copytree(assets, out / "assets", dirs_exist_ok=True)
    return out


def mkdocs_config(
    docs_dir: Path, site_dir: Path, lessons: Iterable[Lesson], root: Path = ROOT
) -> dict:
    """``site/mkdocs.yml`` with the folders, the navigation and the repository link added.

    >>> config = mkdocs_config(Path("docs"), Path("html"), find_lessons())
    >>> [next(iter(entry)) for entry in config["nav"]][:4]
    ['Home', 'Lessons', 'Problem sets', 'Datasets']
    """
    import yaml

    config = yaml.safe_load((Path(root) / "site" / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(Path(docs_dir).resolve())
    config["site_dir"] = str(Path(site_dir).resolve())
    overrides = Path(root) / "site" / "overrides"
    if overrides.is_dir():
        config["theme"]["custom_dir"] = str(overrides.resolve())
    repo = repository_url(root)
    if repo:
        # site/overrides/partials/source.html draws the link without asking the host's API
        config["repo_url"] = repo
        config["repo_name"] = repo.rstrip("/").rsplit("/", 1)[-1] or repo
        config["edit_uri"] = ""
    data = [{"Overview": "datasets/index.md"}]
    data += [{name: f"datasets/{name}.md"} for name in _ordered_datasets()]
    data.append({"Seed register": "datasets/seed-register.md"})
    nav: list[dict] = [
        {"Home": "index.md"},
        {"Lessons": [{lesson.title: lesson.page} for lesson in lessons]},
    ]
    problem_sets = find_problem_sets(root)
    if problem_sets:
        nav.append(
            {
                "Problem sets": [{"Overview": "problem-sets/index.md"}]
                + [{ps.title: ps.page} for ps in problem_sets]
            }
        )
    nav.append({"Datasets": data})
    for name, title in EXTRA_PAGES.items():
        if (Path(root) / "docs" / name).is_file():
            nav.append({title: name})
    nav.append({"API reference": "api.md"})
    config["nav"] = nav
    return config


# --- lessons, run once ----------------------------------------------------------------------


def _kernel_env() -> dict[str, str]:
    env = dict(os.environ)
    env["COURSE_STATIC"] = "1"
    # An inherited MPLBACKEND (the tests set Agg) would stop the kernel drawing inline figures.
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    env.pop("PYDEVD_DISABLE_FILE_VALIDATION", None)
    return env


_LIVE_NOTE = """\
<div class="admonition info course-live-note">
<p class="admonition-title">You are reading a lesson that was run for you</p>
<p>This page is <code>{path}</code> run once, top to bottom, on the course's data: every table and
figure below is its real output. The exercises are left as you would find them, so their checks
say what is still missing; each worked solution is folded under <b>Solution</b>. Explorers
(sliders and buttons in JupyterLab) are shown here as a static snapshot. To do the exercises and
use the explorers yourself, download the notebook (the <b>Notebook</b> button at the top of this
page), or get the course, run <code>make lab</code> and open <code>{path}</code>:
see <a href="../index.html#run-the-course-yourself">Run the course yourself</a>.</p>
</div>"""

_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_WIDGET_TEXT = "(An interactive widget: open this lesson in JupyterLab with `make lab` to use it.)"


_SUPERSCRIPT = str.maketrans("0123456789+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", flags=re.S)


def markdown_for_site(source: str) -> str:
    r"""A lesson's Markdown cell as the site should render it.

    Two differences from JupyterLab's renderer matter on a static page. Headings feed the
    table of contents, which drops HTML tags (``10<sup>25</sup>`` would read "1025"), so
    superscripts in headings become Unicode ones. And the lessons write no TeX (formulas
    use ``<sup>``), so a dollar sign before a digit is money, not the start of a formula:
    it is escaped, or ``$100 million ... $10 million`` would be set as one formula.

    >>> markdown_for_site("## Above 10<sup>26</sup> FLOP")
    '## Above 10²⁶ FLOP'
    >>> markdown_for_site("over $100 million and `$5` in code")
    'over \\$100 million and `$5` in code'

    Links from one lesson to another point at its page rather than its notebook:

    >>> markdown_for_site("see [lesson 01](01-the-scrapped-order.ipynb#setup)")
    'see [lesson 01](01-the-scrapped-order.html#setup)'

    A lesson links a page of the repository's ``docs/`` as ``../docs/glossary.md#term``, the
    path that opens the file in JupyterLab. On the site the lessons are in ``lessons/`` and
    the pages of :data:`EXTRA_PAGES` at the top, so the link points at that page instead,
    anchor kept (:func:`docs_page_link`):

    >>> markdown_for_site("a [preemption](../docs/glossary.md#preemption) scenario")
    'a [preemption](../glossary.html#preemption) scenario'
    """
    lines = []
    for line in source.splitlines(keepends=True):
        if line.startswith("#"):
            line = re.sub(r"<sup>([0-9+-]+)</sup>", lambda m: m[1].translate(_SUPERSCRIPT), line)
        lines.append(line)
    parts = _CODE.split("".join(lines))
    for i in range(0, len(parts), 2):  # even parts are outside code
        parts[i] = re.sub(r"(?<!\\)\$(?=\d)", r"\\$", parts[i])
        parts[i] = re.sub(r"\]\((\d\d-[a-z0-9-]+)\.ipynb(#[^)\s]*)?\)", r"](\1.html\2)", parts[i])
        parts[i] = _DOCS_LINK.sub(lambda m: f"]({docs_page_link(m[1], m[2] or '')})", parts[i])
    return "".join(parts)


#: A Markdown link from a lesson to a page of the repository's ``docs/`` folder.
_DOCS_LINK = re.compile(r"\]\(\.\./docs/([a-z0-9-]+\.md)(#[^)\s]*)?\)")


def docs_page_link(name: str, anchor: str = "") -> str:
    """Where a lesson page links to reach ``docs/<name>`` on the site (``use_directory_urls``
    is off, so ``glossary.md`` becomes ``glossary.html``, one folder above ``lessons/``).

    A page that :func:`write_pages` does not publish keeps its repository path, so the link
    stays broken where a reviewer can see it rather than pointing at nothing.

    >>> docs_page_link("glossary.md", "#flop"), docs_page_link("notes.md")
    ('../glossary.html#flop', '../docs/notes.md')
    """
    if name not in EXTRA_PAGES:
        return f"../docs/{name}{anchor}"
    return f"../{name[: -len('.md')]}.html{anchor}"


def heading_anchors(text: str, root: Path = ROOT) -> list[str]:
    """The ids MkDocs gives the headings of Markdown page ``text``, in page order.

    The page is run through Python-Markdown with the ``markdown_extensions`` of
    ``site/mkdocs.yml``, so an explicit ``{#id}`` (attr_list) and the toc extension's slug of
    a heading without one come out as the site has them.

    >>> heading_anchors("# Glossary\\n\\n## Enjoined, injunction {#enjoined}\\n\\n## 6 N D\\n")
    ['glossary', 'enjoined', '6-n-d']
    """
    import markdown
    import yaml

    config = yaml.safe_load((Path(root) / "site" / "mkdocs.yml").read_text(encoding="utf-8"))
    names: list[str] = []
    options: dict[str, dict] = {}
    for entry in config.get("markdown_extensions", []):
        name, settings = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        if settings:
            options[name] = settings
    md = markdown.Markdown(extensions=names, extension_configs=options)
    md.convert(text)
    found: list[str] = []

    def walk(tokens: list[dict]) -> None:
        for token in tokens:
            found.append(token["id"])
            walk(token["children"])

    walk(md.toc_tokens)
    return found


_REPLACE_NONE = re.compile(r"^(\s*#\s*)Replace None with\b", flags=re.M)


def code_for_site(source: str) -> str:
    """A lesson's code cell as the site shows it: exercise comments that make sense on a page.

    In JupyterLab an exercise cell says "Replace None with ..."; a web page cannot be
    edited, so the site says where to do it.

    >>> code_for_site("# Replace None with a list.\\nanswer = None")
    '# In your copy of the notebook, replace None with a list.\\nanswer = None'
    """
    return _REPLACE_NONE.sub(r"\1In your copy of the notebook, replace None with", source)


def static_notebook(nb, path: str):
    """Make an executed notebook fit for a static page, in place, and return it.

    Drops the saved widget state and widget views (a static page has no kernel, and
    nbconvert would load a widget manager from a CDN for them), passes the Markdown cells
    through :func:`markdown_for_site`, and inserts a note after the first cell saying how
    to run the lesson live.

    >>> import nbformat.v4 as v4
    >>> nb = v4.new_notebook(cells=[v4.new_markdown_cell("# 01 · T"), v4.new_code_cell("w")])
    >>> nb.metadata["widgets"] = {"state": {}}
    >>> nb.cells[1].outputs = [v4.new_output("display_data", data={
    ...     "application/vnd.jupyter.widget-view+json": {"model_id": "x"}, "text/plain": "VBox()"})]
    >>> nb = static_notebook(nb, "lessons/01-t.ipynb")
    >>> "widgets" in nb.metadata, nb.cells[2].outputs[0].data["text/plain"][:20]
    (False, '(An interactive widg')
    >>> "make lab" in nb.cells[1].source
    True
    """
    import nbformat.v4 as v4

    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = markdown_for_site(cell.source)
        elif cell.cell_type == "code":
            cell.source = code_for_site(cell.source)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if _WIDGET_VIEW in data:
                del data[_WIDGET_VIEW]
                data["text/plain"] = _WIDGET_TEXT
    note = v4.new_markdown_cell(_LIVE_NOTE.format(path=html.escape(path)))
    note.metadata["course_site"] = "live-note"
    nb.cells.insert(1, note)
    return nb


def execute_lesson(source: Path, dest: Path, *, timeout: int = 600) -> Path:
    """Run lesson ``source`` in a fresh kernel from an empty folder and save it as ``dest``.

    The kernel gets ``COURSE_STATIC=1``, so explorers show static snapshots. A cell that
    raises stops the build with a :class:`SiteBuildError` naming the lesson.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from traitlets.config import Config

    nb = nbformat.read(source, as_version=4)
    with tempfile.TemporaryDirectory(prefix="course-site-") as cwd:
        config = Config()
        if os.name == "posix":  # Unix sockets in the scratch folder rather than TCP ports
            config.KernelManager.transport = "ipc"
            config.KernelManager.ip = os.path.join(cwd, "kernel")
        client = NotebookClient(
            nb,
            config=config,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": cwd}},
        )
        try:
            client.execute(env=_kernel_env())
        except CellExecutionError as error:
            message = re.sub(r"\x1b\[[0-9;]*m", "", str(error))  # no terminal colours
            raise SiteBuildError(f"{source.name} failed while it ran:\n{message}") from None
    static_notebook(nb, f"lessons/{Path(source).name}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)
    return dest


# --- offline checks ---------------------------------------------------------------------------

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", flags=re.S | re.I)
_REMOTE = re.compile(r"""^\s*(?:https?:)?//""", flags=re.I)


def remove_remote_scripts(text: str) -> str:
    """Remove ``<script>`` elements that would load code from another host.

    nbconvert's notebook template loads MathJax with a ``src`` on a CDN, configures it
    in a ``text/x-mathjax-config`` script, and imports mermaid from a CDN when a page has
    a diagram. The lessons write formulas with ``<sup>``, so none of these is needed.

    >>> remove_remote_scripts('<p>a</p><script src="https://cdn.x/m.js"> </script><p>b</p>')
    '<p>a</p><p>b</p>'
    >>> remove_remote_scripts('<script type="module">import("https://cdn.x/m.mjs")</script>')
    ''
    >>> remove_remote_scripts('<script src="assets/local.js"></script>')
    '<script src="assets/local.js"></script>'
    """

    def keep(match: re.Match) -> str:
        attrs, body = match.group(1), match.group(2)
        src = re.search(r"""\bsrc\s*=\s*["']?([^"'\s>]+)""", attrs, flags=re.I)
        if src and _REMOTE.match(src.group(1)):
            return ""
        if re.search(r"""type\s*=\s*["']?text/x-mathjax-config""", attrs, flags=re.I):
            return ""
        if re.search(r"""\bimport\s*\(\s*["'](?:https?:)?//""", body):
            return ""
        return match.group(0)

    return _SCRIPT.sub(keep, text)


_FETCHING_RELS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest"}
_FETCHING_RELS |= {"preconnect", "dns-prefetch", "apple-touch-icon", "shortcut"}
_CSS_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])((?:https?:)?//[^"')\s]+)""", re.I)
_JS_REMOTE = re.compile(
    r"""(?:\bimport\s*\(\s*|\bimportScripts\s*\(\s*|\bfrom\s+|\bsrc\s*=\s*)["']((?:https?:)?//[^"']+)""",
    re.I,
)


class _FetchFinder(HTMLParser):
    """Collects the URLs an HTML page makes the browser fetch (not plain links)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.mermaid = False
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        fetched: list[str] = []
        if tag in {"script", "img", "iframe", "source", "audio", "video", "embed", "track"}:
            fetched.append(a.get("src", ""))
        if tag in {"img", "source"} and a.get("srcset"):
            fetched += [part.strip().split(" ")[0] for part in a["srcset"].split(",")]
        if tag == "video":
            fetched.append(a.get("poster", ""))
        if tag == "object":
            fetched.append(a.get("data", ""))
        if tag == "link" and set(a.get("rel", "").lower().split()) & _FETCHING_RELS:
            fetched.append(a.get("href", ""))
        if "style" in a:
            fetched += _CSS_URL.findall(a["style"])
        if "mermaid" in a.get("class", "").split():
            self.mermaid = True
        self.urls += [u for u in fetched if _REMOTE.match(u)]
        self._in = tag if tag in {"script", "style"} else None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self.urls += _CSS_URL.findall(data)
        elif self._in == "script":
            self.urls += _JS_REMOTE.findall(data)


def external_references(site_dir: Path) -> list[str]:
    """What the built site would fetch from another host, as ``"file: url"`` lines.

    Looks at every HTML page (scripts, stylesheets, images, frames, inline styles and
    scripts), CSS file (``url()`` and ``@import``) and JavaScript file (static and dynamic
    imports, ``importScripts``). Plain links (``<a href>``) are not fetched and not listed.
    The theme's bundle holds three URLs that it only uses on conditions this site never
    meets: mermaid (a page with a diagram: reported here as ``mermaid diagram``), a
    ResizeObserver polyfill (old browsers) and GitHub's API (a ``repo_url``, which the
    configuration does not set).

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.html").write_text(
    ...     '<a href="https://ok.org">x</a><link rel="stylesheet" href="//fonts.x/c.css">')
    >>> external_references(folder)
    ['a.html: //fonts.x/c.css']
    """
    site = Path(site_dir)
    found: list[str] = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            finder = _FetchFinder()
            finder.feed(path.read_text(encoding="utf-8", errors="replace"))
            found += [f"{rel}: {url}" for url in finder.urls]
            if finder.mermaid:
                found.append(f"{rel}: mermaid diagram (the theme would load mermaid from a CDN)")
        elif path.suffix == ".css":
            found += [f"{rel}: {u}" for u in _CSS_URL.findall(path.read_text(errors="replace"))]
        elif path.suffix in {".js", ".mjs"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [f"{rel}: {u}" for u in _JS_REMOTE.findall(text)]
    return found


# --- alt text -----------------------------------------------------------------------------------

#: What nbconvert writes on an image that has no alt text of its own.
NO_ALT = "No description has been provided for this image"
_IMG = re.compile(r"<img\b[^>]*>", flags=re.I)
_ATTR = re.compile(r"""\b(src|alt)\s*=\s*("[^"]*"|'[^']*')""", flags=re.I)
_IMAGE_TYPES = ("image/png", "image/jpeg")


def image_alt_texts(nb) -> dict[str, str]:
    """Each image output of an executed notebook, by its base64 data: the alt text it carries.

    The alt text is the output's ``metadata[mime]["alt"]`` (what :mod:`course.plots`
    attaches) or else the cell's ``metadata["alt"]``, the two places nbconvert's classic
    template reads it from.

    >>> import nbformat.v4 as v4
    >>> cell = v4.new_code_cell("f")
    >>> cell.outputs = [v4.new_output("display_data", data={"image/png": "QUJD\\n"},
    ...                               metadata={"image/png": {"alt": "A bar."}})]
    >>> image_alt_texts(v4.new_notebook(cells=[cell]))
    {'QUJD': 'A bar.'}
    """
    found: dict[str, str] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            for mime in _IMAGE_TYPES:
                data = output.get("data", {}).get(mime)
                if not data:
                    continue
                alt = (output.get("metadata", {}).get(mime) or {}).get("alt") or cell.metadata.get(
                    "alt"
                )
                if alt:
                    found["".join(data.split())] = str(alt)
    return found


def add_alt_text(page: str, alts: dict[str, str]) -> str:
    """Put each image's alt text (from :func:`image_alt_texts`) on its ``<img>`` in ``page``.

    nbconvert's lab template, which mkdocs-jupyter uses, writes no ``alt`` of its own and
    then sets :data:`NO_ALT` on every image; this replaces that (or adds the attribute) for
    the images whose data it knows.

    >>> add_alt_text('<img src="data:image/png;base64,QUJD" alt="No description">', {"QUJD": 'A "bar".'})
    '<img src="data:image/png;base64,QUJD" alt="A &quot;bar&quot;.">'
    """

    def fix(match: re.Match) -> str:
        tag = match.group(0)
        attrs = {k.lower(): v[1:-1] for k, v in _ATTR.findall(tag)}
        src = attrs.get("src", "")
        data = src.split("base64,", 1)[1] if "base64," in src else ""
        alt = alts.get("".join(html.unescape(data).split()))
        if alt is None:
            return tag
        value = f'alt="{html.escape(alt, quote=True)}"'
        if "alt" in attrs:
            return re.sub(r"""\balt\s*=\s*("[^"]*"|'[^']*')""", lambda _: value, tag, count=1)
        return tag[:-1].rstrip("/").rstrip() + f" {value}>"

    return _IMG.sub(fix, page)


def images_without_alt(site_dir: Path) -> list[str]:
    """Every ``<img>`` of the built site with no alt text, an empty one, or nbconvert's
    placeholder, as ``"page: image"`` lines.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.html").write_text(
    ...     '<img src="x.png" alt="A map."><img src="y.png"><img src="z.png" alt="No '
    ...     'description has been provided for this image">')
    >>> images_without_alt(folder)
    ['a.html: y.png (no alt text)', 'a.html: z.png (nbconvert placeholder)']
    """
    found = []
    for path in sorted(Path(site_dir).rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        for tag in _IMG.findall(path.read_text(encoding="utf-8", errors="replace")):
            attrs = {k.lower(): html.unescape(v[1:-1]) for k, v in _ATTR.findall(tag)}
            src = attrs.get("src", "")
            src = src[:40] + "..." if src.startswith("data:") else src
            alt = attrs.get("alt")
            if alt is None or not alt.strip():
                found.append(f"{rel}: {src} (no alt text)")
            elif alt.strip() == NO_ALT:
                found.append(f"{rel}: {src} (nbconvert placeholder)")
    return found


_SPHINX_ROLE = re.compile(r":(?:mod|class|func|meth|attr|data|exc|obj):(?=<code\b)")


def _finish_pages(html_dir: Path, docs: Path, lessons: list[Lesson], root: Path) -> None:
    """After MkDocs: alt text on the lessons' figures, no remote scripts, and the notebooks
    to download replaced by the committed sources (outputs stripped, as a learner starts)."""
    import nbformat

    alts: dict[str, str] = {}
    for notebook in docs.rglob("*.ipynb"):
        alts.update(image_alt_texts(nbformat.read(notebook, as_version=4)))
    for page in html_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        cleaned = add_alt_text(remove_remote_scripts(text), alts)
        if page.name == "api.html":  # griffe prints the docstrings' Sphinx roles as text
            cleaned = _SPHINX_ROLE.sub("", cleaned)
        if cleaned != text:
            page.write_text(cleaned, encoding="utf-8")
    for lesson in lessons:
        download = html_dir / "lessons" / lesson.path.name
        if download.is_file():  # mkdocs-jupyter's include_source copied the executed one
            shutil.copy(lesson.path, download)


# --- the build --------------------------------------------------------------------------------


def _run_lessons(lessons: list[Lesson], docs: Path, jobs: int) -> None:
    def run(lesson: Lesson) -> str:
        start = time.monotonic()
        execute_lesson(lesson.path, docs / lesson.page)
        return f"  ran {lesson.path.name} in {time.monotonic() - start:.0f} s"

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for line in pool.map(run, lessons):
            print(line, flush=True)


def build(out: Path = DEFAULT_OUT, root: Path = ROOT, *, jobs: int = 2) -> Path:
    """Build the whole site into ``out/html`` and return the path of its ``index.html``.

    ``out/docs`` holds the generated sources (pages and executed lessons) and
    ``out/mkdocs.yml`` the configuration MkDocs ran with. Raises :class:`SiteBuildError`
    if a lesson fails, MkDocs fails, a page would load anything from another host, or an
    image has no alt text (:func:`images_without_alt`).
    """
    import yaml

    out = Path(out).resolve()
    docs, html_dir = out / "docs", out / "html"  # MkDocs empties html_dir itself
    if docs.exists():
        shutil.rmtree(docs)
    lessons = find_lessons(root)
    if not lessons:
        raise SiteBuildError(f"no lessons/NN-title.ipynb under {root}")
    print(f"writing pages into {docs}", flush=True)
    write_pages(docs, root, lessons)
    print(f"running {len(lessons)} lessons ({jobs} at a time, COURSE_STATIC=1)", flush=True)
    _run_lessons(lessons, docs, jobs)
    config = out / "mkdocs.yml"
    config.write_text(
        yaml.safe_dump(mkdocs_config(docs, html_dir, lessons, root), sort_keys=False),
        encoding="utf-8",
    )
    print("building the site with MkDocs", flush=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config)],
        cwd=out,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SiteBuildError(f"mkdocs build failed:\n{done.stdout}\n{done.stderr}")
    _finish_pages(html_dir, docs, lessons, root)
    remote = external_references(html_dir)
    if remote:
        raise SiteBuildError(
            "the site would load files from other hosts:\n" + "\n".join(remote[:50])
        )
    missing = images_without_alt(html_dir)
    if missing:
        raise SiteBuildError(
            "images without alt text (draw figures with course.plots, or give the figure a "
            "description with course.plots.set_description):\n" + "\n".join(missing[:50])
        )
    return html_dir / "index.html"


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.site build [--out DIR] [--jobs N]``."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.site", description="Build the course's static website (make site)."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("build", help="run the lessons and build the static site")
    make.add_argument("--out", type=Path, default=DEFAULT_OUT, help="build folder")
    make.add_argument("--jobs", type=int, default=2, help="lessons run at the same time")
    args = parser.parse_args(argv)
    start = time.monotonic()
    try:
        index = build(args.out, jobs=args.jobs)
    except SiteBuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    site = index.parent
    if site.is_relative_to(Path.cwd()):
        site = site.relative_to(Path.cwd())
    print(f"\nThe site is built ({time.monotonic() - start:.0f} s): {site / 'index.html'}")
    print("Open that file in a browser, or serve the folder and open http://127.0.0.1:8000/ :")
    print(f"    python -m http.server -d {site} 8000")
    return 0


if __name__ == "__main__":
    sys.exit(main())
