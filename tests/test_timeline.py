"""course.timeline: hand-computed results on a small frame, then checks on the real data."""

from __future__ import annotations

import pandas as pd
import pytest

from course import timeline as tl
from course.datasets import load_federal_timeline, load_order_components


def _frame(rows: list[tuple]) -> pd.DataFrame:
    columns = [
        "event_id",
        "short_name",
        "date",
        "kind",
        "force",
        "status",
        "ended",
        "superseded_by",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["date"] = pd.to_datetime(frame["date"])
    frame["ended"] = pd.to_datetime(frame["ended"])
    return frame


@pytest.fixture
def toy() -> pd.DataFrame:
    return _frame(
        [
            ("a", "A", "2019-02-11", "executive order", "binding", "revoked", "2021-01-20", "c"),
            ("b", "B", "2020-06-01", "framework", "voluntary", "in force", None, None),
            ("c", "C", "2021-01-20", "executive order", "binding", "superseded", "2021-03-01", "d"),
            ("d", "D", "2021-03-01", "memo", "binding", "in force", None, None),
            ("e", "E", "2021-05-05", "event", "n/a", "n/a", None, None),
            ("f", "F", "2023-07-21", "voluntary commitment", "voluntary", "in force", None, None),
            ("g", "G", "2023-08-01", "executive order", "binding", "not signed", None, "d"),
        ]
    )


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2016-10-12", "Obama"),
        ("2017-01-19", "Obama"),
        ("2017-01-20", "Trump I"),
        ("2021-01-19", "Trump I"),
        ("2021-01-20", "Biden"),
        ("2025-01-19", "Biden"),
        ("2025-01-20", "Trump II"),
        (pd.Timestamp("2026-06-02"), "Trump II"),
    ],
)
def test_administration_boundaries(date, expected):
    assert tl.administration(date) == expected


@pytest.mark.parametrize("bad", ["not a date", None, "2008-12-31"])
def test_administration_rejects_bad_dates(bad):
    with pytest.raises(ValueError, match="date|before 2009"):
        tl.administration(bad)


def test_with_administration_is_an_ordered_copy(toy):
    out = tl.with_administration(toy)
    assert "administration" not in toy.columns
    assert out["administration"].tolist() == [
        "Trump I",
        "Trump I",
        "Biden",
        "Biden",
        "Biden",
        "Biden",
        "Biden",
    ]
    assert out["administration"].cat.ordered


def test_instruments_drop_events(toy):
    assert tl.instruments(toy)["event_id"].tolist() == ["a", "b", "c", "d", "f", "g"]


def test_in_force_on_respects_start_end_and_signature(toy):
    # on the day "a" ended and "c" began, only the new one is in force
    assert set(tl.in_force_on(toy, "2021-01-20")["event_id"]) == {"b", "c"}
    assert set(tl.in_force_on(toy, "2021-01-19")["event_id"]) == {"a", "b"}
    # "g" was never signed; "e" is an event
    assert set(tl.in_force_on(toy, "2024-01-01")["event_id"]) == {"b", "d", "f"}
    assert tl.in_force_on(toy, "2010-01-01").empty


def test_durations_counts_days_to_end_or_view(toy):
    days = tl.durations(toy, as_of="2023-12-31")
    assert days["a"] == (pd.Timestamp("2021-01-20") - pd.Timestamp("2019-02-11")).days == 709
    assert days["c"] == 40
    assert days["f"] == 163
    assert "g" not in days.index and "e" not in days.index
    # an earlier view cuts instruments off and leaves out those not yet issued
    early = tl.durations(toy, as_of="2020-12-31")
    assert set(early.index) == {"a", "b"}
    assert early["a"] == 689


def test_force_by_year_fills_gaps_and_skips_drafts(toy):
    table = tl.force_by_year(toy)
    assert table.index.tolist() == [2019, 2020, 2021, 2022, 2023]
    assert table.loc[2021].tolist() == [2, 0]
    assert table.loc[2022].tolist() == [0, 0]
    assert table.loc[2023].tolist() == [0, 1]  # the unsigned draft "g" does not count


def test_counts_by_administration(toy):
    table = tl.counts_by_administration(toy, "force")
    assert table.loc["Biden", "binding"] == 3
    assert table.loc["Trump I", "voluntary"] == 1
    assert int(table.to_numpy().sum()) == len(toy)


def test_revocations_pair_each_row_with_its_successor(toy):
    r = tl.revocations(toy).set_index("event_id")
    assert set(r.index) == {"a", "c", "g"}
    assert r.loc["a", "successor"] == "C"
    assert r.loc["a", "days_in_effect"] == 709
    assert r.loc["c", "days_in_effect"] == 40
    assert pd.isna(r.loc["g", "days_in_effect"])  # never signed, never in effect


def test_successor_chain_follows_links_and_detects_loops(toy):
    assert tl.successor_chain(toy, "a") == ["a", "c", "d"]
    assert tl.successor_chain(toy, "d") == ["d"]
    with pytest.raises(ValueError, match="no row has event_id 'zz'"):
        tl.successor_chain(toy, "zz")
    looped = toy.copy()
    looped.loc[looped["event_id"] == "d", "superseded_by"] = "a"
    with pytest.raises(ValueError, match="loops back"):
        tl.successor_chain(looped, "a")


def test_days_between(toy):
    assert tl.days_between(toy, "c", "d") == 40
    assert tl.days_between(toy, "d", "c") == -40
    with pytest.raises(ValueError, match="'nope'"):
        tl.days_between(toy, "c", "nope")


def test_functions_reject_non_frames_and_missing_columns(toy):
    with pytest.raises(TypeError, match="DataFrame"):
        tl.force_by_year([1, 2, 3])
    with pytest.raises(ValueError, match="lacks the columns ended"):
        tl.in_force_on(toy.drop(columns="ended"), "2021-01-01")


def test_review_window():
    frame = pd.DataFrame({"draft_days": [90, None], "final_days": [30, None]})
    assert tl.review_window(frame) == (90, 30)
    with pytest.raises(ValueError, match="exactly one"):
        tl.review_window(pd.concat([frame, frame]))
    with pytest.raises(TypeError):
        tl.review_window(pd.DataFrame({"x": [1]}))


# --- the real data -------------------------------------------------------------------


def test_real_timeline_facts():
    t = load_federal_timeline()
    assert tl.successor_chain(t, "eo-14110") == ["eo-14110", "eo-14148"]
    assert tl.successor_chain(t, "draft-order-2026") == ["draft-order-2026", "eo-14409"]
    assert tl.days_between(t, "draft-order-2026", "eo-14409") == 12
    assert tl.durations(t)["eo-14110"] == 448
    on_cancellation = set(tl.in_force_on(t, "2026-05-21")["event_id"])
    assert {"eo-13859", "eo-14179", "eo-14365"} <= on_cancellation
    assert not {"eo-14110", "draft-order-2026", "eo-14409"} & on_cancellation
    assert tl.review_window(load_order_components()) == (90, 30)


def test_real_force_by_year_matches_a_hand_count():
    t = load_federal_timeline()
    table = tl.force_by_year(t)
    signed = t[(t["kind"] != "event") & (t["status"] != "not signed") & (t["force"] != "n/a")]
    for year in (2019, 2023, 2025, 2026):
        in_year = signed[signed["date"].dt.year == year]
        assert table.loc[year, "binding"] == (in_year["force"] == "binding").sum()
        assert table.loc[year, "voluntary"] == (in_year["force"] == "voluntary").sum()
    assert int(table.to_numpy().sum()) == len(signed)


def test_effective_end_uses_successor_date_and_flags_undated(toy):
    frame = toy.copy()
    frame.loc[frame["event_id"] == "b", ["status", "superseded_by"]] = ["superseded", "d"]
    frame.loc[frame["event_id"] == "f", "status"] = "removed"
    end = tl.effective_end(frame).set_axis(frame["event_id"])
    assert end["a"] == pd.Timestamp("2021-01-20")  # its own end date wins
    assert end["b"] == pd.Timestamp("2021-03-01")  # the successor's date
    assert pd.isna(end["g"])  # an unsigned draft never took effect
    assert tl.undated_ends(frame)["event_id"].tolist() == ["f"]
    assert "b" not in set(tl.in_force_on(frame, "2021-03-01")["event_id"])
    assert "f" in set(tl.in_force_on(frame, "2026-01-01")["event_id"])
