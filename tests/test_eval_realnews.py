"""`communique eval realnews`: article-level scoring, on hand-made articles and predictions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from communique.evaluation.datasets import load_realnews
from communique.evaluation.scoring import score_realnews
from communique.models import ActorMention, Event, EventMention, Result, Span
from conftest import SHARED, need_shared

SENTENCE = "Chilean troops shelled a Bolivian border post on Monday."


def _gold(tmp_path: Path) -> Path:
    (tmp_path / "a01.txt").write_text(f"---\ntitle: t\ndate: 2024-01-01\n---\n{SENTENCE}\n", encoding="utf-8")
    rows = [
        {
            "article": "a01", "id": "a01-G1", "main": True, "type": "ASSAULT", "accept_types": ["ASSAULT"],
            "status": "happened", "sentence": SENTENCE, "evidence": "shelled a Bolivian border post",
            "source_parsed": {"alternatives": [{"country": "CHL", "sector": "MIL"}]},
            "target_parsed": {"alternatives": [{"country": "BOL", "sector": "MIL"}]},
        }
    ]  # fmt: skip
    (tmp_path / "gold.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return tmp_path


def _event(source: str | None, target: str | None, sentence: str = SENTENCE, mentions=()) -> Event:
    def actor(code: str | None) -> ActorMention | None:
        return ActorMention(text="x", start=0, end=1, country=code) if code else None

    return Event(
        type="ASSAULT",
        source=actor(source),
        target=actor(target),
        trigger=Span(text="shelled", start=15, end=22),
        sentence=Span(text=sentence, start=0, end=len(sentence)),
        confidence=0.8,
        mentions=list(mentions),
    )


def _result(*events: Event) -> Result:
    return Result(id="a01", source="a01.txt", events=list(events))


def test_strict_needs_both_countries_and_a_duplicate_costs_precision(tmp_path):
    articles = load_realnews(_gold(tmp_path))
    good = score_realnews(articles, [_result(_event("CHL", "BOL"))])
    assert good["precision"] == {"type": 1.0, "strict": 1.0} and good["main_recall"]["strict"] == 1.0
    twice = score_realnews(articles, [_result(_event("CHL", "BOL"), _event("CHL", "BOL"))])
    assert twice["precision"]["strict"] == 0.5
    wrong = score_realnews(articles, [_result(_event("CHL", None))])
    assert wrong["precision"] == {"type": 1.0, "strict": 0.0}


def test_the_countries_share_counts_type_matched_records_with_both_countries_right(tmp_path):
    articles = load_realnews(_gold(tmp_path))
    assert score_realnews(articles, [_result(_event("CHL", "BOL"))])["countries_right"] == 1.0
    assert score_realnews(articles, [_result(_event("CHL", None))])["countries_right"] == 0.0


def test_a_later_mention_sentence_is_credited(tmp_path):
    articles = load_realnews(_gold(tmp_path))
    retold = "Later the shelling went on."
    mention = EventMention(
        trigger=Span(text="shelled", start=15, end=22), sentence=Span(text=SENTENCE, start=0, end=56)
    )
    event = _event("CHL", "BOL", sentence=retold, mentions=[mention])
    assert score_realnews(articles, [_result(event)])["precision"]["strict"] == 1.0


def test_eval_agrees_with_the_reference_scorer(tmp_path):
    """The figures of `communique eval realnews` are those of realnews/score.py."""
    folder = SHARED / "data" / "realnews"
    need_shared(folder / "score.py")
    articles = sorted(str(p) for p in folder.glob("d*.txt"))[:4]
    out = tmp_path / "out.jsonl"
    exe = Path(sys.executable).parent / "communique"
    subprocess.run(
        [str(exe), "extract", *articles, "-o", str(out), "--quiet"], check=True, capture_output=True
    )
    names = {Path(a).stem for a in articles}
    gold = tmp_path / "gold.jsonl"  # the reference's recall counts the gold of the articles given
    lines = (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    gold.write_text("".join(x + "\n" for x in lines if x.strip() and json.loads(x)["article"] in names))
    reference = (
        subprocess.run(
            [sys.executable, str(folder / "score.py"), str(out), str(gold)],
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    ours = score_realnews(
        [a for a in load_realnews(folder) if a.id in names],
        [Result.model_validate_json(line) for line in out.read_text(encoding="utf-8").splitlines()],
    )
    p, r = ours["precision"], ours["main_recall"]
    expected = (
        f"precision type={p['type']:.3f} strict={p['strict']:.3f} "
        f"recall(main) type={r['type']:.3f} strict={r['strict']:.3f}"
    )
    assert reference.endswith(expected), (reference, expected)
