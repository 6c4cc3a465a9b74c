"""course.widgets: the threshold explorer shows what course.compute.coverage computes."""

from __future__ import annotations

import pytest

from course import compute, widgets
from course.datasets import load_compute_thresholds, load_notable_models


@pytest.fixture
def explorer(capsys):
    built = widgets.threshold_explorer()
    capsys.readouterr()  # outside a kernel, the Output widgets print; keep the log quiet
    return built


def test_slider_spans_1e21_to_1e27_on_a_log_scale(explorer):
    assert (explorer.slider.min, explorer.slider.max, explorer.slider.base) == (21, 27, 10)
    assert explorer.slider.value == pytest.approx(1e25)


@pytest.mark.parametrize("threshold", [1e22, 1e25, 1e26])
def test_moving_the_slider_shows_the_coverage(explorer, threshold, capsys):
    explorer.slider.value = threshold
    capsys.readouterr()
    expected = compute.coverage(load_notable_models(), threshold)
    assert explorer.result["n_models"] == expected["n_models"]
    assert f"<b>{expected['n_models']}</b> of 49 models" in explorer.summary.value
    assert list(explorer.result["models"]["model"]) == list(expected["models"]["model"])


def test_picking_an_instrument_moves_the_slider(explorer, capsys):
    options = dict(explorer.instrument.options)
    label = next(label for label in options if label and label.startswith("eu-ai-act"))
    explorer.instrument.value = options[label]
    capsys.readouterr()
    assert explorer.slider.value == pytest.approx(1e25)
    label = next(label for label in options if label and label.startswith("ca-sb-53"))
    explorer.instrument.value = options[label]
    capsys.readouterr()
    assert explorer.slider.value == pytest.approx(1e26)
    assert explorer.result["n_models"] == len(compute.models_above(load_notable_models(), 1e26))


def test_instrument_options_list_only_numeric_training_thresholds():
    options = widgets.instrument_options(load_compute_thresholds())
    values = [value for _, value in options]
    assert values == sorted(values)
    assert set(values) <= {1e25, 3e25, 1e26}
    assert not any("eo-14409" in label for label, _ in options)


def test_race_explorer_shows_the_closed_form_and_a_matching_simulation(capsys):
    from course import race

    explorer = widgets.race_explorer()
    explorer.n.value = 5
    explorer.mu.value = 0.5
    explorer.enmity.value = 0.5
    explorer.information.value = "public"
    capsys.readouterr()
    exact, simulated = explorer.result
    assert exact == pytest.approx(race.disaster_probability(5, 0.5, 0.5, "public"))
    assert simulated.agrees_with(exact)
    assert f"<b>{exact:.3f}</b>" in explorer.summary.value


def test_review_explorer_follows_its_sliders(capsys):
    from course import review

    explorer = widgets.review_explorer()
    explorer.controls["cost_per_day"].value = 100.0
    capsys.readouterr()
    assert explorer.assumptions.cost_per_day == pytest.approx(100.0)
    assert "Best window up to 180 days: <b>0 days</b>" in explorer.summary.value
    explorer.controls["cost_per_day"].value = 0.5
    explorer.window.value = 30
    capsys.readouterr()
    net = review.expected_net_benefit(30, explorer.assumptions)
    assert f"<b>{net:,.2f}</b>" in explorer.summary.value


def test_compliance_explorer_follows_profile_and_date(capsys):
    import datetime

    from course import patchwork

    explorer = widgets.compliance_explorer()
    capsys.readouterr()
    assert explorer.table["law_id"].tolist() == ["ca-sb-53"]
    explorer.on.value = datetime.date(2027, 1, 1)
    capsys.readouterr()
    assert explorer.table["law_id"].tolist() == ["ca-sb-53", "ny-raise-act"]
    explorer.revenue.value = 1e8
    capsys.readouterr()
    assert explorer.table.empty
    assert "<b>0</b> law(s)" in explorer.summary.value
    explorer.activities.value = ["hiring-tool"]
    explorer.states.value = ["IL", "NY"]
    capsys.readouterr()
    expected = patchwork.applicable_laws(explorer.profile(), "2027-01-01")
    assert (
        explorer.table["law_id"].tolist()
        == expected["law_id"].tolist()
        == [
            "il-hb-3773",
            "nyc-ll-144",
        ]
    )
