"""Interactive explorers for the lessons: thin views over tested pure functions.

Each explorer computes nothing itself: it calls a function of a topic module
(here :func:`course.compute.coverage`) and displays the result. ipywidgets and
matplotlib are imported when an explorer is built, not when ``course`` is.

In a notebook, ``threshold_explorer()`` as the last line of a cell shows the
threshold explorer; ``tests/test_widgets.py`` drives it without a browser, and
``tests/test_browser.py`` in a real one.
"""

from __future__ import annotations

import math

import pandas as pd

from course import compute, datasets

__all__ = ["ThresholdExplorer", "threshold_explorer", "instrument_options"]


def instrument_options(thresholds: pd.DataFrame) -> list[tuple[str, float]]:
    """(label, value) pairs for the instruments that set a training-compute number.

    >>> from course.datasets import load_compute_thresholds
    >>> labels = [label for label, _ in instrument_options(load_compute_thresholds())]
    >>> any("EU" in label for label in labels)
    True
    """
    rows = thresholds[thresholds["measure"].isin(["training compute", "fine-tuning compute"])]
    rows = rows.dropna(subset=["threshold"]).sort_values(["threshold", "threshold_id"])
    return [
        (
            f"{row.threshold_id} ({row.jurisdiction}, {row.status}): {row.threshold:.0e}",
            row.threshold,
        )
        for row in rows.itertuples(index=False)
    ]


class ThresholdExplorer:
    """A log-scale slider from 1e21 to 1e27 FLOP and what the threshold covers.

    Moving the slider (or picking an instrument) recomputes
    :func:`course.compute.coverage` and redraws: a summary line, the chart of all
    models with the threshold and the instruments' lines, the counts per year,
    and the covered models, organisations and countries.

    Attributes ``slider``, ``instrument``, ``summary``, ``figure`` and ``table`` are
    the widgets; ``result`` is the last value of ``coverage``.
    """

    def __init__(
        self,
        models: pd.DataFrame | None = None,
        thresholds: pd.DataFrame | None = None,
        *,
        value: float = 1e25,
    ):
        import ipywidgets as w

        self.models = datasets.load_notable_models() if models is None else models
        self.thresholds = datasets.load_compute_thresholds() if thresholds is None else thresholds
        self.slider = w.FloatLogSlider(
            value=value,
            base=10,
            min=21,
            max=27,
            step=0.1,
            description="threshold",
            readout_format=".1e",
            continuous_update=False,
            layout=w.Layout(width="560px"),
        )
        options = [("(move the slider, or pick an instrument)", None)]
        options += instrument_options(self.thresholds)
        self.instrument = w.Dropdown(
            options=options, description="instrument", layout=w.Layout(width="560px")
        )
        self.summary = w.HTML()
        self.figure = w.Output()
        self.table = w.Output()
        self.result: dict[str, object] = {}
        self.slider.observe(self._on_slider, names="value")
        self.instrument.observe(self._on_instrument, names="value")
        self.widget = w.VBox([self.instrument, self.slider, self.summary, self.figure, self.table])
        self._render()

    def set_threshold(self, value: float) -> None:
        """Move the slider to ``value`` (clipped to the slider's range) and redraw."""
        self.slider.value = value
        if not self.result or self.result["threshold"] != self.slider.value:
            self._render()

    def _on_slider(self, change: dict) -> None:
        self._render()

    def _on_instrument(self, change: dict) -> None:
        if change["new"] is not None:
            self.set_threshold(change["new"])

    def _render(self) -> None:
        import matplotlib.pyplot as plt
        from IPython.display import display

        from course import plots

        threshold = self.slider.value
        self.result = result = compute.coverage(self.models, threshold)
        by_year = result["by_year"]
        busiest = by_year.idxmax() if by_year.max() > 0 else None
        exponent = math.log10(threshold)
        self.summary.value = (
            f"<b>{threshold:.2e} FLOP</b> (10<sup>{exponent:.1f}</sup>): "
            f"<b>{result['n_models']}</b> of {len(self.models)} models "
            f"({result['share']:.0%}), from {len(result['organisations'])} organisations in "
            f"{len(result['countries'])} countries"
            + (f"; most in {busiest} ({by_year.max()})" if busiest is not None else "")
            + "."
        )
        self.figure.clear_output(wait=True)
        with self.figure:
            fig, (left, right) = plt.subplots(
                1, 2, figsize=(12, 4), layout="constrained", width_ratios=(2, 1)
            )
            plots.threshold_chart(self.models, threshold, instruments=self.thresholds, ax=left)
            plots.counts_by_year_chart(by_year, ax=right)
            plt.show()
        self.table.clear_output(wait=True)
        with self.table:
            covered = result["models"][
                ["model", "organisation", "country", "release_date", "training_flop"]
            ]
            display(covered.reset_index(drop=True))
            display(
                pd.concat(
                    {"organisations": result["organisations"], "countries": result["countries"]},
                    axis=0,
                ).to_frame("models")
            )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def threshold_explorer(**kwargs: object) -> ThresholdExplorer:
    """Build a :class:`ThresholdExplorer`; in a notebook, leave it as a cell's last line."""
    return ThresholdExplorer(**kwargs)
