"""PipelineSettings: the one value that carries the pipeline's options (no model is loaded here)."""

from __future__ import annotations

import pickle
from dataclasses import replace

import pytest

from communique.distributed import _worker_options
from communique.nlp import NLPSettings
from communique.pipeline import Pipeline
from communique.settings import DEFAULT_MODEL, PipelineSettings


def test_keyword_construction_and_settings_agree() -> None:
    pipe = Pipeline("some_model", actors_files=["a.yaml"], keep_uncoded=True, batch_size=8, jobs=2)
    settings = PipelineSettings(
        model="some_model", actors_files=("a.yaml",), keep_uncoded=True, batch_size=8, jobs=2
    )
    assert pipe.settings == settings
    assert Pipeline.from_settings(settings).settings == settings
    assert (pipe.batch_size, pipe.jobs, pipe.include_text) == (8, 2, True)


def test_normalised_hashable_and_picklable() -> None:
    settings = PipelineSettings(actors_files=["a.yaml"], batch_size=0, jobs=-3)  # type: ignore[arg-type]
    assert settings.actors_files == ("a.yaml",)
    assert (settings.batch_size, settings.jobs) == (1, 1)
    assert hash(settings) == hash(PipelineSettings(actors_files=("a.yaml",), batch_size=1))
    assert pickle.loads(pickle.dumps(settings)) == settings  # what Dask and spawn send to workers
    with pytest.raises(AttributeError):
        settings.model = "other"  # type: ignore[misc]


def test_of_takes_settings_kwargs_or_none() -> None:
    settings = PipelineSettings(model="m")
    assert PipelineSettings.of(settings) is settings
    assert PipelineSettings.of({"model": "m"}) == settings
    assert PipelineSettings.of(None) == PipelineSettings()
    with pytest.raises(TypeError):
        PipelineSettings.of({"no_such_option": 1})


def test_nlp_settings_derived() -> None:
    settings = PipelineSettings(event_model="em", quotes=False, batch_size=5)
    assert settings.nlp == NLPSettings(model=DEFAULT_MODEL, event_model="em", quotes=False)


def test_worker_options_make_local_paths_absolute(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "extra.yaml").write_text("actors: []\n")
    given = PipelineSettings(actors_files=("extra.yaml",), jobs=4)
    worker = _worker_options(given)
    assert worker == replace(given, actors_files=(str(tmp_path / "extra.yaml"),), jobs=1)
    assert _worker_options({"actors_files": ["extra.yaml"]}).actors_files == (str(tmp_path / "extra.yaml"),)
