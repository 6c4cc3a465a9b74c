"""Thread 1: the scrapped order and the timeline of US federal AI policy.

Pure functions over the DataFrames of :func:`course.datasets.load_federal_timeline`
and :func:`course.datasets.load_order_components`. None of them reads files,
plots or prints.

Examples
--------
>>> from course.datasets import load_federal_timeline
>>> from course import timeline
>>> t = load_federal_timeline()
>>> timeline.administration("2025-01-20")
'Trump II'
>>> timeline.successor_chain(t, "eo-14110")
['eo-14110', 'eo-14148']
"""

from __future__ import annotations

import pandas as pd

from course.datasets import FACTS_AS_OF

__all__ = [
    "ADMINISTRATIONS",
    "administration",
    "with_administration",
    "instruments",
    "ENDED_STATUSES",
    "effective_end",
    "undated_ends",
    "in_force_on",
    "durations",
    "force_by_year",
    "counts_by_administration",
    "revocations",
    "successor_chain",
    "days_between",
    "review_window",
]

#: US presidential terms covering the course's period, as (name, first day).
#: A term runs from its first day to the day before the next one begins.
ADMINISTRATIONS: tuple[tuple[str, pd.Timestamp], ...] = (
    ("Obama", pd.Timestamp("2009-01-20")),
    ("Trump I", pd.Timestamp("2017-01-20")),
    ("Biden", pd.Timestamp("2021-01-20")),
    ("Trump II", pd.Timestamp("2025-01-20")),
)

#: statuses that say an instrument no longer has effect.
ENDED_STATUSES = ("revoked", "rescinded", "superseded", "removed")

_TIMELINE_COLUMNS = {"event_id", "date", "kind", "force", "status", "ended", "superseded_by"}


def _require(frame: pd.DataFrame, columns: set[str], what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"{what} must be a pandas DataFrame, got {type(frame).__name__}; "
            "load it with course.datasets.load_federal_timeline()"
        )
    missing = sorted(columns - set(frame.columns))
    if missing:
        raise ValueError(
            f"{what} lacks the columns {', '.join(missing)}; "
            "pass the frame from course.datasets.load_federal_timeline()"
        )


def _timestamp(value: object, name: str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}={value!r} is not a date; write it like '2026-05-21'") from None
    if pd.isna(stamp):
        raise ValueError(f"{name} is missing; give a date like '2026-05-21'")
    return stamp


def administration(date: object) -> str:
    """The presidential administration in office on ``date``.

    Inauguration day belongs to the incoming president (the oath is taken at noon,
    and the orders of the day are the new president's).

    >>> administration("2019-02-11"), administration("2021-01-19"), administration("2021-01-20")
    ('Trump I', 'Trump I', 'Biden')
    """
    stamp = _timestamp(date, "date")
    if stamp < ADMINISTRATIONS[0][1]:
        raise ValueError(
            f"{stamp.date()} is before {ADMINISTRATIONS[0][1].date()}, outside the course's period"
        )
    name = ADMINISTRATIONS[0][0]
    for candidate, start in ADMINISTRATIONS:
        if stamp >= start:
            name = candidate
    return name


def with_administration(timeline: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``timeline`` with an ordered categorical ``administration`` column.

    >>> from course.datasets import load_federal_timeline
    >>> with_administration(load_federal_timeline())["administration"].iloc[0]
    'Obama'
    """
    _require(timeline, {"date"}, "timeline")
    out = timeline.copy()
    names = [name for name, _ in ADMINISTRATIONS]
    out["administration"] = pd.Categorical(
        [administration(d) for d in out["date"]], categories=names, ordered=True
    )
    return out


def instruments(timeline: pd.DataFrame) -> pd.DataFrame:
    """The rows that are instruments (everything but ``kind == "event"``).

    >>> from course.datasets import load_federal_timeline
    >>> bool((instruments(load_federal_timeline())["kind"] == "event").any())
    False
    """
    _require(timeline, {"kind"}, "timeline")
    return timeline[timeline["kind"] != "event"]


def effective_end(timeline: pd.DataFrame) -> pd.Series:
    """The day each row stopped having effect, as far as the data can tell.

    The ``ended`` date where the file gives one; otherwise, for a row that something
    replaced, the date of its successor; otherwise missing (still in effect, or
    ended on a day the sources do not record: see :func:`undated_ends`).

    >>> from course.datasets import load_federal_timeline
    >>> t = load_federal_timeline()
    >>> end = effective_end(t).set_axis(t["event_id"])
    >>> str(end["eo-14110"].date()), str(end["aisi-agreements-2024"].date())
    ('2025-01-20', '2026-05-05')
    """
    _require(timeline, _TIMELINE_COLUMNS, "timeline")
    dates = timeline.set_index("event_id")["date"]
    successor_date = timeline["superseded_by"].map(dates)
    successor_date = successor_date.where(timeline["status"] != "not signed")
    return timeline["ended"].fillna(successor_date).rename("end")


def undated_ends(timeline: pd.DataFrame) -> pd.DataFrame:
    """Instruments whose status says they ended but for which no end date can be derived.

    These are a limit of the sources, not of the code: :func:`in_force_on` and
    :func:`durations` treat them as still in effect, and say so.

    >>> from course.datasets import load_federal_timeline
    >>> "ai-bill-of-rights-blueprint" in set(undated_ends(load_federal_timeline())["event_id"])
    True
    """
    end = effective_end(timeline)
    ended = timeline["status"].isin(ENDED_STATUSES) & end.isna()
    return timeline[ended & (timeline["kind"] != "event")]


def in_force_on(timeline: pd.DataFrame, date: object) -> pd.DataFrame:
    """Instruments in effect on ``date``: issued on or before it, not yet ended, and signed.

    The end is :func:`effective_end`; rows listed by :func:`undated_ends` count as in
    effect, since the sources do not say when they stopped.

    >>> from course.datasets import load_federal_timeline
    >>> t = load_federal_timeline()
    >>> "eo-14110" in set(in_force_on(t, "2024-06-01")["event_id"])
    True
    >>> "eo-14110" in set(in_force_on(t, "2025-06-01")["event_id"])
    False
    """
    _require(timeline, _TIMELINE_COLUMNS, "timeline")
    day = _timestamp(date, "date")
    end = effective_end(timeline)
    keep = timeline["kind"] != "event"
    rows, end = timeline[keep], end[keep]
    started = rows["date"] <= day
    not_ended = end.isna() | (end > day)
    signed = rows["status"] != "not signed"
    return rows[started & not_ended & signed]


def durations(timeline: pd.DataFrame, as_of: object = FACTS_AS_OF) -> pd.Series:
    """Days each instrument has been in effect, indexed by ``event_id``.

    Ended instruments count from ``date`` to their :func:`effective_end`; those still
    in effect (and those of :func:`undated_ends`) count to ``as_of``. Unsigned drafts
    and events are left out.

    >>> from course.datasets import load_federal_timeline
    >>> int(durations(load_federal_timeline())["eo-14110"])
    448
    """
    _require(timeline, _TIMELINE_COLUMNS, "timeline")
    end_of_view = _timestamp(as_of, "as_of")
    keep = (timeline["kind"] != "event") & (timeline["status"] != "not signed")
    keep &= timeline["date"] <= end_of_view
    rows = timeline[keep]
    end = effective_end(timeline)[keep].fillna(end_of_view).clip(upper=end_of_view)
    days = (end - rows["date"]).dt.days
    return pd.Series(
        days.to_numpy(), index=pd.Index(rows["event_id"], name="event_id"), name="days"
    )


def force_by_year(timeline: pd.DataFrame) -> pd.DataFrame:
    """How many binding and voluntary instruments were issued each year.

    Returns a frame indexed by year with columns ``binding`` and ``voluntary``
    (zeros filled in, every year from the first to the last present). Events,
    unsigned drafts and rows whose force is ``n/a`` (an office being set up, say)
    are not counted.

    >>> from course.datasets import load_federal_timeline
    >>> table = force_by_year(load_federal_timeline())
    >>> list(table.columns)
    ['binding', 'voluntary']
    """
    _require(timeline, _TIMELINE_COLUMNS, "timeline")
    rows = instruments(timeline)
    rows = rows[rows["status"] != "not signed"]
    years = rows["date"].dt.year
    table = pd.crosstab(years, rows["force"].astype(str))
    table = table.reindex(columns=["binding", "voluntary"], fill_value=0)
    full = range(int(years.min()), int(years.max()) + 1)
    table = table.reindex(full, fill_value=0)
    table.index.name = "year"
    table.columns.name = None
    return table


def counts_by_administration(timeline: pd.DataFrame, column: str = "kind") -> pd.DataFrame:
    """Rows per administration and value of ``column`` (a crosstab of counts).

    >>> from course.datasets import load_federal_timeline
    >>> table = counts_by_administration(load_federal_timeline(), "force")
    >>> int(table.to_numpy().sum()) == len(load_federal_timeline())
    True
    """
    _require(timeline, {"date", column}, "timeline")
    frame = with_administration(timeline)
    return pd.crosstab(frame["administration"], frame[column].astype(str))


def revocations(timeline: pd.DataFrame) -> pd.DataFrame:
    """Each instrument that something replaced, with what replaced it and when.

    Columns: ``event_id``, ``short_name``, ``status``, ``ended``, ``successor_id``,
    ``successor``, ``successor_date``, ``days_in_effect`` (missing for unsigned drafts).

    >>> from course.datasets import load_federal_timeline
    >>> r = revocations(load_federal_timeline()).set_index("event_id")
    >>> r.loc["eo-14110", "successor_id"]
    'eo-14148'
    """
    _require(timeline, _TIMELINE_COLUMNS | {"short_name"}, "timeline")
    replaced = timeline[timeline["superseded_by"].notna()]
    by_id = timeline.set_index("event_id")
    successor = by_id.loc[replaced["superseded_by"]]
    out = pd.DataFrame(
        {
            "event_id": replaced["event_id"].to_numpy(),
            "short_name": replaced["short_name"].to_numpy(),
            "status": replaced["status"].astype(str).to_numpy(),
            "ended": replaced["ended"].to_numpy(),
            "successor_id": replaced["superseded_by"].to_numpy(),
            "successor": successor["short_name"].to_numpy(),
            "successor_date": successor["date"].to_numpy(),
        }
    )
    end = out["ended"].fillna(out["successor_date"])
    days = (end - replaced["date"].to_numpy()).dt.days.astype("Int64")
    # a draft that was never signed was never in effect
    out["days_in_effect"] = days.mask(out["status"] == "not signed")
    return out


def successor_chain(timeline: pd.DataFrame, event_id: str) -> list[str]:
    """Follow ``superseded_by`` from ``event_id`` until an instrument that nothing replaced.

    >>> from course.datasets import load_federal_timeline
    >>> successor_chain(load_federal_timeline(), "draft-order-2026")
    ['draft-order-2026', 'eo-14409']
    """
    _require(timeline, {"event_id", "superseded_by"}, "timeline")
    links = dict(zip(timeline["event_id"], timeline["superseded_by"], strict=True))
    if event_id not in links:
        raise ValueError(f"no row has event_id {event_id!r}; see timeline['event_id'] for the ids")
    chain = [event_id]
    while isinstance(nxt := links.get(chain[-1]), str):
        if nxt in chain:
            raise ValueError(f"superseded_by loops back to {nxt!r}: {' -> '.join(chain)}")
        chain.append(nxt)
    return chain


def days_between(timeline: pd.DataFrame, first: str, second: str) -> int:
    """Days from row ``first`` to row ``second`` (negative if ``second`` came first).

    >>> from course.datasets import load_federal_timeline
    >>> days_between(load_federal_timeline(), "draft-order-2026", "eo-14409")
    12
    """
    _require(timeline, {"event_id", "date"}, "timeline")
    dates = timeline.set_index("event_id")["date"]
    for event in (first, second):
        if event not in dates.index:
            raise ValueError(f"no row has event_id {event!r}; see timeline['event_id'] for the ids")
    return int((dates[second] - dates[first]).days)


def review_window(components: pd.DataFrame) -> tuple[int, int]:
    """The pre-release review window in days: (May 2026 draft, EO 14409).

    >>> from course.datasets import load_order_components
    >>> review_window(load_order_components())
    (90, 30)
    """
    if not isinstance(components, pd.DataFrame) or not {"draft_days", "final_days"} <= set(
        components.columns
    ):
        raise TypeError("pass the frame from course.datasets.load_order_components()")
    rows = components.dropna(subset=["draft_days", "final_days"])
    if len(rows) != 1:
        raise ValueError(
            f"expected exactly one component with both review windows, found {len(rows)}"
        )
    row = rows.iloc[0]
    return int(row["draft_days"]), int(row["final_days"])
