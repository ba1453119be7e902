"""The committed JSON Schema matches the models, and real output validates against it."""

from __future__ import annotations

import json

import jsonschema

from communique.models import Result, json_schema
from conftest import REPO


def test_committed_schema_is_current():
    committed = json.loads((REPO / "docs" / "schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "run scripts/build_schema.py after changing communique/models.py"


def test_committed_schema_doc_is_current():
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_schema", REPO / "scripts" / "build_schema.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (REPO / "docs" / "schema.md").read_text(encoding="utf-8") == module.markdown()


def test_pipeline_output_is_schema_valid(pipeline):
    text = (
        "Russian Foreign Minister Sergei Lavrov met Chinese President Xi Jinping in Beijing on Monday. "
        '"We agreed to deepen our cooperation," Lavrov told reporters.'
    )
    result = pipeline.process_text(text, id="t1", date="2026-01-12")
    line = json.loads(result.model_dump_json())
    jsonschema.validate(line, json_schema())
    for mention in result.actors:
        assert text[mention.start : mention.end] == mention.text
    for event in result.events:
        assert text[event.trigger.start : event.trigger.end] == event.trigger.text
        assert text[event.sentence.start : event.sentence.end] == event.sentence.text
    for quote in result.quotes:
        assert text[quote.content.start : quote.content.end] == quote.content.text


def test_result_round_trips():
    result = Result(id="x", source="s")
    assert Result.model_validate_json(result.model_dump_json()) == result
