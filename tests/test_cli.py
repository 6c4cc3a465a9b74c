"""course.cli: the `course` command lists, checks and documents the datasets."""

from __future__ import annotations

import pytest

from course import cli, datasets


def test_datasets_lists_every_dataset(capsys):
    assert cli.main(["datasets"]) == 0
    out = capsys.readouterr().out
    for name in datasets.available():
        assert name in out


def test_check_data_passes_on_the_shipped_files(capsys):
    assert cli.main(["check-data"]) == 0
    assert capsys.readouterr().out.count("ok ") == len(datasets.available())


def test_check_data_fails_and_names_the_problem(monkeypatch, capsys):
    def broken(name):
        raise datasets.DatasetError("claims.csv", 5, "verdict", "'true' is not allowed")

    monkeypatch.setattr(datasets, "load", broken)
    assert cli.main(["check-data"]) == 1
    assert "claims.csv, row 5, column 'verdict'" in capsys.readouterr().err


def test_card_prints_the_card(capsys):
    assert cli.main(["card", "federal_timeline"]) == 0
    assert datasets.facts_as_of_text() in capsys.readouterr().out


def test_unknown_card_is_refused():
    with pytest.raises(SystemExit):
        cli.main(["card", "nope"])
