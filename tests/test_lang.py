"""The language data loader (communique.lang) and the shipped English lists."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from communique.lang import LANGUAGE, LanguageData, language_data, language_file


def test_english_lists_load_as_frozen_sets() -> None:
    for part in ("quotes", "actors"):
        data = language_data(LANGUAGE, part)
        assert data is language_data(LANGUAGE, part)  # read once
        for name, value in data.lists.items():
            if isinstance(value, dict):
                assert data.mapping(name)
            else:
                words = data.words(name)
                assert isinstance(words, frozenset) and words, name
                assert len(data.word_list(name)) == len(words), f"{part}.{name} repeats a word"


def test_words_keep_case_and_yaml_words_stay_words() -> None:
    quotes = language_data("en", "quotes")
    assert {"no", "yes"} <= quotes.words("trivial_objects")  # not YAML 1.1 booleans
    assert "on" in quotes.words("speaker_phrase_preps")
    assert {"EDITOR'S", "PHOTO:"} <= quotes.words("not_speaker_labels")
    assert quotes.mapping("verb_forms")["said"] == "say"


def test_shape_errors_name_the_file_and_list() -> None:
    data = LanguageData("xx/part.yaml", MappingProxyType({"bad": ["a", None], "pairs": {"a": 1}}))
    with pytest.raises(KeyError, match=r"xx/part\.yaml has no list 'missing'"):
        data.words("missing")
    with pytest.raises(ValueError, match=r"xx/part\.yaml: bad must be a list of words"):
        data.words("bad")
    with pytest.raises(ValueError, match="pairs must be a mapping"):
        data.mapping("pairs")


def test_whole_files_and_missing_languages() -> None:
    assert language_file("en", "quotes.yaml").is_file()
    with pytest.raises(FileNotFoundError, match=r"xx/quotes\.yaml"):
        language_file("xx", "quotes.yaml")
