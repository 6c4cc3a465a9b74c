"""Facts a reader can rely on: the audit's corrections stay corrected, both sides are read in
their own texts, and the facts are current to one date kept in one place.

Each test names the fact it guards; if a dataset row, a card or a lesson reverts to the
wrong or imprecise version, the test fails and says which.
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from course import datasets, patchwork, review
from course.datasets import DatasetError, validate

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]-*.ipynb"))
CARDS = sorted((ROOT / "course" / "data").glob("*.md")) + [ROOT / "seeds" / "README.md"]
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _markdown(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def _lesson(prefix: str) -> str:
    (path,) = [p for p in LESSONS if p.name.startswith(prefix)]
    return " ".join(_markdown(path).split())  # one line, so phrases survive re-wrapping


def _row(frame: pd.DataFrame, key: str, value: str) -> pd.Series:
    rows = frame[frame[key] == value]
    assert len(rows) == 1, f"expected one row with {key} == {value!r}, found {len(rows)}"
    return rows.iloc[0]


def _csv(name: str) -> pd.DataFrame:
    schema = datasets.SCHEMAS[name]
    text = datasets._resource(schema).read_text(encoding="utf-8")
    return pd.read_csv(pd.io.common.StringIO(text), dtype=str, keep_default_na=False)


# --- the federal timeline ---------------------------------------------------------------


def test_eo_14148_revoked_78_actions_not_78_orders():
    row = _row(datasets.load_federal_timeline(), "event_id", "eo-14148")
    assert "78" in row["content"]
    assert "67 executive orders" in row["content"] and "11 memoranda" in row["content"]
    assert "78 earlier executive orders" not in row["content"]
    for prefix in ("01", "04", "05"):
        text = _lesson(prefix)
        assert "cancelled 78 earlier orders" not in text
        assert "revoked 78 others" not in text


def test_action_plan_title_and_federal_register_document():
    timeline = datasets.load_federal_timeline()
    plan = _row(timeline, "event_id", "ai-action-plan-2025")
    assert plan["instrument"] == "Winning the Race: America's AI Action Plan"
    assert "federalregister.gov" not in (plan["source_url"] or "")
    uses = timeline.loc[timeline["source_url"].fillna("").str.contains("2025-14212"), "event_id"]
    assert uses.tolist() == ["eo-14318"], "FR Doc 2025-14212 is EO 14318 alone"
    for lesson in LESSONS:
        text = " ".join(_markdown(lesson).split())
        assert "its subtitle" not in text, f"{lesson.name}: 'Winning the Race' is the title"
        assert "Action Plan* (23 July 2025, published with the orders of that day" not in text


def test_legislative_recommendations_keep_more_than_child_safety():
    row = _row(datasets.load_federal_timeline(), "event_id", "legislative-framework-2026")
    for kept in ("consumer protection", "fraud", "zoning", "own use of AI"):
        assert kept in row["content"], f"the 20 March 2026 carve-outs include {kept}"
    assert "sparing child-safety laws" not in row["content"]
    assert "with an exception for child safety" not in _lesson("01")
    for prefix in ("06", "07"):
        assert "to leave state child-safety laws alone" not in _lesson(prefix)


def test_mythos_is_reported_as_a_driver_not_established_as_the_cause():
    row = _row(datasets.load_federal_timeline(), "event_id", "claude-mythos-preview")
    assert "reported" in row["content"] and "not established" in row["content"]
    assert "is what prompted" not in row["content"]
    for prefix in ("04", "05"):
        assert "the episode that led to the draft order" not in _lesson(prefix)


def test_new_rows_for_what_happened_after_the_orders():
    timeline = datasets.load_federal_timeline().set_index("event_id")
    assert timeline.loc["doj-ai-litigation-task-force", "date"] == pd.Timestamp("2026-01-09")
    assert timeline.loc["commerce-state-law-evaluation", "date"] == pd.Timestamp("2026-03-11")
    # unconfirmed publication is graded as such, not presented as fact
    assert timeline.loc["commerce-state-law-evaluation", "confidence"] == "Unsure"
    for row, day in (
        ("eo-14409-30-day-deadline", "2026-07-02"),
        ("eo-14409-60-day-deadline", "2026-08-01"),
    ):
        assert timeline.loc[row, "date"] == pd.Timestamp(day)
        assert "no public confirmation" in timeline.loc[row, "content"]


@pytest.mark.parametrize(
    ("name", "key", "row_id", "cleared", "problem"),
    [
        # a revoked order without the day it ended would count as in force today
        ("federal_timeline", "event_id", "eo-14110", ["ended", "superseded_by"], "no end date"),
        # a vetoed bill's compute line without its end would still bind in the threshold chart
        (
            "compute_thresholds",
            "threshold_id",
            "ca-sb-1047",
            ["end_date"],
            "give the date it happened",
        ),
    ],
    ids=["revoked-order", "vetoed-threshold"],
)
def test_an_ended_row_needs_the_date_it_ended(name, key, row_id, cleared, problem):
    frame = _csv(name)
    k = frame.index[frame[key] == row_id][0]
    frame.loc[k, cleared] = ""
    with pytest.raises(DatasetError, match=problem):
        validate(name, frame.to_csv(index=False))


# --- the draft order --------------------------------------------------------------------


def test_draft_components_reported_for_the_draft_are_not_unknown():
    components = datasets.load_order_components().set_index("component_id")
    for part in ("covered-model-benchmarks", "cyber-clearinghouse"):
        assert components.loc[part, "in_draft"] == "yes", part
        assert components.loc[part, "change"] != "unknown", part
    changed = components.index[components["change"] == "changed"].tolist()
    assert changed == ["pre-release-review"], "the main reported change is 90 -> 30 days"


# --- state laws -------------------------------------------------------------------------


def test_sb53_sends_its_24_hour_report_to_an_appropriate_authority():
    row = _row(datasets.load_state_laws(), "law_id", "ca-sb-53")
    text = row["obligations"]
    assert "24 hours" in text and "appropriate authority" in text
    assert "tell Cal OES about critical safety incidents within 15 days, or 24 hours" not in text
    assert "to an appropriate authority" in " ".join(datasets.card("state_laws").split())


def test_raise_act_has_a_24_hour_rule_too():
    row = _row(datasets.load_state_laws(), "law_id", "ny-raise-act")
    assert "72 hours" in row["obligations"] and "24-hour" in row["obligations"]


def test_traiga_bans_bind_deployers_as_well_as_developers():
    row = _row(datasets.load_state_laws(), "law_id", "tx-hb-149")
    assert {"developer", "deployer"} <= set(row["binds"].split(";"))
    duties = datasets.load_law_obligations()
    holders = duties.loc[
        (duties["law_id"] == "tx-hb-149") & (duties["obligation"] == "prohibited uses"),
        "duty_holder",
    ]
    assert set(holders.astype(str)) == {"developer", "deployer"}


def test_colorado_sb_26_189_binds_developers_is_enforced_by_the_ag_and_repeals_sb_24_205():
    laws = datasets.load_state_laws().set_index("law_id")
    new = laws.loc["co-sb-26-189"]
    assert set(new["binds"].split(";")) == {"developer", "deployer"}
    assert "Attorney General" in new["enforcement"]
    assert "Repeals SB 24-205" in new["obligations"]
    assert laws.loc["co-sb-24-205", "repealed"] == pd.Timestamp("2026-05-14")
    duties = datasets.load_law_obligations()
    developer = duties[
        (duties["law_id"] == "co-sb-26-189") & (duties["duty_holder"] == "developer")
    ]
    assert not developer.empty


@pytest.mark.parametrize(
    "law_id, column, day",
    [
        ("va-hb-2094", "vetoed", "2025-03-24"),
        ("ca-sb-1047", "vetoed", "2024-09-29"),
        ("ca-ab-2839", "enjoined", "2024-10-02"),
        ("ca-ab-2655", "struck_down", "2025-08-05"),
        ("co-sb-24-205", "repealed", "2026-05-14"),
    ],
)
def test_status_changes_have_dates_in_columns(law_id, column, day):
    row = _row(datasets.load_state_laws(), "law_id", law_id)
    assert row[column] == pd.Timestamp(day)


@pytest.mark.parametrize(
    "law_id, column, value, problem",
    [
        ("va-hb-2094", "vetoed", "", "give the date it happened"),
        ("ca-ab-2839", "enjoined", "", "give the date it happened"),
        ("co-sb-24-205", "repealed", "2024-01-01", "before the enactment date"),
        ("ca-sb-1047", "enacted", "2024-09-01", "never enacted"),
    ],
)
def test_status_dates_are_validated_on_load(law_id, column, value, problem):
    frame = _csv("state_laws")
    k = frame.index[frame["law_id"] == law_id][0]
    frame.loc[k, column] = value
    with pytest.raises(DatasetError, match=problem):
        validate("state_laws", frame.to_csv(index=False))


# --- compute ----------------------------------------------------------------------------


def test_wu_dao_is_speculative_and_gpt4_named_first_above_1e25():
    models = datasets.load_notable_models().set_index("model_id")
    assert models.loc["wu-dao-2.0", "epoch_confidence"] == "Speculative"
    text = _lesson("02")
    assert "GPT-4 (March 2023) as the first model" in text
    assert "the first model above 10<sup>25</sup> is Wu Dao 2.0 (2021), and" not in text
    assert "`Speculative`, Epoch's weakest label" in text


def test_grok_3_label_is_not_claimed_as_confident_without_a_source():
    row = _row(datasets.load_notable_models(), "model_id", "grok-3")
    assert row["epoch_confidence"] != "Confident"
    assert "could not be checked" in row["source"]


# --- the lobbying evidence --------------------------------------------------------------


def test_lobbying_claim_rests_on_several_outlets_and_only_the_timing_is_disputed():
    claim = _row(datasets.load_seed_claims(), "claim_id", 2)
    for outlet in ("Politico", "New York Times", "Axios", "Washington Post"):
        assert outlet in claim["evidence"], outlet
    assert "timing" in claim["evidence"]
    text = _lesson("08") + " " + _lesson("09")
    assert "rests on one outlet's unnamed sources" not in text
    assert "none that confirmed it" not in text
    assert "senior White House official" in text


# --- readings and positions ---------------------------------------------------------------


def test_readings_hold_both_sides_in_their_own_texts():
    readings = datasets.load_readings()
    sides = readings["side"].value_counts()
    assert sides["pro-innovation"] >= 8 and sides["safety"] >= 8, sides.to_dict()
    pro = readings[readings["side"] == "pro-innovation"]
    assert (pro["author_kind"] != "government").sum() >= 5, (
        "pro-innovation texts from outside government"
    )
    titles = set(readings["title"])
    for title in (
        "The Techno-Optimist Manifesto",
        "Open Source AI Is the Path Forward",
        "Notes on e/acc principles and tenets",
        "My techno-optimism",
        "Statement on AI Risk",
        "Pause Giant AI Experiments: An Open Letter",
        "Managing extreme AI risks amid rapid progress",
        "Winning the Race: America's AI Action Plan",
    ):
        assert title in titles, title
    assert readings["url"].str.match(r"^https://\S+$").all()


def test_quotes_are_short_marked_and_placed():
    readings = datasets.load_readings()
    quoted = readings[readings["quote"].notna()]
    assert len(quoted) >= 3
    assert quoted["quote"].str.len().le(datasets.MAX_QUOTE_CHARS).all()
    assert quoted["quote_where"].notna().all()
    frame = _csv("readings")
    k = frame.index[frame["quote"] != ""][0]
    frame.loc[k, "quote_where"] = ""
    with pytest.raises(DatasetError, match="quote_where"):
        validate("readings", frame.to_csv(index=False))


def test_every_position_points_to_a_reading_with_a_link():
    positions = datasets.load_positions()
    readings = datasets.load_readings().set_index("reading_id")
    for row in positions.itertuples(index=False):
        assert row.reading_id in readings.index, row.position_id
        assert readings.loc[row.reading_id, "url"].startswith("https://"), row.position_id
        assert row.source_url == readings.loc[row.reading_id, "url"], row.position_id


def test_a_position_naming_a_missing_reading_is_refused(monkeypatch):
    real = datasets.load

    def broken(name):
        frame = real(name)
        if name == "positions":
            frame = frame.copy()
            frame.loc[0, "reading_id"] = "no-such-reading"
        return frame

    monkeypatch.setattr(datasets, "load", broken)
    with pytest.raises(DatasetError, match="no-such-reading"):
        datasets.load_positions()


def test_pro_innovation_side_is_not_mostly_government():
    positions = datasets.load_positions()
    readings = datasets.load_readings().set_index("reading_id")
    pro = positions[positions["side"] == "pro-innovation"]
    official = readings.loc[pro["reading_id"], "author_kind"].eq("government").sum()
    assert official < len(pro) / 2, (
        f"{official} of {len(pro)} pro-innovation rows are official texts"
    )


def test_sides_are_named_as_their_holders_name_themselves():
    assert set(datasets.load_positions()["side"]) == {"pro-innovation", "safety", "middle"}
    lesson04 = _lesson("04")
    assert "A note on names" in lesson04 and "e/acc" in lesson04 and "pro-innovation" in lesson04
    for lesson in LESSONS:
        text = " ".join(_markdown(lesson).split())
        for phrase in ("accelerationist case", "accelerationist reading", "accelerationist side",
                       "An accelerationist", "Accelerationist texts"):  # fmt: skip
            assert phrase not in text, f"{lesson.name} still calls a side {phrase!r}"


def test_lesson_04_attributes_only_texts_the_readings_hold():
    readings = datasets.load_readings().set_index("reading_id")
    assert "intl-ai-safety-report-2025" in readings.index
    assert readings.loc["intl-ai-safety-report-2025", "url"] in _lesson("04")


# --- the review model ---------------------------------------------------------------------


def test_review_model_ships_labelled_assumption_sets_not_one_default():
    assert list(review.ASSUMPTION_SETS) == ["pro-innovation", "neutral", "safety"]
    assert set(review.ASSUMPTION_NOTES) == set(review.ASSUMPTION_SETS)
    with pytest.raises(TypeError):
        review.ReviewAssumptions()  # no built-in default set of numbers
    days = {name: review.best_window(a)[0] for name, a in review.ASSUMPTION_SETS.items()}
    assert days["pro-innovation"] < days["neutral"] < days["safety"], days
    assert review.ASSUMPTION_SETS["neutral"] == review.midpoint(
        review.ASSUMPTION_SETS["pro-innovation"], review.ASSUMPTION_SETS["safety"]
    ), "the neutral set is the midpoint of the other two, not a tuned default"
    with pytest.raises(ValueError, match="choose one of"):
        review.assumption_set("optimistic")


def test_review_explorer_offers_the_labelled_sets(capsys):
    from course import widgets

    explorer = widgets.review_explorer()
    assert explorer.assumptions == review.ASSUMPTION_SETS["neutral"]
    explorer.preset.value = "safety"
    capsys.readouterr()
    assert explorer.assumptions == review.ASSUMPTION_SETS["safety"]
    days = review.best_window(review.ASSUMPTION_SETS["safety"], longest=180)[0]
    assert f"<b>{days} days</b>" in explorer.summary.value


# --- preemption ---------------------------------------------------------------------------


def test_only_sb243_surviving_rests_on_the_narrow_reading():
    laws, duties = datasets.load_state_laws(), datasets.load_law_obligations()
    narrow = patchwork.preemption_scenario(laws, duties, "framework-2026")
    broad = patchwork.preemption_scenario(laws, duties, "framework-2026-broad")
    assert narrow.loc[narrow["survives"], "law_id"].tolist() == ["ca-sb-243"]
    kept = set(broad.loc[broad["survives"], "law_id"])
    assert {"ca-sb-243", "tx-hb-149", "il-hb-3773"} <= kept
    assert "ca-sb-53" not in kept, "no carve-out reaches a frontier-safety law"
    assert "narrow reading" in _lesson("07")


# --- one date ----------------------------------------------------------------------------


def test_facts_date_lives_in_one_place_and_is_every_default_today():
    from course import compute, plots, race, sources, timeline, widgets

    assert DATE.fullmatch(datasets.FACTS_AS_OF)
    found = []
    for module in (timeline, patchwork, compute, race, review, sources, plots, widgets):
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            target = obj.__init__ if inspect.isclass(obj) else obj
            if not callable(target):
                continue
            try:
                parameters = inspect.signature(target).parameters.values()
            except (TypeError, ValueError):
                continue
            for p in parameters:
                if isinstance(p.default, str) and DATE.fullmatch(p.default):
                    found.append((module.__name__, name, p.name, p.default))
    assert found, "expected the date defaults of durations, applicable_laws, ... to be found"
    wrong = [f for f in found if f[3] != datasets.FACTS_AS_OF]
    assert not wrong, f"a default 'today' that is not course.datasets.FACTS_AS_OF: {wrong}"
    for path in (ROOT / "course").glob("*.py"):
        if path.name == "datasets.py":
            continue
        text = path.read_text(encoding="utf-8")
        code = re.sub(r">>>.*|\.\.\. .*", "", text)  # doctest examples may show the date
        assert datasets.FACTS_AS_OF not in code, (
            f"{path.name} writes the facts date as a literal; use course.datasets.FACTS_AS_OF"
        )


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lessons_state_the_one_facts_date(path):
    text = " ".join(_markdown(path).split())
    stated = re.findall(r"Facts current to:?\s*\**\s*(\d{1,2} \w+ \d{4})", text)
    assert stated, f"{path.name} does not say what date its facts are current to"
    assert set(stated) == {datasets.facts_as_of_text()}, stated
    old = re.findall(r"current to (\d{1,2} \w+ \d{4})", text)
    assert set(old) <= {datasets.facts_as_of_text()}, old


# --- no hidden notes --------------------------------------------------------------------------

HIDDEN = re.compile(
    r"\b(our|research|course|the project's|the) notes\b|facts\.md|in our notes|shared research folder",
    re.IGNORECASE,
)


def _hidden_mentions(text: str) -> list[str]:
    hits = []
    for m in HIDDEN.finditer(text):
        context = text[max(0, m.start() - 30) : m.end() + 10]
        if "e/acc" in context or "client note" in context:
            continue
        hits.append(context)
    return hits


@pytest.mark.parametrize("path", [*LESSONS, *CARDS, ROOT / "README.md"], ids=lambda p: p.name)
def test_no_reference_to_notes_a_learner_cannot_see(path):
    text = _markdown(path) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8")
    assert not _hidden_mentions(" ".join(text.split())), _hidden_mentions(" ".join(text.split()))


@pytest.mark.parametrize("name", sorted(datasets.SCHEMAS))
def test_no_dataset_cell_cites_notes_a_learner_cannot_see(name):
    frame = _csv(name)
    for column in frame.columns:
        for value in frame[column]:
            assert not _hidden_mentions(value), (name, column, value[:120])
