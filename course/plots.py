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
>>> [t.get_text() for t in fig.axes[0].get_yticklabels()][:2]
['executive order', 'memo']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["OKABE_ITO", "FORCE_STYLE", "timeline_chart", "force_by_year_chart"]

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

_KINDS = (
    "executive order",
    "memo",
    "statute",
    "voluntary commitment",
    "framework",
    "agency action",
    "event",
)


def _axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=size, layout="constrained")
        return fig, ax
    return ax.figure, ax


def timeline_chart(
    timeline: pd.DataFrame,
    *,
    as_of: str = "2026-11-25",
    label: tuple[str, ...] = ("eo-13859", "eo-14110", "eo-14148", "eo-14365", "eo-14409"),
    ax: Axes | None = None,
) -> Figure:
    """One lane per kind of instrument; a marker per row, a bar for how long it lasted.

    Marker colour and shape show ``force`` (binding, voluntary, n/a). A bar runs from
    an instrument's date to its end (or to ``as_of`` when still in force, drawn
    dashed). Rows whose ``event_id`` is in ``label`` are annotated.
    """
    from matplotlib.lines import Line2D

    fig, ax = _axes(ax, (11, 4.8))
    end_of_view = pd.Timestamp(as_of)
    lanes = {kind: i for i, kind in enumerate(_KINDS)}
    for row in timeline.itertuples(index=False):
        y = lanes[str(row.kind)]
        colour, marker = FORCE_STYLE[str(row.force)]
        if row.kind != "event" and row.status != "not signed":
            ended = row.ended if pd.notna(row.ended) else end_of_view
            ax.plot(
                [row.date, ended],
                [y, y],
                color=colour,
                alpha=0.35,
                linewidth=5,
                linestyle="-" if pd.notna(row.ended) else (0, (2, 1)),
                solid_capstyle="butt",
            )
        hollow = row.status == "not signed"
        ax.scatter(
            [row.date],
            [y],
            s=55,
            marker=marker,
            facecolors="white" if hollow else colour,
            edgecolors=colour,
            linewidths=1.5,
            zorder=3,
        )
        if row.event_id in label:
            ax.annotate(
                row.short_name,
                (row.date, y),
                xytext=(0, 9),
                textcoords="offset points",
                ha="center",
                fontsize=8,
            )
    ax.set_yticks(range(len(_KINDS)), _KINDS)
    ax.invert_yaxis()
    ax.set_xlim(pd.Timestamp("2016-01-01"), end_of_view + pd.Timedelta(days=60))
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(
        "US federal AI policy, 2016-2026: instruments, their force, and how long they lasted"
    )
    ax.set_xlabel("date (bars: time in effect; dashed: still in effect on " + as_of + ")")
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
