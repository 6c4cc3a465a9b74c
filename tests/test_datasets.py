"""course.datasets: every dataset loads, is typed and sourced, and bad files fail clearly."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from course import datasets
from course.datasets import SCHEMAS, DatasetError, validate

LOADERS = {
    "federal_timeline": datasets.load_federal_timeline,
    "order_components": datasets.load_order_components,
    "notable_models": datasets.load_notable_models,
    "compute_thresholds": datasets.load_compute_thresholds,
    "positions": datasets.load_positions,
    "readings": datasets.load_readings,
    "state_laws": datasets.load_state_laws,
    "law_obligations": datasets.load_law_obligations,
    "bill_counts": datasets.load_bill_counts,
    "seed_articles": datasets.load_seed_articles,
    "seed_claims": datasets.load_seed_claims,
    "seed_frames": datasets.load_seed_frames,
    "seed_frame_counts": datasets.load_seed_frame_counts,
    "claim_evidence": datasets.load_claim_evidence,
}
# Tables derived from other rows: their provenance is the row they point to (claim_evidence)
# or the seed article they count (frame counts), documented in seeds/README.md.
DERIVED = {"seed_frames", "seed_frame_counts", "claim_evidence"}


def test_every_dataset_has_a_loader():
    assert set(LOADERS) == set(datasets.available())


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_loader_returns_valid_typed_frame(name):
    frame = LOADERS[name]()
    schema = SCHEMAS[name]
    assert list(frame.columns) == schema.names
    keys = [schema.key] if isinstance(schema.key, str) else list(schema.key)
    assert not frame.duplicated(subset=keys).any()
    assert len(frame) > 0
    if name == "readings":  # a reading is its own source: a link on every row
        assert frame["url"].str.startswith("https://").all()
    elif name not in DERIVED:  # a source on every row
        assert frame["source"].str.strip().str.len().gt(0).all()
    for col in schema.columns:
        if col.kind == "date":
            assert pd.api.types.is_datetime64_any_dtype(frame[col.name]), col.name
        if col.kind == "choice":
            assert isinstance(frame[col.name].dtype, pd.CategoricalDtype), col.name
            assert frame[col.name].notna().all(), col.name


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_every_dataset_has_a_dated_card(name):
    text = datasets.card(name)
    assert text.startswith("#")
    stated = f"current to: {datasets.facts_as_of_text()}"
    assert stated.lower() in text.lower(), (
        f"the card of {name} must say the facts are current to {datasets.facts_as_of_text()} "
        "(course.datasets.FACTS_AS_OF)"
    )
    if SCHEMAS[name].folder == "data" or name in DERIVED:
        for column in SCHEMAS[name].names:
            assert column in text, f"the card of {name} does not describe column {column!r}"


def test_unknown_dataset_names_the_choices():
    with pytest.raises(ValueError, match="federal_timeline"):
        datasets.load("federal_timline")


def test_timeline_covers_2016_to_2026_and_key_instruments():
    t = datasets.load_federal_timeline()
    assert t["date"].min().year == 2016
    assert t["date"].max().year == 2026
    assert t["date"].is_monotonic_increasing
    ids = set(t["event_id"])
    assert {"eo-13859", "eo-14110", "eo-14148", "eo-14365", "draft-order-2026", "eo-14409"} <= ids
    row = t.set_index("event_id").loc["eo-14110"]
    assert row["status"] == "revoked"
    assert row["ended"] == pd.Timestamp("2025-01-20")
    assert row["superseded_by"] == "eo-14148"
    draft = t.set_index("event_id").loc["draft-order-2026"]
    assert draft["date"] == pd.Timestamp("2026-05-21")
    assert draft["status"] == "not signed"
    assert t.set_index("event_id").loc["eo-14409", "date"] == pd.Timestamp("2026-06-02")


def test_order_components_hold_the_window_change():
    c = datasets.load_order_components()
    window = c.dropna(subset=["draft_days"])
    assert len(window) == 1
    assert (int(window["draft_days"].item()), int(window["final_days"].item())) == (90, 30)
    assert window["change"].item() == "changed"
    # the seeds' "national standard" was never in the draft
    never = c[c["change"] == "never included"]
    assert (never["in_draft"] == "no").all()
    assert never["claimed_by_seeds"].str.contains("seed-000").any()


def test_seed_claims_match_the_fact_base():
    claims = datasets.load_seed_claims()
    assert claims["claim_id"].tolist() == list(range(1, 24))
    verdict = claims.set_index("claim_id")["verdict"]
    assert verdict[1] == "contradicted"  # "late March": the signing was cancelled 21 May 2026
    assert verdict[11] == "contradicted"  # "scrapped": EO 14409 was signed on 2 June 2026
    assert verdict[12] == "contradicted"  # the first Trump AI order was 2019, not 2020
    assert verdict[4] == "supported"
    articles = datasets.load_seed_articles()
    assert articles["article_id"].tolist() == ["seed-000", "seed-002"]
    used = {a for value in claims["articles"] for a in value.split(";")}
    assert used == set(articles["article_id"])


# --- malformed files: the error names the file, the row and the column -----------------


def _csv(name: str) -> pd.DataFrame:
    schema = SCHEMAS[name]
    from importlib.resources import files

    text = (files("course") / schema.folder / schema.filename).read_text(encoding="utf-8")
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def _broken(name: str, row: int, column: str, value: str) -> str:
    frame = _csv(name)
    frame.loc[row, column] = value
    return frame.to_csv(index=False)


MALFORMED = [
    ("federal_timeline", 3, "date", "2019-02-30", "not a real calendar date"),
    ("federal_timeline", 3, "date", "11 Feb 2019", "YYYY-MM-DD"),
    ("federal_timeline", 4, "kind", "law", "not allowed"),
    ("federal_timeline", 5, "source", "", "is empty"),
    ("federal_timeline", 6, "confidence", "high", "not allowed"),
    ("federal_timeline", 2, "superseded_by", "eo-99999", "names no row"),
    ("federal_timeline", 2, "source_url", "federalregister.gov", "web address"),
    ("order_components", 0, "draft_days", "ninety", "not an integer"),
    ("order_components", 1, "claimed_by_seeds", "seed-001", "not allowed"),
    ("seed_claims", 7, "verdict", "true", "not allowed"),
    ("notable_models", 5, "training_flop", "lots", "not a number"),
    ("notable_models", 6, "training_flop", "-1e24", "below the minimum"),
    ("notable_models", 7, "country", "US;Mars", "'Mars' is not allowed"),
    ("notable_models", 8, "release_date", "2023-02-29", "not a real calendar date"),
    ("compute_thresholds", 1, "jurisdiction", "Texas", "not allowed"),
    ("seed_claims", 2, "claim_id", "2.5", "not an integer"),
    ("seed_articles", 1, "word_count", "-3", "below the minimum"),
]


@pytest.mark.parametrize(("name", "row", "column", "value", "problem"), MALFORMED)
def test_malformed_cell_is_reported_with_file_row_and_column(name, row, column, value, problem):
    with pytest.raises(DatasetError) as info:
        validate(name, _broken(name, row, column, value))
    err = info.value
    assert err.file == SCHEMAS[name].filename
    assert err.line == row + 2  # the header is line 1
    assert err.column == column
    message = str(err)
    assert SCHEMAS[name].filename in message and f"row {row + 2}" in message
    assert repr(column) in message and problem in message


def test_duplicate_id_names_both_rows():
    frame = _csv("federal_timeline")
    frame.loc[4, "event_id"] = frame.loc[1, "event_id"]
    with pytest.raises(DatasetError, match=r"row 6, column 'event_id'.*already used on row 3"):
        validate("federal_timeline", frame.to_csv(index=False))


def test_end_before_start_is_rejected():
    frame = _csv("federal_timeline")
    i = frame.index[frame["event_id"] == "eo-14110"][0]
    frame.loc[i, "ended"] = "2020-01-01"
    with pytest.raises(DatasetError, match="before the start date"):
        validate("federal_timeline", frame.to_csv(index=False))


def test_missing_and_extra_columns_are_listed():
    frame = _csv("seed_claims").drop(columns=["evidence"]).assign(notes="x")
    with pytest.raises(DatasetError, match="missing columns 'evidence'.*unknown columns 'notes'"):
        validate("seed_claims", frame.to_csv(index=False))


def test_header_only_file_is_rejected():
    header = ",".join(SCHEMAS["seed_articles"].names) + "\n"
    with pytest.raises(DatasetError, match="no rows"):
        validate("seed_articles", header)


def test_untrimmed_value_is_rejected():
    with pytest.raises(DatasetError, match="leading or trailing spaces"):
        validate("federal_timeline", _broken("federal_timeline", 0, "force", " binding"))


def test_wheel_carries_data_and_seeds(tmp_path):
    """The built wheel ships every dataset, card and the seeds register inside `course`."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(root)],
        check=True,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for schema in SCHEMAS.values():
        stem = schema.filename.rsplit(".", 1)[0]
        assert f"course/{schema.folder}/{schema.filename}" in names
        if schema.folder == "data":
            assert f"course/data/{stem}.md" in names
    assert {
        "course/seeds/README.md",
        "course/seeds/seed-000.md",
        "course/seeds/seed-002.md",
    } <= names


def test_notable_models_hold_the_fact_base_rows():
    models = datasets.load_notable_models()
    assert len(models) >= 40
    assert models["release_date"].is_monotonic_increasing
    by_id = models.set_index("model_id")
    assert by_id.loc["gpt-3-175b", "training_flop"] == 3.14e23
    assert by_id.loc["grok-3", "training_flop"] == 4.64e26
    assert (models["training_flop"] > 0).all()
    gpt5 = models[models["model"] == "GPT-5"].iloc[0]
    assert gpt5["flop_low"] <= gpt5["training_flop"] <= gpt5["flop_high"]


def test_range_and_parameter_checks_across_columns():
    frame = _csv("notable_models")
    i = frame.index[frame["model"] == "GPT-5"][0]
    frame.loc[i, "flop_high"] = "1e25"
    with pytest.raises(DatasetError, match="outside its range"):
        validate("notable_models", frame.to_csv(index=False))
    frame = _csv("notable_models")
    j = frame.index[frame["active_parameters"] != ""][0]
    frame.loc[j, "active_parameters"] = "9e15"
    with pytest.raises(DatasetError, match="more than the total parameters"):
        validate("notable_models", frame.to_csv(index=False))


def test_compute_thresholds_cover_the_instruments():
    t = datasets.load_compute_thresholds().set_index("threshold_id")
    training = t[t["measure"] == "training compute"]
    assert set(training["jurisdiction"]) == {"US federal", "EU", "California", "New York"}
    assert t.loc[t["jurisdiction"] == "EU", "threshold"].tolist() == [1e25]
    benchmark = t[t["measure"] == "classified benchmarks"]
    assert len(benchmark) == 1 and benchmark["threshold"].isna().all()
    frame = _csv("compute_thresholds")
    k = frame.index[frame["measure"] == "classified benchmarks"][0]
    frame.loc[k, "threshold"] = "1e26"
    with pytest.raises(DatasetError, match="has no number"):
        validate("compute_thresholds", frame.to_csv(index=False))


def test_positions_are_balanced_and_paired_with_counters():
    positions = datasets.load_positions()
    sides = positions["side"].value_counts()
    assert abs(sides["pro-innovation"] - sides["safety"]) <= 1, sides.to_dict()
    assert sides["middle"] >= 2
    assert positions["counterargument"].str.len().gt(20).all()
    assert set(positions["model_link"]) >= {"race", "review", "slippery-slope"}
