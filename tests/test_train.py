"""The trainable event model: train, cross-validate, save, load, combine with the lexicon."""

from __future__ import annotations

import csv
import json

from click.testing import CliRunner

from communique.cli import cli

TEMPLATES = {
    "ASSAULT": ["{a} forces shelled villages in {b} overnight.", "{a} drones hit a depot in {b}."],
    "AID": ["{a} sent food aid and medicine to {b}.", "{a} pledged humanitarian assistance for {b}."],
    "CONSULT": ["The foreign ministers of {a} and {b} met in Geneva.", "{a} held talks with {b} on trade."],
}
COUNTRIES = ["France", "Kenya", "Peru", "Japan", "Chile", "Ghana", "Nepal", "Oman", "Mali", "Fiji"]


def _write_csv(path):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        for label, templates in TEMPLATES.items():
            for i, a in enumerate(COUNTRIES):
                b = COUNTRIES[(i + 3) % len(COUNTRIES)]
                for template in templates:
                    writer.writerow([template.format(a=a, b=b), label])


def test_train_cross_validate_and_use(tmp_path):
    data = tmp_path / "train.csv"
    _write_csv(data)
    out = tmp_path / "model"
    runner = CliRunner()
    result = runner.invoke(cli, ["train", "events", "--data", str(data), "--cv", "3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["folds"] == 3 and report["macro_f1_mean"] > 0.8
    meta = json.loads((out / "model.json").read_text())
    assert meta["rows"] == 60 and meta["labels"] == ["AID", "ASSAULT", "CONSULT"]

    article = tmp_path / "a.txt"
    article.write_text("Peruvian forces shelled villages in Chile overnight.", encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(article), "--event-model", str(out), "-q"])
    assert result.exit_code == 0, result.output
    events = json.loads(result.stdout)["events"]
    assert events and events[0]["type"] == "ASSAULT"
    assert {e["method"] for e in events} & {"lexicon+model", "model"}


def test_bad_training_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("sentence,category\nx,y\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["train", "events", "--data", str(bad)])
    assert result.exit_code != 0 and "text,label" in result.output


def test_missing_event_model_is_a_clear_error(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Kenya sent aid to Somalia.", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(article), "--event-model", str(tmp_path / "none")])
    assert result.exit_code != 0
    assert "no event model" in (result.output + str(result.exception))
