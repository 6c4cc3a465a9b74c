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
