"""The evaluation harness: loaders on tiny fixtures, scorers on hand-made predictions,
the span rule, label mapping, splits; plus counts on the real data when ../shared is here.

No spaCy model is loaded: predictions are built by hand and the pipeline is faked.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from communique.evaluation import datasets as ds
from communique.evaluation import runner, scoring
from communique.evaluation.report import format_report, table
from communique.evaluation.spans import best_match, locate, overlap_chars, span_matches
from communique.evaluation.splits import half_of, polnear_heldout_names, select_split, stable_hash
from communique.models import ActorMention, Event, Problem, Quote, Result, Span
from conftest import SHARED, need_shared

FIX = Path(__file__).parent / "fixtures" / "evaluation"
DATA = SHARED / "data"


# -- hand-made predictions -------------------------------------------------------------------
def mention(text: str, doc: str, country: str | None = None, kind: str | None = None, name=None):
    start = doc.index(text)
    return ActorMention(text=text, start=start, end=start + len(text), country=country, kind=kind, name=name)


def span(text: str, doc: str) -> Span:
    start = doc.index(text)
    return Span(text=text, start=start, end=start + len(text))


def event(doc: str, type_: str, trigger: str, confidence=0.5, source=None, target=None) -> Event:
    return Event(
        type=type_,
        trigger=span(trigger, doc),
        sentence=Span(text=doc, start=0, end=len(doc)),
        confidence=confidence,
        source=source,
        target=target,
    )


def result(doc: str, **kw) -> Result:
    return Result(id="x", source="test", text=doc, **kw)


class FakePipeline:
    """Stands in for communique.pipeline.Pipeline: returns canned results by text."""

    def __init__(self, by_text=None, fail=False):
        self.by_text = by_text or {}
        self.fail = fail
        self.seen = []

    def process(self, documents):
        for d in documents:
            self.seen.append(d)
            if self.fail:
                yield Problem(source=d.source, reason="analysis failed: boom", stage="analyse")
            else:
                yield self.by_text.get(d.text, Result(id=d.id, source=d.source, text=d.text))


# -- spans -----------------------------------------------------------------------------------
def test_span_rule_half_of_gold():
    assert span_matches((0, 5), (0, 10))  # exactly half
    assert not span_matches((0, 4), (0, 10))
    assert span_matches((0, 100), (10, 20))  # a long prediction covering the gold span
    assert not span_matches((20, 30), (10, 20))  # touching is not overlapping
    assert not span_matches((0, 0), (0, 0))


def test_span_rule_discontinuous_gold():
    gold = [(10, 20), (30, 40)]  # 20 characters
    assert overlap_chars((10, 20), gold) == 10
    assert span_matches((10, 20), gold)
    assert not span_matches((10, 19), gold)
    assert span_matches((15, 35), gold)


def test_best_match_prefers_largest_overlap():
    assert best_match([(0, 6), (4, 20)], (5, 15)) == 1
    assert best_match([(0, 2)], (5, 15)) is None
    assert best_match([], (5, 15)) is None


def test_locate_exact_then_case_insensitive():
    text = "Germany condemned the attack by Russia; russia denied it."
    assert locate(text, "russia") == (40, 46)  # exact first occurrence wins
    assert locate(text, "GERMANY") == (0, 7)
    assert locate(text, "France") is None
    # whole words before a match inside a longer word
    refuge = "South Sudanese refugees sought refuge in Sudan."
    assert locate(refuge, "Sudan") == (41, 46)
    assert locate("Sudanese troops", "Sudan") == (0, 5)
    assert locate(text, "  ") is None


# -- labels and codes ------------------------------------------------------------------------
def test_plover_05_names_map_to_20():
    assert ds.plover20("DEMAND") == "REQUEST"
    assert ds.plover20("DISAPPROVE") == "ACCUSE"
    assert ds.plover20("INVESTIGATE") == "ACCUSE"
    assert ds.plover20("FIGHT") == "ASSAULT"
    assert ds.plover20("agree") == "AGREE"
    assert set(ds.PLOVER_05_TO_20.values()) <= set(ds.PLOVER_TYPES)


def test_yield_counts_concede_and_retreat():
    assert scoring.plv_label("CONCEDE") == "YIELD"
    assert scoring.plv_label("RETREAT") == "YIELD"
    assert scoring.plv_label("ASSAULT") == "ASSAULT"
    assert scoring.plv_label(None) == "NONE"


def test_cameo_codes_map_to_iso3():
    assert ds.cameo_to_iso3("JAP") == "JPN"
    assert ds.cameo_to_iso3("ITL") == "ITA"
    assert ds.cameo_to_iso3("GMY") == "DEU"
    assert ds.cameo_to_iso3("USA") == "USA"
    assert ds.cameo_to_iso3("IGO") == "IGO"
    assert ds.cameo_to_iso3("IMG") is None  # a militant group: not scored
    assert ds.cameo_to_iso3("") is None
    assert scoring.country_matches("UNO", "IGO")
    assert not scoring.country_matches(None, "IGO")
    assert not scoring.country_matches("FRA", "DEU")


# -- splits ----------------------------------------------------------------------------------
def test_split_is_deterministic_and_partitions():
    assert stable_hash("alpha") == 3195417371  # SHA-1 based: the same on every machine
    assert half_of("delta") == "dev"
    assert half_of("alpha") == "heldout"
    keys = [f"item {i}" for i in range(200)]
    dev = select_split(keys, "dev", key=str)
    held = select_split(keys, "heldout", key=str)
    assert sorted(dev + held) == sorted(keys)
    assert not set(dev) & set(held)
    assert 60 < len(dev) < 140
    assert select_split(keys, "all", key=str) == keys
    assert select_split(keys, "train", key=str) == dev
    assert select_split(keys, "dev", key=str) == dev
    with pytest.raises(ValueError):
        select_split(keys, "test", key=str)


def test_polnear_heldout_sample_is_stable():
    names = [f"article-{i}" for i in range(300)]
    sample = polnear_heldout_names(names)
    assert len(sample) == 84
    assert sample == sorted(sample)
    assert polnear_heldout_names(list(reversed(names))) == sample
    assert polnear_heldout_names(names[:10]) == sorted(names[:10])


# -- loaders on fixtures ---------------------------------------------------------------------
def test_load_plover_gsr_fixture():
    items = ds.load_plover_gsr(FIX / "plover-gsr")
    assert [it.label for it in items] == ["REQUEST", "ASSAULT", "COERCE"]
    assert items[0].raw_label == "DEMAND"
    assert items[0].sources[0].country == "ITA"
    assert items[0].targets[0].country == "JPN"
    assert items[1].sources[0].country == "IGO"
    assert items[1].targets == []  # target given as '' in the file
    assert items[2].id == "GSR-FIGHT-0001#2"  # repeated id made unique
    assert items[2].sources[0].country is None  # IMG
    assert items[0].date == date(2000, 1, 1)


def test_load_plv_fixture():
    items = ds.load_plv(FIX / "plv" / "train.csv")
    assert len(items) == 3
    assert [it.id for it in items] == ["plv-1", "plv-2", "plv-3"]
    first, second, third = items
    assert first.label == "YIELD"
    assert first.source_span == (0, 10)
    assert first.target_span is None  # 'recipient' placeholder
    assert second.text[slice(*second.target_span)] == "Russia"  # case-insensitive fallback
    assert third.source_span is None and third.target_span is None


def test_load_actor_cases_fixture():
    cases = ds.load_actor_cases(FIX / "actor-resolution")
    assert [c.id for c in cases] == ["case_pm", "case_min", "case_katyusha", "case_mogadishu"]
    assert cases[1].date == date(2022, 4, 12)
    assert cases[0].date is None and cases[0].context is None
    assert cases[3].context == "Somalia"
    assert cases[1].expect == {"country": "", "code_1": "GOV", "code_2": "MIL"}
    assert "country" not in cases[2].expect


def test_parse_brat_fixture_with_discontinuous_span():
    articles = ds.load_polnear(FIX / "polnear" / "dev")
    assert len(articles) == 1
    art = articles[0]
    assert art.annotation.endswith("_ab12.ann")  # first annotator file in name order
    assert art.date == date(2016, 10, 1)
    by_id = {a.id: a for a in art.attributions}
    assert set(by_id) == {"E1", "E2", "E3"}
    e1, e2, e3 = by_id["E1"], by_id["E2"], by_id["E3"]
    assert e1.speech and not e1.direct and e1.source_text == "Trump"
    assert e2.speech and e2.direct
    assert len(e2.content) == 2
    assert e2.content_text == '"We will win," "and soon."'
    assert not e3.speech


def test_speech_cues_and_direct_content():
    for cue in ("said", "says", "told", "according to", "added", "tweeted", "replied", "is warning", ":"):
        assert ds.is_speech_cue(cue), cue
    for cue in ("believe", "thinks", "wants", "felt", "know", "shows", "in", ""):
        assert not ds.is_speech_cue(cue), cue
    text = 'He said: "We will win." Then “Never,” she said, and that it was over.'
    assert ds.is_direct_content(text, [(9, 23)])  # "We will win."
    assert ds.is_direct_content(text, [(10, 22)])  # the mark just before the span
    assert not ds.is_direct_content(text, [(52, 68)])  # that it was over
    assert ds.is_direct_content(text, [(29, 36)])


def test_polnear_splits_fixture():
    root = FIX / "polnear"
    assert [a.id for a in runner.load_items("polnear", root, "dev")] == [
        "nyt_2016-10-01_trump-and-clinton-on-the-trail"
    ]
    assert len(runner.load_items("polnear", root, "train")) == 2
    assert len(runner.load_items("polnear", root, "heldout")) == 2  # fewer than 84 in the fixture
    assert len(runner.load_items("polnear", root, "all")) == 3
    assert len(runner.load_items("polnear", root, "all", limit=1)) == 1


def test_load_re3d_fixture():
    docs = ds.load_re3d(FIX / "re3d")
    assert [d.id for d in docs] == ["DOC1", "DOC2", "DOC3"]
    assert {d.source for d in docs} == {"Source A", "Source B"}
    doc1 = docs[0]
    # confidence >= 0.5 and the four actor types only: no Weapon, no confidence-0 Person
    assert sorted((e.type, e.value) for e in doc1.entities) == [
        ("Location", "Geneva"),
        ("Location", "US"),
        ("Nationality", "Syrian"),
        ("Organisation", "Syrian rebels"),
        ("Person", "John Kerry"),
    ]
    assert [e.value for e in docs[2].entities] == ["British"]  # Basra has confidence 0.2
    everything = ds.load_re3d(FIX / "re3d", min_confidence=0.0, types=None)
    assert sum(len(d.entities) for d in everything) == 11


# -- scorers: empty predictions -> zeros -----------------------------------------------------
def test_scorers_on_empty_predictions_give_zeros():
    gsr = ds.load_plover_gsr(FIX / "plover-gsr")
    empty = [result(it.text) for it in gsr]
    rep = scoring.score_plover_gsr(gsr, empty)
    assert rep["accuracy"] == 0.0 and rep["macro_f1"] == 0.0
    assert rep["source_country"]["accuracy"] == 0.0 and rep["source_country"]["n"] == 2
    assert rep["confusion"]["REQUEST"]["NONE"] == 1
    assert scoring.score_plover_gsr(gsr, [])["accuracy"] == 0.0  # no results at all

    plv = ds.load_plv(FIX / "plv")
    rep = scoring.score_plv(plv, [None, Problem(source="x", reason="r"), result(plv[2].text)])
    assert rep["accuracy"] == 0.0 and rep["source_span"]["n"] == 0

    arts = ds.load_polnear(FIX / "polnear" / "dev")
    rep = scoring.score_polnear(arts, [result(arts[0].text)])
    assert rep["all"]["recall"] == 0.0 and rep["all"]["precision"] == 0.0
    assert rep["counts"]["gold_speech"] == 2 and rep["speaker"]["direct"]["accuracy"] == 0.0

    docs = ds.load_re3d(FIX / "re3d")
    rep = scoring.score_re3d(docs, [None] * len(docs))
    assert rep["all"]["recall"] == 0.0 and rep["all"]["predicted"] == 0

    cases = ds.load_actor_cases(FIX / "actor-resolution")
    rep = scoring.score_actor_resolution(cases, [{"error": "boom"}] * len(cases))
    assert rep["country"]["n"] == 3
    assert rep["country"]["correct"] == 1  # expected '' and nothing resolved
    assert rep["first_sector"]["accuracy"] == 0.0

    assert scoring.classification_metrics([], [])["accuracy"] == 0.0


# -- scorers: hand-made predictions ----------------------------------------------------------
def test_score_plover_gsr_predictions():
    gsr = ds.load_plover_gsr(FIX / "plover-gsr")
    t0, t1, t2 = (it.text for it in gsr)
    preds = [
        result(
            t0,
            events=[
                event(t0, "REQUEST", "urged", 0.9, source=mention("Italy", t0, "ITA"),
                      target=mention("Japanese Prime Minister", t0, "JPN")),
                event(t0, "ACCUSE", "urged", 0.2),
            ],
        ),
        result(t1, events=[event(t1, "ASSAULT", "attacked", 0.7, source=mention("U.N. peacekeepers", t1, "UNO"))]),
        result(t2, events=[event(t2, "ASSAULT", "seized", 0.7, target=mention("Iraqi police", t2, "IRN"))]),
    ]  # fmt: skip
    rep = scoring.score_plover_gsr(gsr, preds)
    assert rep["accuracy"] == round(2 / 3, 4)
    assert rep["per_class"]["ASSAULT"] == {
        "precision": 0.5, "recall": 1.0, "f1": 0.6667, "support": 1, "predicted": 2
    }  # fmt: skip
    assert rep["per_class"]["COERCE"]["recall"] == 0.0
    assert rep["macro_f1"] == round((1 + 0.6667 + 0) / 3, 4)
    assert rep["confusion"]["COERCE"]["ASSAULT"] == 1
    assert rep["source_country"] == {"accuracy": 1.0, "n": 2, "correct": 2, "unscored": 1}
    assert rep["target_country"] == {"accuracy": 0.5, "n": 2, "correct": 1, "unscored": 0}
    assert rep["items"][0]["pred"] == "REQUEST"


def test_score_plv_predictions_with_yield_and_spans():
    plv = ds.load_plv(FIX / "plv")
    t0, t1, t2 = (it.text for it in plv)
    preds = [
        result(t0, events=[event(t0, "RETREAT", "withdraw", source=mention("rebels", t0))]),
        result(t1, events=[event(t1, "ACCUSE", "condemned", source=mention("Germany", t1),
                                 target=mention("the attack", t1))]),
        result(t2),
    ]  # fmt: skip
    rep = scoring.score_plv(plv, preds)
    assert rep["accuracy"] == round(2 / 3, 4)
    assert rep["per_class"]["YIELD"]["f1"] == 1.0
    assert rep["per_class"]["PROTEST"]["recall"] == 0.0
    # 'rebels' covers 6 of the 10 characters of 'The rebels'; 'Germany' matches
    assert rep["source_span"] == {"match_rate": 1.0, "n": 2, "correct": 2, "gold_located": 2}
    assert rep["target_span"] == {"match_rate": 0.0, "n": 1, "correct": 0, "gold_located": 1}


def test_score_actor_resolution_rules():
    cases = ds.load_actor_cases(FIX / "actor-resolution")
    preds = [
        {"country": "ARM", "sectors": ["GOV"]},
        {"country": None, "sectors": ["GOV", "MIL"]},
        {"country": "RUS", "sectors": []},
        {"country": "SOM", "sectors": ["GOV"]},
    ]
    rep = scoring.score_actor_resolution(cases, preds)
    assert rep["country"] == {"accuracy": 1.0, "n": 3, "correct": 3}
    assert rep["first_sector"] == {"accuracy": round(2 / 3, 4), "n": 3, "correct": 2}
    assert rep["second_sector"] == {"accuracy": 1.0, "n": 1, "correct": 1}
    assert rep["all_fields"]["correct"] == 3
    [miss] = rep["misses"]
    assert miss["id"] == "case_katyusha" and miss["wrong"] == ["code_1"]
    assert miss["expected"] == {"code_1": "MIL"} and miss["got"]["country"] == "RUS"


def test_score_polnear_quotes_and_speakers():
    [art] = ds.load_polnear(FIX / "polnear" / "dev")
    text = art.text
    direct = Quote(
        kind="direct",
        start=text.index('"We'),
        end=text.index("soon.") + 6,
        content=span('"We will win,"', text),
        cue=span("told", text),
        speaker=mention("Clinton", text, name="Hillary Clinton"),
    )
    believe = Quote(kind="indirect", start=0, end=1, content=span("the race is close", text))
    wrong = Quote(kind="indirect", start=0, end=1, content=span("Read more here.", text))
    rep = scoring.score_polnear([art], [result(text, quotes=[direct, believe, wrong])])
    # gold speech: E1 (indirect, not found) and E2 (direct: 14 of its 25 characters covered)
    assert rep["direct"]["recall"] == 1.0 and rep["direct"]["precision"] == 1.0
    assert rep["indirect"]["recall"] == 0.0
    assert rep["indirect"]["precision"] == 0.5  # the 'believe' content is not a false positive
    assert rep["all"]["gold"] == 2 and rep["all"]["predicted"] == 3
    assert rep["speaker"]["direct"] == {"accuracy": 1.0, "n": 1, "correct": 1}
    assert rep["cue_match"] == {"rate": 1.0, "n": 1, "correct": 1}
    assert rep["counts"]["predicted_by_kind"] == {"direct": 1, "indirect": 2}


def test_speaker_rule_by_name():
    gold = ds.Attribution(
        id="E1", relation="Attribution", content=[(50, 60)], cue=[(40, 44)], source=[(0, 12)],
        content_text="", cue_text="said", source_text="Mr. Trump", speech=True, direct=True,
    )  # fmt: skip
    far = ActorMention(text="Donald Trump", start=200, end=212, name="Donald Trump")
    assert scoring.speaker_correct(far, gold)
    other = ActorMention(text="Mr. Pence", start=200, end=209, name="Mike Pence")
    assert not scoring.speaker_correct(other, gold)  # 'Mr' is not a name
    assert scoring.speaker_correct(ActorMention(text="he", start=0, end=12), gold)  # by span
    assert not scoring.speaker_correct(None, gold)


def test_score_re3d_mentions():
    docs = ds.load_re3d(FIX / "re3d")
    d1, d2, _ = (d.text for d in docs)
    preds = [
        result(d1, actors=[
            mention("US Secretary of State John Kerry", d1, "USA", kind="person"),
            mention("Syrian rebels", d1, "SYR", kind="group"),
            mention("Geneva", d1, "CHE", kind="person"),
            mention("rifle", d1, kind=None),
            mention("with", d1, kind="pronoun"),
        ]),
        result(d2, actors=[mention("European Union", d2, "EUR", kind="organization")]),
        None,
    ]  # fmt: skip
    rep = scoring.score_re3d(docs, preds)
    per = rep["per_type"]
    assert per["Person"]["recall"] == 1.0
    assert per["Person"]["predicted"] == 2 and per["Person"]["predicted_correct"] == 2
    assert per["Person"]["typed_precision"] == 0.5  # 'Geneva' is a Location
    assert per["Organisation"]["recall"] == 1.0  # 'European Union' covers 14/18 of 'The European Union'
    assert per["Location"]["recall"] == 0.6667  # US (inside the Kerry mention) and Geneva; not Damascus
    assert per["Nationality"]["recall"] == 0.5  # Syrian (inside "Syrian rebels"); not British
    assert per["(no type)"]["predicted"] == 1 and per["(no type)"]["predicted_correct"] == 0
    assert rep["all"]["gold"] == 8
    assert rep["all"]["predicted"] == 5 and rep["all"]["predicted_correct"] == 4
    assert rep["ignored_pronouns"] == 1


# -- runner and report -----------------------------------------------------------------------
def test_run_one_with_fake_pipeline_writes_json(tmp_path, capsys):
    items_text = {it.text for it in ds.load_plover_gsr(FIX / "plover-gsr")}
    t = "U.N. peacekeepers attacked a rebel camp."
    fake = FakePipeline({t: result(t, events=[event(t, "ASSAULT", "attacked", 0.9)])})
    report = runner.run_one(
        "plover-gsr", FIX / "plover-gsr", split="all", limit=None, results_dir=tmp_path,
        settings={"model": "fake"}, processor=fake, resolver=None,
    )  # fmt: skip
    assert {d.text for d in fake.seen} == items_text
    assert all(d.date == date(2000, 1, 1) for d in fake.seen)
    saved = json.loads((tmp_path / "eval-plover-gsr-all.json").read_text())
    assert saved["n_items"] == 3 and saved["settings"]["model"] == "fake"
    assert saved["metrics"]["accuracy"] == report["metrics"]["accuracy"] == round(1 / 3, 4)
    assert "timestamp" in saved and saved["split"] == "all"
    out = capsys.readouterr().out
    assert "event type accuracy 0.333" in out and "confusion matrix" in out


def test_handwritten_set_ships_well_formed():
    plover = json.loads((Path(ds.__file__).parent.parent / "data" / "ontology" / "plover.json").read_text())
    items = runner.load_items("handwritten", runner.dataset_path("handwritten", None, "/nowhere"), "all")
    assert len(items) == 240 and len({it.id for it in items}) == 240
    types = {t.upper() for t in plover["types"]}
    assert {it.label for it in items} <= types and len({it.label for it in items}) == 16
    for it in items:
        for actor in (*it.sources, *it.targets):
            # every gold string is in its sentence; every code is ISO3 or a PLOVER non-state code
            assert actor.text == "" or actor.text in it.text, (it.id, actor.text)
            assert actor.country is None or (len(actor.country) == 3 and actor.country.isupper()), it.id
    dev = runner.load_items("handwritten", ds.HANDWRITTEN_PATH, "dev")
    heldout = runner.load_items("handwritten", ds.HANDWRITTEN_PATH, "heldout")
    assert len(dev) + len(heldout) == 240 and dev and heldout


def test_handwritten_is_scored_like_plover_gsr(tmp_path):
    items = runner.load_items("handwritten", ds.HANDWRITTEN_PATH, "all")[:2]
    t = items[0].text
    fake = FakePipeline({t: result(t, events=[event(t, items[0].label, t.split()[0], 0.9)])})
    report = runner.run_one(
        "handwritten", ds.HANDWRITTEN_PATH, split="all", limit=2, results_dir=tmp_path,
        settings={"model": "fake"}, processor=fake, resolver=None,
    )  # fmt: skip
    assert report["metrics"]["accuracy"] == 0.5 and "source_country" in report["metrics"]
    assert [d.date for d in fake.seen] == [it.date for it in items]
    text = format_report("handwritten", report)
    assert "event type accuracy 0.500" in text and "source country accuracy" in text


def test_run_one_limit_and_failing_pipeline(tmp_path):
    fake = FakePipeline(fail=True)
    report = runner.run_one(
        "plv", FIX / "plv", split="all", limit=2, results_dir=tmp_path,
        settings={"model": "fake"}, processor=fake, resolver=None, out=lambda s: None,
    )  # fmt: skip
    assert report["n_items"] == 2 and len(fake.seen) == 2
    assert report["problems"] == 2 and "boom" in report["problem_reasons"][0]
    assert report["metrics"]["accuracy"] == 0.0


def test_run_one_actor_resolution_and_report_text(tmp_path):
    def resolver(case):
        if case.id == "case_katyusha":
            raise ValueError("no idea")
        return {"country": "ARM", "sectors": ["GOV"]}

    lines = []
    report = runner.run_one(
        "actor-resolution", FIX / "actor-resolution", split="all", limit=None, results_dir=tmp_path,
        settings={"model": "fake"}, processor=None, resolver=resolver, out=lines.append,
    )  # fmt: skip
    assert report["problems"] == 1
    text = "\n".join(lines)
    assert "country accuracy" in text and "case_mogadishu" in text and "error: ValueError" in text
    assert (tmp_path / "eval-actor-resolution-all.json").exists()


def test_reports_format_for_every_dataset(tmp_path):
    settings = {"model": "fake"}
    for name in ("plv", "polnear", "re3d"):
        report = runner.run_one(
            name, FIX / name, split="all", limit=None, results_dir=tmp_path, settings=settings,
            processor=FakePipeline(), resolver=None, out=lambda s: None,
        )  # fmt: skip
        assert format_report(name, report).startswith(f"== {name} (all split")
        assert (tmp_path / f"eval-{name}-all.json").exists()


def test_missing_data_is_skipped(tmp_path, capsys):
    code = runner.run_evaluation(
        "all", data_dir=str(tmp_path / "nowhere"), results_dir=str(tmp_path / "out"), split="dev"
    )
    assert code == 0
    out = capsys.readouterr().out
    # every data set but the shipped handwritten one
    assert out.count("skipped:") == len(runner.DATASETS) - 1 and "nowhere/plv not found" in out
    assert runner.run_evaluation("nonsense", data_dir=str(tmp_path)) == 2


def test_table_alignment():
    text = table(["name", "n"], [["a", 1], ["bbb", 0.5]])
    assert text.splitlines() == ["name      n", "----  -----", "a         1", "bbb   0.500"]


# -- the real data sets (skipped when ../shared/data is absent) ------------------------------
def test_real_plover_gsr_counts():
    need_shared(DATA / "plover-gsr")
    items = ds.load_plover_gsr(DATA / "plover-gsr")
    assert len(items) == 322
    assert set(it.label for it in items) <= set(ds.PLOVER_TYPES)
    codes = {a.code for it in items for a in it.sources + it.targets}
    unmapped = {c for c in codes if ds.cameo_to_iso3(c) is None and c not in ds.UNSCORED_CODES}
    assert not unmapped


def test_real_plv_counts():
    need_shared(DATA / "plv")
    items = ds.load_plv(DATA / "plv")
    assert len(items) == 1050
    assert sum(1 for it in items if it.source_span) > 1000


def test_real_actor_resolution_counts():
    need_shared(DATA / "actor-resolution")
    assert len(ds.load_actor_cases(DATA / "actor-resolution")) == 127


def test_real_polnear_counts():
    need_shared(DATA / "polnear")
    dev = runner.load_items("polnear", DATA / "polnear", "dev")
    assert len(dev) == 84
    held = runner.load_items("polnear", DATA / "polnear", "heldout")
    assert len(held) == 84
    assert not {a.id for a in dev} & {a.id for a in held}


def test_real_re3d_counts():
    need_shared(DATA / "re3d")
    assert len(ds.re3d_sources(DATA / "re3d")) == 5
    docs = ds.load_re3d(DATA / "re3d")
    assert len({d.source for d in docs}) == 5
    assert len(docs) == 77
