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


# --- figures everyone can read: categories not by colour alone, and a description each ------


def test_tile_map_categories_differ_by_hatch_as_well_as_colour():
    import pandas as pd

    values = pd.Series(
        {"CA": "several topics", "IL": "several topics", "NY": "employment", "CT": "disclosure"}
    )
    fig = plots.state_tile_map(values)
    ax = fig.axes[0]
    tiles = {
        text.get_text(): patch
        for text, patch in zip(ax.texts, ax.patches, strict=True)  # one label per tile
    }
    assert tiles["CA"].get_hatch() == tiles["IL"].get_hatch(), "one category, one pattern"
    patterns = {tiles[s].get_hatch() or "" for s in ("CA", "NY", "CT")}
    assert len(patterns) == 3, "three categories need three patterns"
    legend = ax.get_legend()
    keys = {
        t.get_text(): h.get_hatch() or ""
        for t, h in zip(legend.get_texts(), legend.legend_handles, strict=True)
    }
    assert keys["several topics"] == (tiles["CA"].get_hatch() or "")
    assert keys["employment"] == (tiles["NY"].get_hatch() or "")


def _all_figures():
    import pandas as pd

    from course import compute, datasets, patchwork, review, sources, timeline

    policy = datasets.load_federal_timeline()
    claims = datasets.load_seed_claims()
    gaps = sources.date_gaps(sources.evidence_table(claims, datasets.load_claim_evidence()))
    rates = sources.frame_rates(datasets.load_seed_frame_counts(), datasets.load_seed_articles())
    models = datasets.load_notable_models()
    curve = review.benefit_curve(review.ReviewAssumptions(0.8, 0.5, 30, 0.1, 1000, 0.5), range(181))
    sim = pd.DataFrame([[1, 0.25], [0.25, 1]], index=["CA", "NY"], columns=["CA", "NY"])
    return {
        "timeline": plots.timeline_chart(policy),
        "force": plots.force_by_year_chart(timeline.force_by_year(policy)),
        "threshold": plots.threshold_chart(models, 1e26),
        "counts": plots.counts_by_year_chart(compute.counts_by_year(models, 1e25)),
        "race": plots.race_figure(),
        "review": plots.review_figure(curve),
        "tiles": plots.state_tile_map(pd.Series({"CA": 3, "NY": 1})),
        "gaps": plots.date_gap_figure(gaps),
        "frames": plots.frame_rates_chart(rates),
        "bills": plots.bill_counts_chart(datasets.load_bill_counts()),
        "similarity": plots.similarity_heatmap(sim),
    }, {"models": models, "patchwork": patchwork}


def test_every_plot_function_describes_what_it_drew():
    figures, data = _all_figures()
    drawers = {n for n in plots.__all__ if n.endswith(("_chart", "_figure", "_map", "_heatmap"))}
    assert len(figures) == len(drawers), "a plot function is missing from this test"
    for name, fig in figures.items():
        text = plots.describe(fig)
        assert len(text) > 60 and not text.startswith("Figure with"), f"{name}: {text!r}"
    models = data["models"]
    above = models[models["training_flop"] > 1e26]
    text = plots.describe(figures["threshold"])
    assert f"{len(above)} models lie above" in text or f"{len(above)} model lies above" in text
    assert f"for {len(models)} models" in text
    assert "CA 3, NY 1" in plots.describe(figures["tiles"])
    assert "Most alike: CA and NY (0.25)" in plots.describe(figures["similarity"])


def test_a_description_follows_the_data():
    import pandas as pd

    one = plots.describe(plots.counts_by_year_chart(pd.Series([1, 4], index=[2024, 2025])))
    two = plots.describe(plots.counts_by_year_chart(pd.Series([1, 5], index=[2024, 2025])))
    assert "2025: 4" in one and "2025: 5" in two


def test_two_panels_of_one_figure_are_both_described():
    import matplotlib.pyplot as plt
    import pandas as pd

    from course.datasets import load_notable_models

    fig, (left, right) = plt.subplots(1, 2)
    plots.counts_by_year_chart(pd.Series([2], index=[2025]), ax=right)
    plots.threshold_chart(load_notable_models(), 1e25, ax=left)
    text = plots.describe(fig)
    assert text.startswith("Scatter plot") and "Bar chart" in text


def test_set_description_refuses_empty_text():
    import matplotlib.pyplot as plt
    import pytest

    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="non-empty"):
        plots.set_description(fig, "  ")


def test_a_figure_drawn_elsewhere_is_described_from_its_labels():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([1, 2], label="share")
    ax.set_xlabel("year")
    ax.legend()
    assert plots.describe(fig) == "Figure with a chart x axis: year; legend: share."


def test_alt_wrapper_keeps_the_formatters_data_and_metadata():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    plots.set_description(fig, "Two dots.", ax=ax)
    plain = plots._with_alt(lambda f: b"PNG")
    assert plain(fig) == (b"PNG", {"alt": "Two dots."})
    with_md = plots._with_alt(lambda f: (b"PNG", {"width": 3}))
    assert with_md(fig) == (b"PNG", {"width": 3, "alt": "Two dots."})
    assert plots._with_alt(lambda f: None)(fig) is None


def test_figures_in_a_real_kernel_carry_their_description_as_alt_text(tmp_path):
    """The inline backend's PNG output gets ``metadata["image/png"]["alt"]``, as nbconvert reads."""
    import os

    import nbformat
    from nbclient import NotebookClient

    v4 = nbformat.v4
    nb = v4.new_notebook(
        cells=[
            v4.new_code_cell(
                "import matplotlib.pyplot as plt\nimport pandas as pd\nfrom course import plots"
            ),
            v4.new_code_cell(
                "fig = plots.counts_by_year_chart(pd.Series([3], index=[2025]))\nplt.show()"
            ),
            v4.new_code_cell("fig, ax = plt.subplots()\nax.set_title('Plain')\nplt.show()"),
        ]
    )
    env = dict(os.environ, MPLBACKEND="module://matplotlib_inline.backend_inline")
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute(env=env)
    (drawn,) = [o for o in nb.cells[1].outputs if "image/png" in o.get("data", {})]
    assert (
        drawn.metadata["image/png"]["alt"]
        == "Bar chart of models above the threshold, by release year: 2025: 3."
    )
    (plain,) = [o for o in nb.cells[2].outputs if "image/png" in o.get("data", {})]
    assert plain.metadata["image/png"]["alt"] == "Figure with a chart titled 'Plain'."
