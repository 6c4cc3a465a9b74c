"""Figures for the lessons, kept out of the narrative.

Every function takes data (the frames of :mod:`course.datasets` or the results
of the topic modules), draws on a new or given matplotlib ``Axes`` and returns
the ``Figure``. Colours come from the Okabe-Ito palette, which stays readable
for the common forms of colour blindness, and every encoding by colour is
doubled by a marker shape. matplotlib is imported only when a plot is drawn.

Examples
--------
>>> from course.datasets import load_federal_timeline
>>> fig = timeline_chart(load_federal_timeline())
>>> len(fig.axes[0].get_yticklabels()) == len(load_federal_timeline())
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from course.datasets import FACTS_AS_OF

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "OKABE_ITO",
    "FORCE_STYLE",
    "timeline_chart",
    "force_by_year_chart",
    "threshold_chart",
    "counts_by_year_chart",
    "INFORMATION_STYLE",
    "race_figure",
    "review_figure",
    "STATE_TILES",
    "state_tile_map",
    "RELATION_STYLE",
    "date_gap_figure",
    "frame_rates_chart",
    "bill_counts_chart",
    "similarity_heatmap",
]

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
}

#: colour and marker for each value of the timeline's ``force`` column.
FORCE_STYLE = {
    "binding": (OKABE_ITO["blue"], "s"),
    "voluntary": (OKABE_ITO["orange"], "o"),
    "n/a": (OKABE_ITO["black"], "d"),
}


def _axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=size, layout="constrained")
        return fig, ax
    return ax.figure, ax


def timeline_chart(
    timeline: pd.DataFrame,
    *,
    as_of: str = FACTS_AS_OF,
    ax: Axes | None = None,
) -> Figure:
    """One line per row in date order: a marker where it began, a bar for how long it lasted.

    Marker colour and shape show ``force`` (binding, voluntary, n/a); a hollow marker
    is a draft that was never signed. A bar runs from an instrument's date to its end,
    closed by a bar-end mark when it was revoked, rescinded or replaced, and faded
    to ``as_of`` when still in effect (dotted, and said so, when the sources record
    that it ended but not when). Shaded bands mark the administrations.

    >>> from course.datasets import load_federal_timeline
    >>> fig = timeline_chart(load_federal_timeline())
    >>> fig.axes[0].get_yticklabels()[0].get_text()
    'AI R&D Strategic Plan 2016'
    """
    from matplotlib.lines import Line2D

    from course.timeline import ADMINISTRATIONS, ENDED_STATUSES, effective_end

    rows = timeline.sort_values("date", kind="stable").reset_index(drop=True)
    rows["end"] = effective_end(rows)
    fig, ax = _axes(ax, (10, 0.26 * len(rows) + 1.6))
    end_of_view = pd.Timestamp(as_of)
    start_of_view = pd.Timestamp("2016-01-01")
    # administrations as shaded bands, named along the top
    starts = [start for _, start in ADMINISTRATIONS] + [end_of_view + pd.Timedelta(days=60)]
    for i, (name, start) in enumerate(ADMINISTRATIONS):
        left, right = max(start, start_of_view), starts[i + 1]
        if right <= start_of_view:
            continue
        ax.axvspan(left, right, color="0.93" if i % 2 else "white", zorder=0)
        ax.text(
            left + (right - left) / 2,
            -1.2,
            name,
            ha="center",
            va="bottom",
            fontsize=8,
            color="0.35",
        )
    for y, row in enumerate(rows.itertuples(index=False)):
        colour, marker = FORCE_STYLE[str(row.force)]
        unsigned = row.status == "not signed"
        if row.kind != "event" and not unsigned:
            ended = pd.notna(row.end)
            undated = not ended and row.status in ENDED_STATUSES
            stop = row.end if ended else end_of_view
            if undated:
                ax.text(
                    stop,
                    y - 0.15,
                    "ended, date unknown",
                    ha="right",
                    va="bottom",
                    fontsize=7,
                    color="0.3",
                )
            ax.plot(
                [row.date, stop],
                [y, y],
                color=colour,
                linewidth=4,
                alpha=0.85 if ended else 0.3,
                linestyle=(0, (1, 1)) if undated else "-",
                solid_capstyle="butt",
                zorder=2,
            )
            if ended:
                ax.plot(
                    [stop],
                    [y],
                    marker="|",
                    markersize=11,
                    markeredgewidth=2,
                    color=colour,
                    zorder=3,
                )
        ax.scatter(
            [row.date],
            [y],
            s=40,
            marker=marker,
            facecolors="white" if unsigned else colour,
            edgecolors=colour,
            linewidths=1.5,
            zorder=4,
        )
    ax.set_yticks(range(len(rows)), rows["short_name"], fontsize=8)
    ax.set_ylim(len(rows) - 0.5, -1.6)
    ax.set_xlim(start_of_view, end_of_view + pd.Timedelta(days=60))
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(
        "US federal AI policy, 2016-2026: what was issued, with what force, and for how long"
    )
    ax.set_xlabel(
        f"date (solid bar: ended, | marks the end; faded bar: still in effect on {as_of})"
    )
    handles = [
        Line2D([], [], color=c, marker=m, linestyle="", label=name)
        for name, (c, m) in FORCE_STYLE.items()
    ]
    handles.append(
        Line2D(
            [],
            [],
            color="grey",
            marker="o",
            markerfacecolor="white",
            linestyle="",
            label="not signed",
        )
    )
    ax.legend(handles=handles, loc="lower left", fontsize=8, title="force", title_fontsize=8)
    return fig


def force_by_year_chart(table: pd.DataFrame, *, ax: Axes | None = None) -> Figure:
    """Stacked bars of binding and voluntary instruments per year.

    ``table`` is the result of :func:`course.timeline.force_by_year`.

    >>> from course.datasets import load_federal_timeline
    >>> from course.timeline import force_by_year
    >>> fig = force_by_year_chart(force_by_year(load_federal_timeline()))
    >>> fig.axes[0].get_ylabel()
    'instruments issued'
    """
    fig, ax = _axes(ax, (8, 3.5))
    bottom = pd.Series(0, index=table.index)
    for column, hatch in (("binding", ""), ("voluntary", "//")):
        colour, _ = FORCE_STYLE[column]
        ax.bar(
            table.index,
            table[column],
            bottom=bottom,
            color=colour,
            hatch=hatch,
            label=column,
            edgecolor="white",
        )
        bottom = bottom + table[column]
    ax.set_xticks(table.index)
    ax.set_ylabel("instruments issued")
    ax.set_title("Binding and voluntary federal AI instruments by year")
    ax.legend(fontsize=8)
    return fig


def threshold_chart(
    models: pd.DataFrame,
    threshold: float,
    *,
    instruments: pd.DataFrame | None = None,
    ax: Axes | None = None,
    max_ids: int = 2,
) -> Figure:
    """Training compute of every model over time (log scale), with a threshold line.

    Models above ``threshold`` are drawn as filled vermillion triangles, the rest as
    hollow grey circles. ``instruments`` (rows of ``load_compute_thresholds`` with a
    ``threshold``) are drawn as dotted reference lines, labelled on the right on one
    line: the first ``max_ids`` instrument ids at that value and how many more share it.

    >>> from course.datasets import load_notable_models
    >>> fig = threshold_chart(load_notable_models(), 1e25)
    >>> fig.axes[0].get_yscale()
    'log'
    """
    fig, ax = _axes(ax, (9, 4.5))
    above = models["training_flop"] > threshold
    ax.scatter(
        models.loc[~above, "release_date"],
        models.loc[~above, "training_flop"],
        marker="o",
        facecolors="none",
        edgecolors="0.45",
        label="below the threshold",
    )
    ax.scatter(
        models.loc[above, "release_date"],
        models.loc[above, "training_flop"],
        marker="^",
        color=OKABE_ITO["vermillion"],
        label=f"above ({int(above.sum())} models)",
    )
    ax.axhline(threshold, color=OKABE_ITO["vermillion"], linewidth=1.5)
    ax.set_yscale("log")
    if instruments is not None:
        seen: set[float] = set()
        for row in instruments.dropna(subset=["threshold"]).itertuples(index=False):
            if row.measure not in ("training compute", "fine-tuning compute"):
                continue
            ax.axhline(row.threshold, color=OKABE_ITO["blue"], linestyle=":", linewidth=1)
            if row.threshold not in seen:
                names = instruments.loc[
                    (instruments["threshold"] == row.threshold)
                    & instruments["measure"].isin(["training compute", "fine-tuning compute"]),
                    "threshold_id",
                ]
                labels = list(names)
                text = ", ".join(labels[:max_ids])
                if len(labels) > max_ids:
                    text += f" +{len(labels) - max_ids} more"
                ax.annotate(
                    text,
                    (1.0, row.threshold),
                    xycoords=("axes fraction", "data"),
                    xytext=(4, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=7,
                    color=OKABE_ITO["blue"],
                )
                seen.add(row.threshold)
    ax.set_ylabel("training compute (FLOP, log scale)")
    ax.set_xlabel("release date")
    ax.set_title(f"Which models a threshold of {threshold:.1e} FLOP covers")
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(alpha=0.3, which="major")
    return fig


def counts_by_year_chart(counts: pd.Series, *, ax: Axes | None = None, label: str = "") -> Figure:
    """Bars of models per year (the result of :func:`course.compute.counts_by_year`).

    >>> import pandas as pd
    >>> fig = counts_by_year_chart(pd.Series([0, 2], index=[2023, 2024]))
    >>> len(fig.axes[0].patches)
    2
    """
    fig, ax = _axes(ax, (6, 3))
    ax.bar(counts.index, counts.to_numpy(), color=OKABE_ITO["vermillion"], label=label or None)
    ax.set_xticks(list(counts.index))
    ax.tick_params(axis="x", labelrotation=45)
    ax.set_ylabel("models")
    ax.set_title(label or "models above the threshold, by release year")
    return fig


#: colour and line style for each information condition of the racing model.
INFORMATION_STYLE = {
    "none": (OKABE_ITO["bluish green"], "-"),
    "private": (OKABE_ITO["blue"], "--"),
    "public": (OKABE_ITO["vermillion"], ":"),
}


def race_figure(
    *,
    enmities: tuple[float, ...] = (1.0, 0.5),
    teams: tuple[int, ...] = (2, 5),
    mu_max: float = 5.0,
) -> Figure:
    """Probability of disaster against mu, one panel per (enmity, teams), all conditions.

    The layout of Armstrong, Bostrom & Shulman's figures 1-3 (2016): rows are
    enmity levels, columns numbers of teams; each panel has a line per
    information condition.

    >>> fig = race_figure()
    >>> len(fig.axes), len(fig.axes[0].get_lines())
    (4, 3)
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from course.race import risk_curve

    mus = np.linspace(0.01, mu_max, 300)
    fig, axes = plt.subplots(
        len(enmities), len(teams), figsize=(4 * len(teams), 3 * len(enmities)),
        sharex=True, sharey=True, layout="constrained", squeeze=False,
    )  # fmt: skip
    for i, e in enumerate(enmities):
        for j, n in enumerate(teams):
            ax = axes[i][j]
            for info, (colour, style) in INFORMATION_STYLE.items():
                ax.plot(mus, risk_curve(n, e, info, mus), color=colour, linestyle=style, label=info)
            ax.set_title(f"enmity e = {e:g}, n = {n} teams", fontsize=10)
            ax.set_ylim(-0.02, 1.02)
            ax.grid(alpha=0.3)
            if i == len(enmities) - 1:
                ax.set_xlabel("mu (how much capability matters)")
            if j == 0:
                ax.set_ylabel("P(disaster)")
    axes[0][0].legend(title="information", fontsize=8, title_fontsize=8)
    return fig


def review_figure(
    curve: pd.DataFrame, *, marks: tuple[float, ...] = (30, 90), ax: Axes | None = None
) -> Figure:
    """Harm avoided, delay cost and net benefit against window length.

    ``curve`` is :func:`course.review.benefit_curve`; dotted lines mark ``marks``
    (the 30 days of EO 14409 and the 90 days of the May 2026 draft).

    >>> from course.review import ReviewAssumptions, benefit_curve
    >>> a = ReviewAssumptions(0.8, 0.5, 30, 0.1, 1000, 0.5)
    >>> fig = review_figure(benefit_curve(a, range(0, 181)))
    >>> [line.get_label() for line in fig.axes[0].get_lines()][:3]
    ['harm avoided', 'delay cost', 'net benefit']
    """
    fig, ax = _axes(ax, (7, 3.8))
    ax.plot(
        curve["window"],
        curve["harm_avoided"],
        color=OKABE_ITO["bluish green"],
        label="harm avoided",
    )
    ax.plot(curve["window"], curve["delay_cost"], color=OKABE_ITO["vermillion"], linestyle="--",
            label="delay cost")  # fmt: skip
    ax.plot(
        curve["window"], curve["net"], color=OKABE_ITO["black"], linewidth=2, label="net benefit"
    )
    ax.axhline(0, color="0.5", linewidth=0.8)
    for mark in marks:
        ax.axvline(mark, color="0.4", linestyle=":", linewidth=1)
        ax.annotate(f"{mark:g} days", (mark, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(2, -10), textcoords="offset points", fontsize=8)  # fmt: skip
    ax.set_xlabel("review window (days)")
    ax.set_ylabel("expected value per year (units of harm)")
    ax.set_title("A voluntary review window: what it buys and what it costs")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return fig


#: Position (row, column) of each state and DC on a tile-grid map of the US.
STATE_TILES = {
    "AK": (0, 0), "ME": (0, 11),
    "VT": (1, 10), "NH": (1, 11),
    "WA": (2, 1), "ID": (2, 2), "MT": (2, 3), "ND": (2, 4), "MN": (2, 5), "IL": (2, 6),
    "WI": (2, 7), "MI": (2, 8), "NY": (2, 9), "RI": (2, 10), "MA": (2, 11),
    "OR": (3, 1), "NV": (3, 2), "WY": (3, 3), "SD": (3, 4), "IA": (3, 5), "IN": (3, 6),
    "OH": (3, 7), "PA": (3, 8), "NJ": (3, 9), "CT": (3, 10),
    "CA": (4, 1), "UT": (4, 2), "CO": (4, 3), "NE": (4, 4), "MO": (4, 5), "KY": (4, 6),
    "WV": (4, 7), "VA": (4, 8), "MD": (4, 9), "DE": (4, 10),
    "AZ": (5, 2), "NM": (5, 3), "KS": (5, 4), "AR": (5, 5), "TN": (5, 6), "NC": (5, 7),
    "SC": (5, 8), "DC": (5, 9),
    "OK": (6, 4), "LA": (6, 5), "MS": (6, 6), "AL": (6, 7), "GA": (6, 8),
    "HI": (7, 0), "TX": (7, 4), "FL": (7, 9),
}  # fmt: skip

_CATEGORY_COLOURS = [
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["bluish green"],
    OKABE_ITO["reddish purple"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["sky blue"],
    OKABE_ITO["yellow"],
    "#7F7F7F",
]


def _is_dark(colour: object) -> bool:
    """Whether white text reads better than black on ``colour`` (relative luminance)."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5


def state_tile_map(
    values: pd.Series,
    *,
    title: str = "",
    ax: Axes | None = None,
    missing_label: str = "no law in the data",
) -> Figure:
    """A tile-grid map of the US: one square per state, coloured by ``values``.

    ``values`` is indexed by postal code. Numbers get a sequential scale (darker =
    more) with the number written in each tile; text gets one Okabe-Ito colour per
    category and a legend. States absent from ``values`` are drawn light grey. No
    map data is downloaded: the tiles are a fixed grid (:data:`STATE_TILES`).

    >>> import pandas as pd
    >>> fig = state_tile_map(pd.Series({"CA": 5, "NY": 2}), title="laws")
    >>> len(fig.axes[0].patches)
    51
    """
    from matplotlib.patches import Patch, Rectangle

    fig, ax = _axes(ax, (9, 5.6))
    numeric = pd.api.types.is_numeric_dtype(values)
    if numeric:
        import matplotlib as mpl

        top = float(values.max()) if len(values) and values.max() > 0 else 1.0
        cmap = mpl.colormaps["Blues"]
        colour_of = {state: cmap(0.25 + 0.75 * float(v) / top) for state, v in values.items()}
    else:
        categories = sorted(values.astype(str).unique())
        palette = {
            c: _CATEGORY_COLOURS[i % len(_CATEGORY_COLOURS)] for i, c in enumerate(categories)
        }
        colour_of = {state: palette[str(v)] for state, v in values.items()}
    for state, (row, col) in STATE_TILES.items():
        colour = colour_of.get(state, "0.92")
        ax.add_patch(Rectangle((col, -row), 0.92, 0.92, facecolor=colour, edgecolor="white"))
        dark = state in colour_of and _is_dark(colour)
        label = state if not numeric or state not in values else f"{state}\n{values[state]:g}"
        ax.text(col + 0.46, -row + 0.46, label, ha="center", va="center", fontsize=7,
                color="white" if dark else "black")  # fmt: skip
    ax.set_xlim(-0.2, 12.2)
    ax.set_ylim(-7.2, 1.1)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    handles = [Patch(facecolor="0.92", label=missing_label)]
    if not numeric:
        handles = [Patch(facecolor=palette[c], label=c) for c in categories] + handles
    ax.legend(handles=handles, loc="lower right", fontsize=7, frameon=False)
    return fig


#: colour and marker for each relation of a piece of evidence to a claim.
RELATION_STYLE = {
    "supports": (OKABE_ITO["bluish green"], "o"),
    "contradicts": (OKABE_ITO["vermillion"], "X"),
    "context": ("0.4", "d"),
}


def _day(date: pd.Timestamp) -> str:
    return f"{date.day} {date:%b %Y}"


def date_gap_figure(gaps: pd.DataFrame) -> Figure:
    """One strip per claim: the date range the article allows, and the documented date.

    ``gaps`` is :func:`course.sources.date_gaps` of :func:`course.sources.evidence_table`
    (columns ``claim_id``, ``label``, ``relation``, ``claimed_from``, ``claimed_to``,
    ``documented_date``, ``gap_days``). Each strip has its own time scale, since the
    claimed ranges run from days to a whole year.

    >>> from course import sources
    >>> from course.datasets import load_seed_claims, load_claim_evidence
    >>> claims = load_seed_claims()
    >>> gaps = sources.date_gaps(sources.evidence_table(claims, load_claim_evidence()))
    >>> len(date_gap_figure(gaps).axes) == len(gaps)
    True
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    band = OKABE_ITO["orange"]
    strips = gaps.reset_index(drop=True)
    fig, axes = plt.subplots(
        len(strips), 1, figsize=(8, 0.95 * len(strips) + 0.8), layout="constrained", squeeze=False
    )
    for ax, row in zip(axes[:, 0], strips.itertuples(index=False), strict=True):
        start, end = pd.Timestamp(row.claimed_from), pd.Timestamp(row.claimed_to)
        documented = pd.Timestamp(row.documented_date)
        colour, marker = RELATION_STYLE[str(row.relation)]
        ax.axvspan(start, end, ymin=0.3, ymax=0.7, color=band, alpha=0.6)
        if row.gap_days != 0:
            nearer = end if row.gap_days > 0 else start
            ax.annotate("", xy=(documented, 0), xytext=(nearer, 0),
                        arrowprops={"arrowstyle": "->", "color": "0.35"})  # fmt: skip
        ax.plot([documented], [0], marker=marker, markersize=9, color=colour, linestyle="")
        ax.text(start + (end - start) / 2, -0.7, f"claimed: {_day(start)} to {_day(end)}",
                ha="center", va="center", fontsize=8)  # fmt: skip
        ax.text(documented, 0.7, f"record: {_day(documented)}", ha="center", va="center",
                fontsize=8, color="0.2")  # fmt: skip
        first, last = min(start, documented), max(end, documented)
        pad = max(pd.Timedelta(days=12), (last - first) * 0.15)
        ax.set_xlim(first - pad, last + pad)
        ax.set_ylim(-1, 1)
        ax.set_xticks([])
        ax.set_yticks([])
        gap = "inside the claimed range" if row.gap_days == 0 else f"{row.gap_days:+d} days"
        ax.set_title(f"claim {row.claim_id}: {row.label} ({gap})", loc="left", fontsize=9)
    handles = [
        Patch(color=band, alpha=0.6, label="range the article's wording allows"),
        Line2D([], [], color=RELATION_STYLE["supports"][0], marker="o", linestyle="",
               label="documented date (supports)"),
        Line2D([], [], color=RELATION_STYLE["contradicts"][0], marker="X", linestyle="",
               label="documented date (contradicts)"),
    ]  # fmt: skip
    fig.legend(handles=handles, loc="outside upper center", ncols=3, fontsize=8)
    return fig


def frame_rates_chart(
    rates: pd.DataFrame, articles: pd.DataFrame | None = None, *, ax: Axes | None = None
) -> Figure:
    """Grouped bars: each frame's lexicon hits per 1000 words, one bar per article.

    ``rates`` is :func:`course.sources.frame_rates`; ``articles`` (optional,
    :func:`course.datasets.load_seed_articles`) adds outlets and lengths to the legend.

    >>> from course import sources
    >>> from course.datasets import load_seed_articles, load_seed_frame_counts
    >>> rates = sources.frame_rates(load_seed_frame_counts(), load_seed_articles())
    >>> len(frame_rates_chart(rates).axes[0].patches) == rates.size
    True
    """
    import numpy as np

    fig, ax = _axes(ax, (9, 4))
    styles = [
        (OKABE_ITO["orange"], ""),
        (OKABE_ITO["blue"], "//"),
        (OKABE_ITO["bluish green"], ".."),
    ]
    outlets = articles.set_index("article_id") if articles is not None else None
    positions = np.arange(len(rates.columns))
    width = 0.8 / max(len(rates.index), 1)
    for i, article_id in enumerate(rates.index):
        colour, hatch = styles[i % len(styles)]
        label = str(article_id)
        if outlets is not None and article_id in outlets.index:
            row = outlets.loc[article_id]
            label += f": {row['outlet']} ({row['word_count']} words)"
        offset = (i - (len(rates.index) - 1) / 2) * width
        ax.bar(positions + offset, rates.loc[article_id], width, color=colour, hatch=hatch,
               edgecolor="white", label=label)  # fmt: skip
    ax.set_xticks(positions, rates.columns, fontsize=9)
    ax.set_ylabel("lexicon hits per 1000 words")
    ax.set_title("How often each frame's terms occur in the seed articles")
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    return fig


_BOUND_SIGN = {"fewer than": "<", "more than": ">", "about": "~", "by date": "", "exact": ""}


def bill_counts_chart(
    counts: pd.DataFrame, *, measure: str = "introduced", ax: Axes | None = None
) -> Figure:
    """Bars of AI bills per year, one colour and hatch per tracker, each labelled with its bound.

    ``counts`` is :func:`course.datasets.load_bill_counts`. A count given only "by"
    a date in the year is drawn paler, so a part-year tally is not read as a year.

    >>> from course.datasets import load_bill_counts
    >>> fig = bill_counts_chart(load_bill_counts())
    >>> sorted(t.get_text() for t in fig.axes[0].get_legend().get_texts())
    ['BSA', 'MultiState', 'NCSL']
    """
    fig, ax = _axes(ax, (8, 4))
    rows_all = counts[counts["measure"] == measure]
    styles = {
        "MultiState": (OKABE_ITO["blue"], ""),
        "BSA": (OKABE_ITO["orange"], "//"),
        "NCSL": (OKABE_ITO["bluish green"], ".."),
    }
    width = 0.8 / len(styles)
    for i, (tracker, (colour, hatch)) in enumerate(styles.items()):
        rows = rows_all[rows_all["tracker"] == tracker]
        offset = (i - (len(styles) - 1) / 2) * width
        bars = ax.bar(rows["year"].astype(int) + offset, rows["count"].astype(int), width=width,
                      color=colour, hatch=hatch, edgecolor="white", label=tracker)  # fmt: skip
        labels = [
            f"{_BOUND_SIGN[str(bound)]}{int(n):,}" + (" by March" if bound == "by date" else "")
            for bound, n in zip(rows["bound"], rows["count"], strict=True)
        ]
        ax.bar_label(bars, labels=labels, fontsize=7, padding=2)
        for bar, bound in zip(bars, rows["bound"], strict=True):
            if bound == "by date":
                bar.set_alpha(0.45)
    ax.set_xticks(sorted(rows_all["year"].astype(int).unique()))
    ax.set_ylabel(f"state AI bills {measure}")
    ax.set_title(f"Three trackers, three counts: state AI bills {measure} per year")
    ax.legend(title="tracker", fontsize=8, title_fontsize=8, loc="upper left")
    ax.grid(axis="y", alpha=0.3)
    return fig


def similarity_heatmap(
    similarity: pd.DataFrame, *, title: str = "", ax: Axes | None = None
) -> Figure:
    """A square heat map of a similarity matrix in [0, 1], each cell annotated.

    ``similarity`` is :func:`course.patchwork.jaccard_matrix` (or any square frame).

    >>> import pandas as pd
    >>> sim = pd.DataFrame([[1, 0.5], [0.5, 1]], index=["CA", "NY"], columns=["CA", "NY"])
    >>> [t.get_text() for t in similarity_heatmap(sim).axes[0].texts]
    ['1.00', '0.50', '0.50', '1.00']
    """
    fig, ax = _axes(ax, (6, 5))
    names = [str(s) for s in similarity.index]
    image = ax.imshow(similarity.to_numpy(dtype=float), cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(names)), names)
    ax.set_yticks(range(len(names)), names)
    for i in range(len(names)):
        for j in range(len(names)):
            value = float(similarity.iloc[i, j])
            ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=8,
                    color="white" if value > 0.6 else "black")  # fmt: skip
    fig.colorbar(image, ax=ax, label="Jaccard similarity of duty types")
    if title:
        ax.set_title(title, fontsize=10)
    return fig
