"""Curated datasets of the course, loaded and validated.

Every dataset is a CSV file shipped inside the package (``course/data`` for the
course's own data, ``course/seeds`` for the source register of the seed
articles) with a Markdown card beside it. Each ``load_<name>()`` function reads
its file through :mod:`importlib.resources`, checks every row against the
dataset's schema and returns a :class:`pandas.DataFrame` with proper dtypes.

A malformed file raises :class:`DatasetError`, whose message names the file,
the row (as the line number in the file) and the column, and says how to fix it.

Examples
--------
>>> from course.datasets import load_federal_timeline
>>> timeline = load_federal_timeline()
>>> timeline.loc[timeline["event_id"] == "eo-14409", "date"].dt.year.item()
2026
>>> "notable_models" in available()
True
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable

import pandas as pd

__all__ = [
    "FACTS_AS_OF",
    "facts_as_of",
    "facts_as_of_text",
    "DatasetError",
    "available",
    "card",
    "load",
    "load_federal_timeline",
    "load_order_components",
    "load_notable_models",
    "load_compute_thresholds",
    "load_positions",
    "load_readings",
    "load_state_laws",
    "load_law_obligations",
    "load_bill_counts",
    "load_seed_articles",
    "load_seed_claims",
    "load_seed_frames",
    "load_seed_frame_counts",
    "load_claim_evidence",
    "validate",
]

#: The one date the course's facts are current to (ISO form). Every dataset card and
#: lesson states it, a test checks that they agree, and every function that needs
#: "today" (``on=``, ``as_of=``) defaults to it. Change it here, and only here, when
#: the facts are brought up to date.
FACTS_AS_OF = "2026-12-03"


def facts_as_of() -> pd.Timestamp:
    """:data:`FACTS_AS_OF` as a :class:`pandas.Timestamp`.

    >>> facts_as_of().year
    2026
    """
    return pd.Timestamp(FACTS_AS_OF)


def facts_as_of_text() -> str:
    """:data:`FACTS_AS_OF` written out as the cards and lessons write it.

    >>> facts_as_of_text()
    '3 December 2026'
    """
    day = facts_as_of()
    return f"{day.day} {day.month_name()} {day.year}"


CONFIDENCE = ("H", "M-H", "M", "L", "Unsure")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL = re.compile(r"^https?://\S+$")


class DatasetError(ValueError):
    """A dataset file does not match its schema.

    Attributes
    ----------
    file, line, column : where the problem is (``line`` counts the header as 1).
    """

    def __init__(self, file: str, line: int | None, column: str | None, problem: str):
        self.file, self.line, self.column, self.problem = file, line, column, problem
        where = file
        if line is not None:
            where += f", row {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Column:
    """How one column of a dataset must look.

    ``kind`` is one of ``"text"``, ``"int"``, ``"float"``, ``"date"``, ``"url"``,
    ``"choice"`` (one of ``choices``) or ``"multi"`` (one or more of ``choices``
    joined by ``;``).
    """

    name: str
    kind: str = "text"
    required: bool = True
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Schema:
    """The columns of a dataset, its key, and checks across rows."""

    filename: str
    folder: str
    columns: tuple[Column, ...]
    key: str | tuple[str, ...]
    references: dict[str, str] = field(default_factory=dict)
    row_checks: tuple[Callable[[dict[str, str]], tuple[str, str] | None], ...] = ()

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _ended_after_start(row: dict[str, str]) -> tuple[str, str] | None:
    if row.get("ended") and row["ended"] < row["date"]:
        return "ended", f"{row['ended']!r} is before the start date {row['date']!r}"
    return None


def _ended_needs_status(row: dict[str, str]) -> tuple[str, str] | None:
    if row.get("ended") and row.get("status") in ("in force", "n/a"):
        return "ended", f"an end date is given but status is {row['status']!r}"
    return None


def _days_only_for_changed_window(row: dict[str, str]) -> tuple[str, str] | None:
    for col in ("draft_days", "final_days"):
        if row.get(col) and int(row[col]) <= 0:
            return col, f"{row[col]!r} is not a positive number of days"
    return None


def _flop_range_brackets_estimate(row: dict[str, str]) -> tuple[str, str] | None:
    low, high = row.get("flop_low"), row.get("flop_high")
    if bool(low) != bool(high):
        return ("flop_low" if not low else "flop_high"), "give both ends of the range or neither"
    if low and not float(low) <= float(row["training_flop"]) <= float(high):
        return "training_flop", f"{row['training_flop']} lies outside its range {low}-{high}"
    return None


def _active_not_above_total(row: dict[str, str]) -> tuple[str, str] | None:
    active, total = row.get("active_parameters"), row.get("parameters")
    if active and total and float(active) > float(total):
        return "active_parameters", f"{active} is more than the total parameters {total}"
    return None


def _threshold_matches_measure(row: dict[str, str]) -> tuple[str, str] | None:
    benchmark = row["measure"] == "classified benchmarks"
    if benchmark and row["threshold"]:
        return "threshold", "a benchmark-defined scope has no number; leave it empty"
    if not benchmark and not row["threshold"]:
        return "threshold", f"is empty; a {row['measure']!r} threshold needs a number like 1e26"
    return None


def _end_after_start(row: dict[str, str]) -> tuple[str, str] | None:
    if row.get("start_date") and row.get("end_date") and row["end_date"] < row["start_date"]:
        return "end_date", f"{row['end_date']!r} is before start_date {row['start_date']!r}"
    return None


def _claimed_range(row: dict[str, str]) -> tuple[str, str] | None:
    start, end = row.get("claimed_from"), row.get("claimed_to")
    if bool(start) != bool(end):
        return (
            "claimed_to" if start else "claimed_from"
        ), "give both ends of the claimed range or neither"
    if start and end < start:
        return "claimed_to", f"{end!r} is before claimed_from {start!r}"
    return None


def _effective_after_enacted(row: dict[str, str]) -> tuple[str, str] | None:
    if row.get("enacted") and row.get("effective") and row["effective"] < row["enacted"]:
        return "effective", f"{row['effective']!r} is before the enactment date {row['enacted']!r}"
    return None


def _quote_is_short_and_placed(row: dict[str, str]) -> tuple[str, str] | None:
    if bool(row.get("quote")) != bool(row.get("quote_where")):
        column = "quote_where" if row.get("quote") else "quote"
        return column, "a quote needs quote_where (where in the text it is), and the reverse"
    if len(row.get("quote") or "") > MAX_QUOTE_CHARS:
        return (
            "quote",
            f"is longer than {MAX_QUOTE_CHARS} characters; quote a sentence, not a passage",
        )
    return None


#: Status of a state law -> the column that must hold the date it took that status.
STATUS_DATE_COLUMNS = {
    "vetoed": "vetoed",
    "enjoined": "enjoined",
    "struck down": "struck_down",
    "repealed and replaced": "repealed",
}


def _status_has_its_date(row: dict[str, str]) -> tuple[str, str] | None:
    column = STATUS_DATE_COLUMNS.get(row.get("status", ""))
    if column and not row.get(column):
        return column, f"is empty but status is {row['status']!r}; give the date it happened"
    if row.get("status") == "vetoed" and row.get("enacted"):
        return "enacted", "a vetoed bill was never enacted; leave enacted empty"
    for later in ("enjoined", "struck_down", "repealed"):
        if row.get(later) and row.get("enacted") and row[later] < row["enacted"]:
            return later, f"{row[later]!r} is before the enactment date {row['enacted']!r}"
    if row.get("enjoined") and row.get("struck_down") and row["struck_down"] < row["enjoined"]:
        return "struck_down", "is before the injunction date; a court strikes a law down after"
    return None


def _revocation_has_end_date(row: dict[str, str]) -> tuple[str, str] | None:
    if row.get("status") in ("revoked", "rescinded") and not row.get("ended"):
        return "ended", f"status is {row['status']!r} but no end date is given"
    return None


#: US states and DC, by postal code.
STATES = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
    "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
    "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
    "VT", "VA", "WA", "WV", "WI", "WY",
)  # fmt: skip
DUTY_HOLDERS = ("developer", "deployer", "platform", "government")
#: what a company does that can bring it under a state AI law.
ACTIVITIES = (
    "frontier-model",
    "genai-provider",
    "companion-chatbot",
    "therapy-chatbot",
    "hiring-tool",
    "consequential-decisions",
    "election-content",
    "voice-likeness",
    "government-use",
)
LAW_CATEGORIES = (
    "frontier safety",
    "transparency",
    "provenance",
    "chatbots",
    "deepfakes",
    "comprehensive high-risk",
    "automated decisions",
    "employment",
    "healthcare",
    "disclosure",
    "government use",
    "likeness",
)
OBLIGATIONS = (
    "safety framework",
    "transparency report",
    "incident reporting",
    "whistleblower protection",
    "training-data disclosure",
    "ai disclosure",
    "content provenance",
    "detection tool",
    "impact assessment",
    "reasonable care",
    "bias audit",
    "notice to individuals",
    "explanation of adverse decision",
    "correction and human review",
    "minor protections",
    "self-harm protocol",
    "prohibited uses",
    "licensed oversight",
    "platform takedown",
    "voice and likeness consent",
    "government-use limits",
    "regulatory sandbox",
    "documentation to deployers",
)

COUNTRIES = ("US", "UK", "China", "UAE", "France")

#: The two main sides of the speed-versus-caution debate and the positions between them,
#: named as most of their holders name themselves (see ``card("readings")``).
SIDES = ("pro-innovation", "safety", "middle")
AUTHOR_KINDS = ("government", "company", "organisation", "individual", "researchers")
READING_KINDS = (
    "essay",
    "open letter",
    "statement",
    "paper",
    "book",
    "report",
    "policy proposal",
    "executive order",
    "plan",
    "speech",
    "web page",
)
#: Longest quotation a reading may carry: a short, attributed quote, never a passage.
MAX_QUOTE_CHARS = 320

#: The closing columns of every curated table: where a row comes from and how sure we are.
SOURCED = (
    Column("source"),
    Column("source_url", "url", required=False),
    Column("confidence", "choice", choices=CONFIDENCE),
)

SCHEMAS: dict[str, Schema] = {
    "federal_timeline": Schema(
        filename="federal_timeline.csv",
        folder="data",
        key="event_id",
        references={"superseded_by": "event_id"},
        row_checks=(_ended_after_start, _ended_needs_status, _revocation_has_end_date),
        columns=(
            Column("event_id"),
            Column("date", "date"),
            Column("date_precision", "choice", choices=("day", "month")),
            Column("instrument"),
            Column("short_name"),
            Column(
                "kind",
                "choice",
                choices=(
                    "executive order",
                    "memo",
                    "statute",
                    "voluntary commitment",
                    "framework",
                    "agency action",
                    "event",
                ),
            ),
            Column("force", "choice", choices=("binding", "voluntary", "n/a")),
            Column("content"),
            Column(
                "status",
                "choice",
                choices=(
                    "in force",
                    "revoked",
                    "rescinded",
                    "superseded",
                    "removed",
                    "not signed",
                    "n/a",
                ),
            ),
            Column("ended", "date", required=False),
            Column("superseded_by", required=False),
            *SOURCED,
        ),
    ),
    "order_components": Schema(
        filename="order_components.csv",
        folder="data",
        key="component_id",
        row_checks=(_days_only_for_changed_window,),
        columns=(
            Column("component_id"),
            Column("component"),
            Column("in_draft", "choice", choices=("yes", "no", "unknown")),
            Column("in_eo_14409", "choice", choices=("yes", "no", "unknown")),
            Column(
                "change",
                "choice",
                choices=("kept", "changed", "dropped", "added", "never included", "unknown"),
            ),
            Column("draft_detail"),
            Column("final_detail"),
            Column("draft_days", "int", required=False, minimum=1),
            Column("final_days", "int", required=False, minimum=1),
            Column("claimed_by_seeds", "multi", choices=("seed-000", "seed-002", "no")),
            *SOURCED,
        ),
    ),
    "notable_models": Schema(
        filename="notable_models.csv",
        folder="data",
        key="model_id",
        row_checks=(_flop_range_brackets_estimate, _active_not_above_total),
        columns=(
            Column("model_id"),
            Column("model"),
            Column("organisation"),
            Column("country", "multi", choices=COUNTRIES),
            Column("release_date", "date"),
            Column("parameters", "float", required=False, minimum=1),
            Column("active_parameters", "float", required=False, minimum=1),
            Column("training_tokens", "float", required=False, minimum=1),
            Column("training_flop", "float", minimum=1),
            Column("flop_low", "float", required=False, minimum=1),
            Column("flop_high", "float", required=False, minimum=1),
            Column("epoch_confidence", "choice", choices=("Confident", "Likely", "Speculative")),
            Column("source"),
            Column("source_url", "url", required=False),
        ),
    ),
    "compute_thresholds": Schema(
        filename="compute_thresholds.csv",
        folder="data",
        key="threshold_id",
        row_checks=(_threshold_matches_measure, _end_after_start),
        columns=(
            Column("threshold_id"),
            Column("instrument"),
            Column(
                "jurisdiction", "choice", choices=("US federal", "EU", "California", "New York")
            ),
            Column(
                "measure",
                "choice",
                choices=(
                    "training compute",
                    "training compute (biological sequence data)",
                    "fine-tuning compute",
                    "cluster capacity (operations per second)",
                    "classified benchmarks",
                ),
            ),
            Column("threshold", "float", required=False, minimum=1),
            Column("other_conditions"),
            Column(
                "status",
                "choice",
                choices=(
                    "in force",
                    "revoked",
                    "rescinded",
                    "vetoed",
                    "enacted, not yet effective",
                    "superseded",
                ),
            ),
            Column("start_date", "date", required=False),
            Column("end_date", "date", required=False),
            *SOURCED,
        ),
    ),
    "positions": Schema(
        filename="positions.csv",
        folder="data",
        key="position_id",
        columns=(
            Column("position_id"),
            Column("side", "choice", choices=SIDES),
            Column("argument_short"),
            Column("argument"),
            Column("proponents"),
            Column("primary_text"),
            Column("reading_id"),
            Column("date", "date"),
            Column("date_precision", "choice", choices=("day", "month", "year")),
            Column("counterargument"),
            Column(
                "model_link",
                "choice",
                choices=("race", "review", "slippery-slope", "growth-vs-risk", "none"),
            ),
            *SOURCED,
        ),
    ),
    "readings": Schema(
        filename="readings.csv",
        folder="data",
        key="reading_id",
        row_checks=(_quote_is_short_and_placed,),
        columns=(
            Column("reading_id"),
            Column("title"),
            Column("author"),
            Column("author_kind", "choice", choices=AUTHOR_KINDS),
            Column("side", "choice", choices=SIDES),
            Column("self_label", required=False),
            Column("kind", "choice", choices=READING_KINDS),
            Column("date", "date"),
            Column("date_precision", "choice", choices=("day", "month", "year")),
            Column("url", "url"),
            Column("argument"),
            Column("quote", required=False),
            Column("quote_where", required=False),
            Column("confidence", "choice", choices=CONFIDENCE),
        ),
    ),
    "state_laws": Schema(
        filename="state_laws.csv",
        folder="data",
        key="law_id",
        row_checks=(_effective_after_enacted, _status_has_its_date),
        columns=(
            Column("law_id"),
            Column("state", "choice", choices=STATES),
            Column("jurisdiction", "choice", choices=("state", "city")),
            Column("bill"),
            Column("short_name"),
            Column("session_year", "int", minimum=2015, maximum=2030),
            Column("enacted", "date", required=False),
            Column("effective", "date", required=False),
            Column("vetoed", "date", required=False),
            Column("enjoined", "date", required=False),
            Column("struck_down", "date", required=False),
            Column("repealed", "date", required=False),
            Column(
                "status",
                "choice",
                choices=(
                    "enacted",
                    "delayed",
                    "vetoed",
                    "failed",
                    "enjoined",
                    "struck down",
                    "repealed and replaced",
                ),
            ),
            Column("category", "choice", choices=LAW_CATEGORIES),
            Column("binds", "multi", choices=(*DUTY_HOLDERS, "not recorded")),
            Column("covers", "multi", choices=(*ACTIVITIES, "not recorded")),
            Column("compute_threshold", "float", required=False, minimum=1),
            Column("revenue_threshold_usd", "float", required=False, minimum=1),
            Column("cost_threshold_usd", "float", required=False, minimum=1),
            Column("users_threshold", "float", required=False, minimum=1),
            Column("obligations"),
            Column("enforcement"),
            Column("max_penalty_usd", "float", required=False, minimum=1),
            *SOURCED,
        ),
    ),
    "law_obligations": Schema(
        filename="law_obligations.csv",
        folder="data",
        key=("law_id", "obligation", "duty_holder"),
        columns=(
            Column("law_id"),
            Column("obligation", "choice", choices=OBLIGATIONS),
            Column("duty_holder", "choice", choices=DUTY_HOLDERS),
            Column("source"),
        ),
    ),
    "bill_counts": Schema(
        filename="bill_counts.csv",
        folder="data",
        key=("tracker", "year", "measure"),
        columns=(
            Column("tracker", "choice", choices=("MultiState", "BSA", "NCSL")),
            Column("year", "int", minimum=2015, maximum=2030),
            Column("measure", "choice", choices=("introduced", "enacted")),
            Column("count", "int", minimum=0),
            Column(
                "bound", "choice", choices=("exact", "about", "more than", "fewer than", "by date")
            ),
            Column("states", "int", required=False, minimum=1, maximum=51),
            Column("source"),
            Column("confidence", "choice", choices=CONFIDENCE),
        ),
    ),
    "seed_frames": Schema(
        filename="frames.csv",
        folder="seeds",
        key="term",
        columns=(Column("frame"), Column("term"), Column("note", required=False)),
    ),
    "seed_frame_counts": Schema(
        filename="frame_counts.csv",
        folder="seeds",
        key=("article_id", "term"),
        columns=(
            Column("article_id", "choice", choices=("seed-000", "seed-002")),
            Column("frame"),
            Column("term"),
            Column("count", "int", minimum=0),
        ),
    ),
    "claim_evidence": Schema(
        filename="claim_evidence.csv",
        folder="seeds",
        key=("claim_id", "dataset", "row_id"),
        row_checks=(_claimed_range,),
        columns=(
            Column("claim_id", "int", minimum=1),
            Column(
                "dataset",
                "choice",
                choices=(
                    "federal_timeline",
                    "order_components",
                    "notable_models",
                    "compute_thresholds",
                    "state_laws",
                ),
            ),
            Column("row_id"),
            Column("relation", "choice", choices=("supports", "contradicts", "context")),
            Column("claimed_from", "date", required=False),
            Column("claimed_to", "date", required=False),
            Column("note"),
        ),
    ),
    "seed_articles": Schema(
        filename="articles.csv",
        folder="seeds",
        key="article_id",
        columns=(
            Column("article_id"),
            Column("file"),
            Column("outlet"),
            Column("credited_source"),
            Column("published"),
            Column("headline_summary"),
            Column("summary"),
            Column("word_count", "int", minimum=1),
            Column("source"),
        ),
    ),
    "seed_claims": Schema(
        filename="claims.csv",
        folder="seeds",
        key="claim_id",
        columns=(
            Column("claim_id", "int", minimum=1),
            Column("articles", "multi", choices=("seed-000", "seed-002")),
            Column(
                "topic",
                "choice",
                choices=("timeline", "order content", "lobbying", "actors", "patchwork", "china"),
            ),
            Column("claim"),
            Column(
                "verdict",
                "choice",
                choices=("supported", "partly supported", "contradicted", "unverifiable"),
            ),
            Column("verdict_note"),
            Column("evidence"),
            *SOURCED,
        ),
    ),
}


def available() -> list[str]:
    """Names of the datasets that :func:`load` accepts.

    >>> "seed_claims" in available()
    True
    """
    return sorted(SCHEMAS)


def _resource(schema: Schema, suffix: str = ".csv") -> Traversable:
    stem = schema.filename.rsplit(".", 1)[0]
    return files("course") / schema.folder / f"{stem}{suffix}"


def card(name: str) -> str:
    """The Markdown card (columns, sources, date) that documents dataset ``name``.

    >>> card("federal_timeline").startswith("#")
    True
    """
    schema = _schema(name)
    if schema.folder == "seeds":
        return (files("course") / "seeds" / "README.md").read_text(encoding="utf-8")
    return _resource(schema, ".md").read_text(encoding="utf-8")


def _schema(name: str) -> Schema:
    try:
        return SCHEMAS[name]
    except KeyError:
        raise ValueError(
            f"unknown dataset {name!r}; choose one of {', '.join(available())}"
        ) from None


def _check_cell(schema: Schema, col: Column, value: str, line: int) -> None:
    def fail(problem: str) -> None:
        raise DatasetError(schema.filename, line, col.name, problem)

    if value == "":
        if col.required:
            fail("is empty; every row needs a value here")
        return
    if value != value.strip():
        fail(f"{value!r} has leading or trailing spaces; remove them")
    if col.kind == "date":
        if not _DATE.match(value):
            fail(f"{value!r} is not a date in YYYY-MM-DD form")
        try:
            pd.Timestamp(value)
        except ValueError:
            fail(f"{value!r} is not a real calendar date")
    elif col.kind in ("int", "float"):
        try:
            number = int(value) if col.kind == "int" else float(value)
        except ValueError:
            fail(f"{value!r} is not a{'n integer' if col.kind == 'int' else ' number'}")
        if col.minimum is not None and number < col.minimum:
            fail(f"{value!r} is below the minimum {col.minimum:g}")
        if col.maximum is not None and number > col.maximum:
            fail(f"{value!r} is above the maximum {col.maximum:g}")
    elif col.kind == "url":
        if not _URL.match(value):
            fail(f"{value!r} is not a web address starting with http:// or https://")
    elif col.kind == "choice":
        if value not in col.choices:
            fail(f"{value!r} is not allowed; use one of {', '.join(map(repr, col.choices))}")
    elif col.kind == "multi":
        parts = value.split(";")
        bad = [p for p in parts if p not in col.choices]
        if bad:
            fail(
                f"{bad[0]!r} is not allowed; use one or more of "
                f"{', '.join(map(repr, col.choices))} joined by ';'"
            )
        if len(set(parts)) != len(parts):
            fail(f"{value!r} repeats a value")


def validate(name: str, text: str) -> pd.DataFrame:
    """Check the CSV ``text`` of dataset ``name`` and return it as a typed DataFrame.

    Raises :class:`DatasetError` naming the row and column of the first problem.

    >>> validate("seed_articles", "article_id\\nseed-000\\n")
    Traceback (most recent call last):
    ...
    course.datasets.DatasetError: articles.csv: the header is missing columns 'file', 'outlet', 'credited_source', 'published', 'headline_summary', 'summary', 'word_count', 'source'; the columns must be exactly: article_id, file, outlet, credited_source, published, headline_summary, summary, word_count, source
    """
    schema = _schema(name)
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        raise DatasetError(schema.filename, None, None, f"is not valid CSV ({exc})") from None
    header = list(raw.columns)
    missing = [c for c in schema.names if c not in header]
    extra = [c for c in header if c not in schema.names]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"the header is missing columns {', '.join(map(repr, missing))}")
        if extra:
            parts.append(f"the header has unknown columns {', '.join(map(repr, extra))}")
        raise DatasetError(
            schema.filename,
            None,
            None,
            "; ".join(parts) + f"; the columns must be exactly: {', '.join(schema.names)}",
        )
    if raw.empty:
        raise DatasetError(schema.filename, None, None, "has a header but no rows")

    seen: dict[str, int] = {}
    rows = raw.to_dict("records")
    for i, row in enumerate(rows):
        line = i + 2  # line 1 is the header
        for col in schema.columns:
            _check_cell(schema, col, row[col.name], line)
        if isinstance(schema.key, str):
            key, key_column = row[schema.key], schema.key
        else:
            key, key_column = tuple(row[k] for k in schema.key), schema.key[-1]
        if key in seen:
            raise DatasetError(
                schema.filename,
                line,
                key_column,
                f"{key!r} is already used on row {seen[key]}; ids must be unique",
            )
        seen[key] = line
        for check in schema.row_checks:
            problem = check(row)
            if problem:
                raise DatasetError(schema.filename, line, problem[0], problem[1])
    for column, target in schema.references.items():
        for i, row in enumerate(rows):
            ref = row[column]
            if ref and ref not in seen:
                raise DatasetError(
                    schema.filename,
                    i + 2,
                    column,
                    f"{ref!r} names no row of this file; use an existing {target} or leave it empty",
                )
    return _typed(schema, raw)


def _typed(schema: Schema, raw: pd.DataFrame) -> pd.DataFrame:
    frame = raw.copy()
    for col in schema.columns:
        values = frame[col.name]
        if col.kind == "date":
            frame[col.name] = pd.to_datetime(values.replace("", None), format="%Y-%m-%d")
        elif col.kind == "int":
            frame[col.name] = pd.to_numeric(values.replace("", None)).astype("Int64")
        elif col.kind == "float":
            frame[col.name] = pd.to_numeric(values.replace("", None)).astype("float64")
        elif col.kind == "choice":
            frame[col.name] = pd.Categorical(values, categories=list(col.choices))
        elif not col.required:
            frame[col.name] = values.replace("", None)
    return frame


def load(name: str) -> pd.DataFrame:
    """Load and validate dataset ``name`` (see :func:`available`).

    >>> bool(load("seed_claims")["verdict"].isin(["supported", "contradicted"]).any())
    True
    """
    schema = _schema(name)
    text = _resource(schema).read_text(encoding="utf-8")
    return validate(name, text)


def load_federal_timeline() -> pd.DataFrame:
    """US federal AI policy, 2016-2026: one row per instrument or event.

    Columns and sources are described in ``card("federal_timeline")``.

    >>> load_federal_timeline()["kind"].cat.categories[0]
    'executive order'
    """
    return load("federal_timeline")


def load_order_components() -> pd.DataFrame:
    """What the May 2026 draft order held and what EO 14409 kept or changed.

    >>> row = load_order_components().query("draft_days == 90")
    >>> int(row["final_days"].item())
    30
    """
    return load("order_components")


def load_notable_models() -> pd.DataFrame:
    """Notable AI models with Epoch AI's training-compute estimates (FLOP), 2017-2026.

    >>> models = load_notable_models()
    >>> models.set_index("model_id").loc["gpt-3-175b", "training_flop"]
    np.float64(3.14e+23)
    """
    return load("notable_models")


def load_compute_thresholds() -> pd.DataFrame:
    """Compute thresholds in US, EU and state AI rules: value, conditions, status.

    >>> t = load_compute_thresholds()
    >>> sorted(t.loc[t["measure"] == "training compute", "threshold"].unique())
    [np.float64(1e+25), np.float64(1e+26)]
    """
    return load("compute_thresholds")


def load_positions() -> pd.DataFrame:
    """Arguments of the pro-innovation and safety sides and in between, with their texts.

    Every row's ``reading_id`` names a row of :func:`load_readings`, where the text's
    title, author, date and link are.

    >>> sorted(load_positions()["side"].unique())
    ['middle', 'pro-innovation', 'safety']
    """
    frame = load("positions")
    readings = set(load("readings")["reading_id"])
    for i, ref in enumerate(frame["reading_id"]):
        if ref not in readings:
            raise DatasetError(
                "positions.csv",
                i + 2,
                "reading_id",
                f"{ref!r} names no row of readings.csv; add the reading there or fix the id",
            )
    return frame


def load_readings() -> pd.DataFrame:
    """The primary texts of both sides and of the government: title, author, date, link.

    Each row also gives the text's argument in our words and, where a lesson analyses
    it, one short quotation marked as such with where it appears.

    >>> readings = load_readings()
    >>> readings.set_index("reading_id").loc["cais-statement-2023", "author"]
    'Center for AI Safety (CAIS) and signatories'
    >>> bool(readings["url"].str.startswith("https://").all())
    True
    """
    return load("readings")


def load_state_laws() -> pd.DataFrame:
    """State (and one city) AI laws: who they bind, what triggers them, their status.

    >>> laws = load_state_laws()
    >>> laws.set_index("law_id").loc["ca-sb-53", "compute_threshold"]
    np.float64(1e+26)
    """
    return load("state_laws")


def load_law_obligations() -> pd.DataFrame:
    """The obligations of each state law as a tidy long table (law, obligation, duty holder).

    >>> "incident reporting" in set(load_law_obligations()["obligation"])
    True
    """
    frame = load("law_obligations")
    unknown = sorted(set(frame["law_id"]) - set(load("state_laws")["law_id"]))
    if unknown:
        raise DatasetError(
            "law_obligations.csv", None, "law_id", f"names laws not in state_laws.csv: {unknown}"
        )
    return frame


def load_bill_counts() -> pd.DataFrame:
    """AI bills introduced and enacted per year, as counted by three trackers.

    >>> sorted(load_bill_counts()["tracker"].unique())
    ['BSA', 'MultiState', 'NCSL']
    """
    return load("bill_counts")


def load_seed_articles() -> pd.DataFrame:
    """The two seed news articles: outlet, date, what they report (in our words).

    >>> load_seed_articles()["published"].unique().tolist()
    ['undated']
    """
    return load("seed_articles")


def load_seed_claims() -> pd.DataFrame:
    """The checkable claims of the seed articles, each with a verdict and evidence.

    >>> len(load_seed_claims())
    23
    """
    return load("seed_claims")


def load_seed_frames() -> pd.DataFrame:
    """The frame lexicon: which terms count as signs of which framing.

    >>> "race with China" in set(load_seed_frames()["frame"])
    True
    """
    return load("seed_frames")


def load_seed_frame_counts() -> pd.DataFrame:
    """How often each lexicon term occurs in each seed article (counts only, no text).

    >>> sorted(load_seed_frame_counts()["article_id"].unique())
    ['seed-000', 'seed-002']
    """
    return load("seed_frame_counts")


def load_claim_evidence() -> pd.DataFrame:
    """Which dataset rows support, contradict or give context to each seed claim.

    >>> int(load_claim_evidence().query("relation == 'contradicts'")["claim_id"].nunique()) >= 6
    True
    """
    return load("claim_evidence")
