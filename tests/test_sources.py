"""course.sources: term counts, frame rates, and the evidence behind each verdict."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from course import cli, datasets, sources

SHARED_SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_count_terms_whole_words_and_phrases():
    text = "Racing ahead: the race, the RACE and the arms-race. Red\nlines matter; red lines."
    counts = sources.count_terms(text, ["race", "red lines", "racing"])
    assert counts.to_dict() == {"race": 2, "red lines": 2, "racing": 1}


def test_count_terms_rejects_bad_input():
    with pytest.raises(TypeError, match="str"):
        sources.count_terms(None, ["x"])
    with pytest.raises(ValueError, match="empty"):
        sources.count_terms("text", [" "])


def test_stored_counts_match_the_lexicon_and_articles():
    counts = datasets.load_seed_frame_counts()
    lexicon = datasets.load_seed_frames()
    articles = datasets.load_seed_articles()
    assert len(counts) == len(lexicon) * len(articles)
    merged = counts.merge(lexicon, on="term", suffixes=("", "_lexicon"))
    assert (merged["frame"] == merged["frame_lexicon"]).all()


@pytest.mark.skipif(
    not SHARED_SEEDS.is_dir(), reason="the original seed files are not beside the repo"
)
def test_stored_counts_are_reproducible_from_the_articles(tmp_path):
    out = tmp_path / "counts.csv"
    assert cli.main(["count-frames", str(SHARED_SEEDS), "--output", str(out)]) == 0
    fresh = pd.read_csv(out)
    stored = datasets.load_seed_frame_counts()
    assert fresh["count"].tolist() == stored["count"].tolist()
    assert fresh["term"].tolist() == stored["term"].tolist()


def test_read_seed_texts_names_the_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="000_"):
        sources.read_seed_texts(tmp_path)


def test_frame_rates_per_thousand_words():
    counts = datasets.load_seed_frame_counts()
    articles = datasets.load_seed_articles()
    rates = sources.frame_rates(counts, articles)
    hand = counts[counts["article_id"] == "seed-000"].groupby("frame")["count"].sum()
    words = articles.set_index("article_id").loc["seed-000", "word_count"]
    for frame, n in hand.items():
        assert rates.loc["seed-000", frame] == pytest.approx(1000 * n / words)
    with pytest.raises(ValueError, match="word_count"):
        sources.frame_rates(counts, articles.head(1))


def test_verdicts_by_article_counts_joint_claims_twice():
    claims = datasets.load_seed_claims()
    table = sources.verdicts_by_article(claims)
    joint = claims["articles"].str.contains(";").sum()
    assert int(table.to_numpy().sum()) == len(claims) + joint


def test_every_contradicted_claim_is_backed_by_a_sourced_row():
    claims = datasets.load_seed_claims()
    table = sources.evidence_table(claims, datasets.load_claim_evidence())
    assert sources.unbacked_contradictions(claims, table) == []
    assert table["row_source"].str.len().gt(0).all()
    # and the check itself can fail: drop the evidence for claim 11
    without = table[table["claim_id"] != 11]
    assert sources.unbacked_contradictions(claims, without) == [11]


def test_evidence_names_bad_references():
    claims = datasets.load_seed_claims()
    evidence = datasets.load_claim_evidence().copy()
    evidence.loc[0, "row_id"] = "eo-99999"
    with pytest.raises(ValueError, match="no row 'eo-99999'"):
        sources.evidence_table(claims, evidence)
    evidence = datasets.load_claim_evidence().copy()
    evidence.loc[0, "claim_id"] = 99
    with pytest.raises(ValueError, match=r"claim ids \[99\]"):
        sources.evidence_table(claims, evidence)


def test_date_gaps_against_hand_counts():
    claims = datasets.load_seed_claims()
    gaps = sources.date_gaps(sources.evidence_table(claims, datasets.load_claim_evidence()))
    by = gaps.set_index(["claim_id", "row_id"])["gap_days"]
    assert by[(1, "draft-order-2026")] == 51  # 31 March -> 21 May 2026
    assert by[(12, "eo-13859")] == -324  # 11 Feb 2019 is before 1 Jan 2020
    assert by[(14, "caisi")] == 64  # 31 March -> 3 June 2025
    assert by[(15, "legislative-framework-2026")] == 10  # 10 March -> 20 March 2026
    assert by[(13, "ai-bill-of-rights-blueprint")] == 0  # inside the claimed year
