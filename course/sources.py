"""Reading the sources: the seed articles' claims, the evidence for them, and framing.

Pure functions over the source register in ``seeds/`` (loaded through
:mod:`course.datasets`) and the course's other datasets. The articles' text is not
part of the project: framing is measured by counting a transparent list of terms
(``seeds/frames.csv``) in each article, and only the counts are stored
(``seeds/frame_counts.csv``). :func:`count_frames` recomputes them from the
article files for anyone who has them.

Examples
--------
>>> count_terms("The race with China is a race.", ["race", "china"]).to_dict()
{'race': 2, 'china': 1}
>>> from course.datasets import load_seed_claims
>>> verdicts_by_article(load_seed_claims()).loc["seed-002", "contradicted"]
np.int64(4)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from course import datasets

__all__ = [
    "count_terms",
    "count_frames",
    "read_seed_texts",
    "frame_rates",
    "verdicts_by_article",
    "evidence_table",
    "date_gaps",
    "unbacked_contradictions",
]

#: the dataset each evidence row may point to, and its id column.
_ID_COLUMNS = {
    "federal_timeline": "event_id",
    "order_components": "component_id",
    "notable_models": "model_id",
    "compute_thresholds": "threshold_id",
    "state_laws": "law_id",
}


def _pattern(term: str) -> re.Pattern[str]:
    term = term.strip().lower()
    if not term:
        raise ValueError("a term to count cannot be empty")
    words = [re.escape(w) for w in term.split()]
    return re.compile(r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])", re.IGNORECASE)


def count_terms(text: str, terms: Iterable[str]) -> pd.Series:
    """How often each term occurs in ``text`` as a whole word or phrase, ignoring case.

    "race" does not match "racing" or "embrace"; a phrase matches across line breaks.

    >>> count_terms("Safe? Safety first, unsafe never.", ["safe", "safety"]).tolist()
    [1, 1]
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    terms = list(terms)
    counts = {term: len(_pattern(term).findall(text)) for term in terms}
    return pd.Series(counts, dtype="int64", name="count")


def count_frames(texts: Mapping[str, str], lexicon: pd.DataFrame) -> pd.DataFrame:
    """Term counts per article for a frame lexicon (columns ``frame``, ``term``).

    Returns one row per (article, frame, term) with ``count``: the tidy table
    stored as ``seeds/frame_counts.csv``.

    >>> lex = pd.DataFrame({"frame": ["race", "race"], "term": ["china", "race"]})
    >>> count_frames({"a": "China! A race.", "b": "Nothing."}, lex)["count"].tolist()
    [1, 1, 0, 0]
    """
    if not {"frame", "term"} <= set(lexicon.columns):
        raise ValueError("lexicon needs the columns 'frame' and 'term' (see seeds/frames.csv)")
    rows = []
    for article, text in texts.items():
        counts = count_terms(text, lexicon["term"])
        for frame, term in zip(lexicon["frame"], lexicon["term"], strict=True):
            rows.append(
                {"article_id": article, "frame": frame, "term": term, "count": int(counts[term])}
            )
    return pd.DataFrame(rows, columns=["article_id", "frame", "term", "count"])


def read_seed_texts(folder: str | Path, articles: pd.DataFrame | None = None) -> dict[str, str]:
    """The seed articles' text from ``folder`` (the original files), by ``article_id``.

    Only for regenerating ``seeds/frame_counts.csv``: the texts are not shipped.
    """
    articles = datasets.load_seed_articles() if articles is None else articles
    folder = Path(folder)
    texts = {}
    for row in articles.itertuples(index=False):
        path = folder / row.file
        if not path.is_file():
            raise FileNotFoundError(
                f"{path} not found; pass the folder that holds the seed files ({row.file})"
            )
        texts[row.article_id] = path.read_text(encoding="utf-8")
    return texts


def frame_rates(counts: pd.DataFrame, articles: pd.DataFrame, *, per: int = 1000) -> pd.DataFrame:
    """Hits of each frame per ``per`` words, one row per article, one column per frame.

    Dividing by length makes a short blog post and a long explainer comparable.

    >>> counts = pd.DataFrame({"article_id": ["a", "a", "b"], "frame": ["x", "y", "x"],
    ...                        "term": ["t", "u", "t"], "count": [2, 1, 3]})
    >>> articles = pd.DataFrame({"article_id": ["a", "b"], "word_count": [100, 300]})
    >>> frame_rates(counts, articles, per=100).to_dict("index")
    {'a': {'x': 2.0, 'y': 1.0}, 'b': {'x': 1.0, 'y': 0.0}}
    """
    totals = counts.pivot_table(
        index="article_id", columns="frame", values="count", aggfunc="sum", fill_value=0
    )
    words = articles.set_index("article_id")["word_count"].astype(float)
    missing = sorted(set(totals.index) - set(words.index))
    if missing:
        raise ValueError(f"no word_count for article(s) {missing}; pass load_seed_articles()")
    rates = totals.div(words.loc[totals.index], axis=0) * per
    rates.columns.name = "frame"
    return rates.astype(float)


def verdicts_by_article(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims per article and verdict; a claim made by both articles counts for each.

    >>> from course.datasets import load_seed_claims
    >>> table = verdicts_by_article(load_seed_claims())
    >>> list(table.columns)
    ['supported', 'partly supported', 'contradicted', 'unverifiable']
    """
    exploded = claims.assign(article=claims["articles"].str.split(";")).explode("article")
    table = pd.crosstab(exploded["article"], exploded["verdict"], dropna=False)
    order = ["supported", "partly supported", "contradicted", "unverifiable"]
    return table.reindex(columns=order, fill_value=0)


def _frames(frames: Mapping[str, pd.DataFrame] | None) -> dict[str, pd.DataFrame]:
    if frames is not None:
        return dict(frames)
    loaded = {}
    for name in _ID_COLUMNS:
        if name in datasets.available():
            loaded[name] = datasets.load(name)
    return loaded


def evidence_table(
    claims: pd.DataFrame,
    evidence: pd.DataFrame,
    frames: Mapping[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Join each piece of evidence to its claim and to the dataset row it cites.

    Adds ``claim``, ``verdict``, the cited row's ``label`` (short name), its
    ``documented_date`` (where the row has a date) and its ``row_source``.
    ``frames`` maps dataset names to frames (default: load them). An evidence row
    that names an unknown dataset or row raises ``ValueError``.

    >>> from course.datasets import load_seed_claims, load_claim_evidence
    >>> table = evidence_table(load_seed_claims(), load_claim_evidence())
    >>> table.loc[table["claim_id"] == 11, "label"].item()
    'EO 14409'
    """
    frames = _frames(frames)
    labels, dates, sources = [], [], []
    for row in evidence.itertuples(index=False):
        if row.dataset not in frames:
            raise ValueError(
                f"claim {row.claim_id}: dataset {row.dataset!r} is not available; "
                f"use one of {', '.join(sorted(frames))}"
            )
        frame = frames[row.dataset].set_index(_ID_COLUMNS[row.dataset])
        if row.row_id not in frame.index:
            raise ValueError(
                f"claim {row.claim_id}: {row.dataset} has no row {row.row_id!r}; "
                f"check the id in {row.dataset}"
            )
        cited = frame.loc[row.row_id]
        label = next(
            (cited[c] for c in ("short_name", "component", "model") if c in frame.columns),
            row.row_id,
        )
        date = next(
            (
                cited[c]
                for c in ("date", "release_date", "enacted", "start_date")
                if c in frame.columns
            ),
            pd.NaT,
        )
        labels.append(label)
        dates.append(date)
        sources.append(cited["source"])
    out = evidence.merge(claims[["claim_id", "claim", "verdict"]], on="claim_id", how="left")
    if out["claim"].isna().any():
        bad = out.loc[out["claim"].isna(), "claim_id"].unique().tolist()
        raise ValueError(f"evidence cites claim ids {bad} that are not in the claims register")
    out["label"] = labels
    out["documented_date"] = pd.to_datetime(pd.Series(dates, dtype="object"))
    out["row_source"] = sources
    return out


def date_gaps(table: pd.DataFrame) -> pd.DataFrame:
    """For evidence with a claimed date range, the days from the claim to the record.

    ``gap_days`` is 0 when the documented date falls inside the claimed range,
    positive when the record is later than the claim, negative when earlier.

    >>> table = pd.DataFrame({"claim_id": [1], "row_id": ["x"], "claimed_from": ["2026-03-20"],
    ...                       "claimed_to": ["2026-03-31"],
    ...                       "documented_date": pd.to_datetime(["2026-05-21"])})
    >>> date_gaps(table)["gap_days"].tolist()
    [51]
    """
    rows = table.dropna(subset=["claimed_from", "claimed_to", "documented_date"]).copy()
    start = pd.to_datetime(rows["claimed_from"])
    end = pd.to_datetime(rows["claimed_to"])
    documented = pd.to_datetime(rows["documented_date"])
    if (end < start).any():
        bad = rows.loc[end < start, "claim_id"].tolist()
        raise ValueError(f"claimed_to is before claimed_from for claim(s) {bad}")
    after = (documented - end).dt.days.clip(lower=0)
    before = (documented - start).dt.days.clip(upper=0)
    rows["gap_days"] = (after + before).astype(int)
    return rows


def unbacked_contradictions(claims: pd.DataFrame, table: pd.DataFrame) -> list[int]:
    """Claims judged ``contradicted`` that no dataset row contradicts (should be none).

    >>> from course.datasets import load_seed_claims, load_claim_evidence
    >>> claims = load_seed_claims()
    >>> unbacked_contradictions(claims, evidence_table(claims, load_claim_evidence()))
    []
    """
    contradicted = set(claims.loc[claims["verdict"] == "contradicted", "claim_id"])
    backed = table.loc[
        (table["relation"] == "contradicts") & table["row_source"].notna(), "claim_id"
    ]
    return sorted(int(c) for c in contradicted - set(backed))
