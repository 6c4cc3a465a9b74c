"""Interactive explorers for the lessons: thin views over tested pure functions.

Each explorer computes nothing itself: it calls a function of a topic module
(here :func:`course.compute.coverage`) and displays the result. ipywidgets and
matplotlib are imported when an explorer is built, not when ``course`` is.

In a notebook, ``threshold_explorer()`` as the last line of a cell shows the
threshold explorer; ``tests/test_widgets.py`` drives it without a browser, and
``tests/test_browser.py`` in a real one.

Static pages cannot run a kernel. When the environment variable ``COURSE_STATIC``
is ``1`` (the site build, ``python -m course.site build``, sets it for the lessons'
kernels), an explorer displays a snapshot instead of its controls: the summary, the
figure it draws at its starting settings, and a note on how to open the live version.
"""

from __future__ import annotations

import math
import os

import pandas as pd

from course import compute, datasets
from course.datasets import FACTS_AS_OF

__all__ = [
    "ThresholdExplorer",
    "threshold_explorer",
    "instrument_options",
    "RaceExplorer",
    "race_explorer",
    "ReviewExplorer",
    "review_explorer",
    "ComplianceExplorer",
    "compliance_explorer",
    "STATIC_NOTE",
    "static_mode",
]

#: What a static snapshot of an explorer says under its figure.
STATIC_NOTE = (
    "This is a static snapshot. Run `make lab` and open this lesson in JupyterLab to use the "
    "live explorer."
)


def static_mode() -> bool:
    """True when explorers should display a static snapshot (``COURSE_STATIC=1``).

    >>> import os
    >>> static_mode() == (os.environ.get("COURSE_STATIC") == "1")
    True
    """
    return os.environ.get("COURSE_STATIC", "") == "1"


def _display_static(summary: str, figure: object, *extra: object) -> None:
    """Show an explorer's summary, ``extra`` outputs (tables), its figure and the note."""
    import html

    import matplotlib.pyplot as plt
    from IPython.display import display

    display({"text/html": summary, "text/plain": html.unescape(summary)}, raw=True)
    for item in extra:
        display(item)
    display(figure)
    plt.close(figure)
    note = html.escape(STATIC_NOTE).replace("`make lab`", "<code>make lab</code>")
    display(
        {
            "text/html": f'<p class="course-static-note"><em>{note}</em></p>',
            "text/plain": STATIC_NOTE,
        },
        raw=True,
    )


def _roomy(*controls: object, label: str = "150px", width: str = "540px") -> None:
    """Give sliders room for their whole label and a usable track."""
    for control in controls:
        control.style = {"description_width": label}
        control.layout.width = width


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


class _Explorer:
    """What every explorer shares: it shows its widget box in a live notebook and, under
    ``COURSE_STATIC=1`` (the website build), a static snapshot of its summary and figure.

    Subclasses set ``widget`` and ``summary`` and define ``_draw()``.
    """

    widget: object
    summary: object

    def _draw(self) -> object:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def _static_extras(self) -> tuple[object, ...]:
        """Anything shown below the figure in the static snapshot."""
        return ()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        if static_mode():
            _display_static(self.summary.value, self._draw(), *self._static_extras())
            return
        display(self.widget)


class ThresholdExplorer(_Explorer):
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
            self._draw()
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

    def _draw(self):
        """The figure for the current threshold: all models with the line, counts per year."""
        import matplotlib.pyplot as plt

        from course import plots

        fig, (left, right) = plt.subplots(
            1, 2, figsize=(12, 4), layout="constrained", width_ratios=(2, 1)
        )
        threshold = self.result["threshold"]
        plots.threshold_chart(self.models, threshold, instruments=self.thresholds, ax=left)
        plots.counts_by_year_chart(self.result["by_year"], ax=right)
        return fig


def threshold_explorer(**kwargs: object) -> ThresholdExplorer:
    """Build a :class:`ThresholdExplorer`; in a notebook, leave it as a cell's last line."""
    return ThresholdExplorer(**kwargs)


class RaceExplorer(_Explorer):
    """Sliders for the racing model: teams, mu, enmity and the information condition.

    Shows the closed-form probability of disaster (:func:`course.race.disaster_probability`),
    a seeded simulation of the same game (:func:`course.race.simulate`) and the
    risk curve against mu for the chosen teams and enmity, all three conditions.
    ``result`` holds the last ``(exact, simulation)`` pair.
    """

    def __init__(
        self, *, n: int = 2, mu: float = 1.0, enmity: float = 1.0, information: str = "private"
    ):
        import ipywidgets as w

        from course import race

        self.n = w.IntSlider(value=n, min=2, max=10, description="teams n")
        self.mu = w.FloatSlider(value=mu, min=0.05, max=8.0, step=0.05, description="mu")
        self.enmity = w.FloatSlider(
            value=enmity, min=0.05, max=1.0, step=0.05, description="enmity e"
        )
        self.information = w.ToggleButtons(
            options=list(race.INFORMATION), value=information, description="information"
        )
        for control in (self.n, self.mu, self.enmity, self.information):
            control.continuous_update = False
            control.observe(self._render, names="value")
        self.summary = w.HTML()
        self.figure = w.Output()
        self.result: tuple[float, object] | None = None
        self.widget = w.VBox(
            [w.HBox([self.n, self.mu, self.enmity]), self.information, self.summary, self.figure]
        )
        self._render()

    def _render(self, change: dict | None = None) -> None:
        import matplotlib.pyplot as plt

        from course import race

        n, mu, e, info = self.n.value, self.mu.value, self.enmity.value, self.information.value
        exact = race.disaster_probability(n, mu, e, info)
        simulated = race.simulate(n, mu, e, info, races=20_000, seed=0)
        self.result = (exact, simulated)
        self.summary.value = (
            f"P(disaster) = <b>{exact:.3f}</b> in equilibrium (closed form); "
            f"a simulation of 20,000 races gives {simulated.probability:.3f} "
            f"&plusmn; {2 * simulated.standard_error:.3f}."
        )
        self.figure.clear_output(wait=True)
        with self.figure:
            self._draw()
            plt.show()

    def _draw(self):
        """The risk curves against mu for the chosen teams and enmity, with the chosen point."""
        import matplotlib.pyplot as plt
        import numpy as np

        from course import race
        from course.plots import INFORMATION_STYLE

        n, mu, e = self.n.value, self.mu.value, self.enmity.value
        exact = self.result[0]
        mus = np.linspace(0.01, max(8.0, mu), 300)
        fig, ax = plt.subplots(figsize=(7, 3.2), layout="constrained")
        for name, (colour, style) in INFORMATION_STYLE.items():
            ax.plot(
                mus, race.risk_curve(n, e, name, mus), color=colour, linestyle=style, label=name
            )
        ax.plot([mu], [exact], "o", color="black", label="your choice")
        ax.set_xlabel("mu (how much capability matters)")
        ax.set_ylabel("P(disaster)")
        ax.set_title(f"n = {n} teams, enmity e = {e:.2f}")
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
        return fig


def race_explorer(**kwargs: object) -> RaceExplorer:
    """Build a :class:`RaceExplorer`; in a notebook, leave it as a cell's last line."""
    return RaceExplorer(**kwargs)


class ReviewExplorer(_Explorer):
    """Sliders for the review-window model of :mod:`course.review`.

    A drop-down picks one of the labelled :data:`course.review.ASSUMPTION_SETS`
    (pro-innovation, neutral, safety) and sets every slider from it; the sliders then
    move single assumptions. Shows the net benefit at the chosen window, the best
    window, and the curve of harm avoided, delay cost and net benefit (with the 30-
    and 90-day marks). ``assumptions`` holds the last
    :class:`course.review.ReviewAssumptions`.
    """

    #: the drop-down's entry for assumptions that match none of the labelled sets
    CUSTOM = "your own"

    def __init__(
        self, assumptions: object | None = None, *, window: float = 90, preset: str = "neutral"
    ):
        import ipywidgets as w

        from course.review import ASSUMPTION_SETS, assumption_set

        if assumptions is None:
            a = assumption_set(preset)
        else:
            a = assumptions
            matching = [name for name, known in ASSUMPTION_SETS.items() if known == a]
            preset = matching[0] if matching else self.CUSTOM
        self.preset = w.Dropdown(
            options=[*ASSUMPTION_SETS, self.CUSTOM], value=preset, description="assumptions"
        )
        self.window = w.IntSlider(value=int(window), min=0, max=180, description="window (days)")
        self.controls = {
            "participation": w.FloatSlider(value=a.participation, min=0, max=1, step=0.05),
            "participation_decay": w.FloatSlider(
                value=a.participation_decay, min=0, max=0.05, step=0.001, readout_format=".3f"
            ),
            "detection_max": w.FloatSlider(value=a.detection_max, min=0, max=1, step=0.05),
            "detection_days": w.FloatSlider(value=a.detection_days, min=1, max=120, step=0.5),
            "flaw": w.FloatSlider(value=a.flaw, min=0, max=1, step=0.005),
            "harm": w.FloatLogSlider(value=a.harm, base=10, min=0, max=5),
            "cost_per_day": w.FloatLogSlider(value=a.cost_per_day, base=10, min=-2, max=2),
        }
        for name, control in self.controls.items():
            control.description = name
        _roomy(self.preset, self.window, *self.controls.values())
        self._applying_preset = False
        for control in [self.window, *self.controls.values()]:
            control.continuous_update = False
            control.observe(self._render, names="value")
        self.preset.observe(self._apply_preset, names="value")
        self.summary = w.HTML()
        self.figure = w.Output()
        self.assumptions = a
        self.widget = w.VBox(
            [self.preset, self.window, *self.controls.values(), self.summary, self.figure]
        )
        self._render()

    def _apply_preset(self, change: dict | None = None) -> None:
        """Set every slider from the chosen labelled set, then redraw once."""
        from course.review import ASSUMPTION_SETS

        chosen = ASSUMPTION_SETS.get(self.preset.value)
        if chosen is None:  # "your own": keep the sliders where they are
            return
        self._applying_preset = True
        try:
            for name, control in self.controls.items():
                control.value = getattr(chosen, name)
        finally:
            self._applying_preset = False
        self.assumptions = chosen
        self._render()

    def _render(self, change: dict | None = None) -> None:
        import matplotlib.pyplot as plt

        from course import review

        if self._applying_preset:
            return
        a = self.assumptions.with_(**{k: c.value for k, c in self.controls.items()})
        moved_slider = change is not None and change.get("owner") in self.controls.values()
        left_preset = a != review.ASSUMPTION_SETS.get(self.preset.value)
        if moved_slider and self.preset.value != self.CUSTOM and left_preset:
            self.preset.unobserve(self._apply_preset, names="value")
            self.preset.value = self.CUSTOM
            self.preset.observe(self._apply_preset, names="value")
        self.assumptions = a
        window = self.window.value
        net = review.expected_net_benefit(window, a)
        best, best_net = review.best_window(a, longest=180)
        self.summary.value = (
            f"At {window} days: net benefit <b>{net:,.2f}</b> per year "
            f"(participation {review.participation(window, a):.0%}, detection "
            f"{review.detection(window, a):.0%}). Best window up to 180 days: "
            f"<b>{best} days</b> ({best_net:,.2f})."
        )
        self.figure.clear_output(wait=True)
        with self.figure:
            self._draw()
            plt.show()

    def _draw(self):
        """Harm avoided, delay cost and net benefit against the window, the chosen one marked."""
        from course import review
        from course.plots import review_figure

        fig = review_figure(review.benefit_curve(self.assumptions, range(0, 181)))
        fig.axes[0].axvline(self.window.value, color="black", linewidth=1)
        return fig


def review_explorer(**kwargs: object) -> ReviewExplorer:
    """Build a :class:`ReviewExplorer`; in a notebook, leave it as a cell's last line."""
    return ReviewExplorer(**kwargs)


class ComplianceExplorer(_Explorer):
    """Choose a company profile and a date; see the state laws that apply and why.

    A thin view over :func:`course.patchwork.applicable_laws`: states, activities,
    training compute, revenue and users make a :class:`course.patchwork.CompanyProfile`;
    the explorer shows the applicable laws with the triggers that matched, the
    distinct obligations, and a tile map of how many laws apply in each state.
    ``table`` holds the last result of ``applicable_laws``.
    """

    def __init__(self, *, states: tuple[str, ...] = ("CA", "NY"), on: str = FACTS_AS_OF):
        import datetime

        import ipywidgets as w

        from course.patchwork import ACTIVITIES, STATES

        self.states = w.SelectMultiple(
            options=list(STATES), value=list(states), rows=8, description="operates in"
        )
        self.activities = w.SelectMultiple(
            options=list(ACTIVITIES), value=["frontier-model"], rows=8, description="does"
        )
        self.training_flop = w.FloatLogSlider(
            value=3e26, base=10, min=20, max=28, step=0.1, description="training FLOP",
            readout_format=".1e",
        )  # fmt: skip
        self.revenue = w.FloatLogSlider(
            value=2e9,
            base=10,
            min=5,
            max=12,
            step=0.1,
            description="revenue $",
            readout_format=".1e",
        )
        self.users = w.FloatLogSlider(
            value=1e5, base=10, min=2, max=9, step=0.1, description="monthly users",
            readout_format=".1e",
        )  # fmt: skip
        self.on = w.DatePicker(value=datetime.date.fromisoformat(on), description="on")
        _roomy(self.training_flop, self.revenue, self.users, width="480px", label="120px")
        controls = (
            self.states,
            self.activities,
            self.training_flop,
            self.revenue,
            self.users,
            self.on,
        )
        for control in controls:
            if hasattr(control, "continuous_update"):
                control.continuous_update = False
            control.observe(self._render, names="value")
        self.summary = w.HTML()
        self.output = w.Output()
        self.table = None
        self.widget = w.VBox(
            [
                w.HBox([self.states, self.activities]),
                self.training_flop,
                self.revenue,
                self.users,
                self.on,
                self.summary,
                self.output,
            ]
        )
        self._render()

    def profile(self):
        """The :class:`course.patchwork.CompanyProfile` the controls describe."""
        from course.patchwork import CompanyProfile

        return CompanyProfile(
            states=tuple(self.states.value) or ("CA",),
            activities=tuple(self.activities.value),
            training_flop=self.training_flop.value,
            revenue_usd=self.revenue.value,
            monthly_users=self.users.value,
        )

    def _render(self, change: dict | None = None) -> None:
        import matplotlib.pyplot as plt
        from IPython.display import display

        from course import patchwork

        if not self.states.value:
            self.summary.value = "Pick at least one state."
            return
        if self.on.value is None:
            self.summary.value = "Pick a date."
            return
        self.table = table = patchwork.applicable_laws(self.profile(), self.on.value)
        duties = patchwork.distinct_obligations(table)
        self.summary.value = (
            f"<b>{len(table)}</b> law(s) apply on {self.on.value}, with "
            f"<b>{len(duties)}</b> distinct obligation(s)"
            + (f": {', '.join(duties)}." if duties else ".")
        )
        self.output.clear_output(wait=True)
        with self.output:
            display(table[["state", "short_name", "why", "obligations"]])
            self._draw()
            plt.show()

    def _draw(self):
        """The tile map of how many of the applicable laws each chosen state has."""
        from course import plots

        table = self.table
        per_state = table.groupby("state").size() if len(table) else pd.Series(dtype=int)
        per_state = per_state.reindex(list(self.states.value), fill_value=0)
        return plots.state_tile_map(
            per_state, title="laws that apply, by state (grey: not chosen)",
            missing_label="state not chosen",
        )  # fmt: skip

    def _static_extras(self) -> tuple[object, ...]:
        if self.table is None:
            return ()
        return (self.table[["state", "short_name", "why", "obligations"]],)


def compliance_explorer(**kwargs: object) -> ComplianceExplorer:
    """Build a :class:`ComplianceExplorer`; in a notebook, leave it as a cell's last line."""
    return ComplianceExplorer(**kwargs)
