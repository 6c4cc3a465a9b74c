"""course.plots: figures draw every row, in the colour-blind-safe style, and import lazily."""

from __future__ import annotations

import subprocess
import sys

from course import plots
from course.datasets import load_federal_timeline
from course.timeline import force_by_year, undated_ends


def test_timeline_chart_draws_one_marker_per_row_and_labels():
    t = load_federal_timeline()
    fig = plots.timeline_chart(t)
    ax = fig.axes[0]
    markers = [c for c in ax.collections if len(c.get_offsets()) == 1]
    assert len(markers) == len(t)
    labels = [label.get_text() for label in ax.get_yticklabels()]
    assert labels == t.sort_values("date", kind="stable")["short_name"].tolist()
    texts = [text.get_text() for text in ax.texts]
    assert {"Obama", "Trump I", "Biden", "Trump II"} <= set(texts)
    # every row that ended on an unrecorded day says so
    assert texts.count("ended, date unknown") == len(undated_ends(t))
    assert {h.get_label() for h in ax.get_legend().legend_handles} >= {"binding", "voluntary"}


def test_force_by_year_chart_stacks_to_the_table():
    table = force_by_year(load_federal_timeline())
    fig = plots.force_by_year_chart(table)
    bars = fig.axes[0].patches
    assert len(bars) == 2 * len(table)
    heights = [b.get_height() for b in bars]
    assert sum(heights) == int(table.to_numpy().sum())


def test_palette_is_okabe_ito():
    colours = {c for c, _ in plots.FORCE_STYLE.values()}
    assert colours <= set(plots.OKABE_ITO.values())
    markers = [m for _, m in plots.FORCE_STYLE.values()]
    assert len(set(markers)) == len(markers), "colour must be doubled by marker shape"


def test_importing_course_stays_light():
    code = (
        "import sys, course, course.datasets, course.timeline, course.plots, course.checks;"
        "print(any(m in sys.modules for m in ('matplotlib', 'ipywidgets')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_tile_grid_has_every_state_once():
    from course.datasets import STATES

    assert set(plots.STATE_TILES) == set(STATES)
    assert len(set(plots.STATE_TILES.values())) == len(STATES), "two states share a tile"


def test_tile_map_colours_by_category_and_number():
    import pandas as pd

    fig = plots.state_tile_map(pd.Series({"CA": "frontier safety", "CO": "automated decisions"}))
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["automated decisions", "frontier safety", "no law in the data"]
    fig = plots.state_tile_map(pd.Series({"CA": 4, "IL": 2}))
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert "CA\n4" in texts and "IL\n2" in texts and "WY" in texts


def test_threshold_chart_labels_each_instrument_line_once_on_one_line():
    from course.datasets import load_compute_thresholds, load_notable_models

    thresholds = load_compute_thresholds()
    fig = plots.threshold_chart(load_notable_models(), 1e25, instruments=thresholds)
    labels = [t.get_text() for t in fig.axes[0].texts]
    numeric = thresholds[thresholds["measure"].isin(["training compute", "fine-tuning compute"])]
    assert len(labels) == numeric["threshold"].nunique()
    assert all("\n" not in label for label in labels)
    at_1e26 = (numeric["threshold"] == 1e26).sum()
    assert any(label.endswith(f"+{at_1e26 - 2} more") for label in labels)
