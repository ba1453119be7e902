"""A trainable sentence-level event model, combined with the lexicon coder.

``communique train events --data FILE.csv`` fits a linear model (scikit-learn logistic
regression) on the words of each sentence *and* what the lexicon coder found in it
(event types, statuses, trigger lemmas), so the model learns where the lexicon is right
and where the annotators' conventions differ. It trains in seconds to minutes on a CPU.

With ``--event-model PATH`` the coder asks the model for each sentence that has an
event: a confident model label different from the lexicon's relabels the sentence's main
event (actors, status and evidence stay the lexicon's); a sentence the lexicon missed
gets an event anchored on its main verb.
"""

from __future__ import annotations

import csv
import hashlib
import json
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc, Span

from communique.models import Document, Event, EventStatus, Result
from communique.models import Span as TextSpan

MODEL_FILE = "model.pkl"
META_FILE = "model.json"
FORMAT_VERSION = 1


def lexicon_tokens(events: Sequence[Event]) -> str:
    """What the lexicon found, as pseudo-words the model can weigh."""
    if not events:
        return "__LEX_NONE"
    top = max(events, key=lambda e: e.confidence)
    words = [f"__LEXTOP_{top.type}", f"__LEXTOPST_{top.status}", f"__LEXTOPTRIG_{top.trigger.text.lower()}"]
    for event in events:
        words += [f"__LEX_{event.type}", f"__LEXST_{event.type}_{event.status}"]
    return " ".join(words)


def features(text: str, events: Sequence[Event]) -> str:
    return f"{text} {lexicon_tokens(events)}"


def _label_map() -> dict[str, str]:
    """Training labels to PLOVER 2.0 types (PLOVER 0.5 names and PLV's YIELD included)."""
    from communique.events.ontology import load_ontology

    mapping = {name: targets[0] for name, targets in load_ontology().label_map_v05.items() if targets}
    return mapping


@dataclass
class EventModel:
    classifier: Any
    labels: list[str]
    meta: dict[str, Any]
    threshold: float = 0.5

    def predict(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        probs = self.classifier.predict_proba(list(texts))
        classes = list(self.classifier.classes_)
        out = []
        for row in probs:
            best = int(np.argmax(row))
            out.append((classes[best], float(row[best])))
        return out

    # -- combining with the lexicon ------------------------------------------------------
    def combine(self, doc: Doc, events: list[Event], coder: Any) -> list[Event]:
        mapping = _label_map()
        by_sentence: dict[int, list[int]] = {}
        for i, event in enumerate(events):
            by_sentence.setdefault(event.sentence.start, []).append(i)
        sents = list(doc.sents)
        feats = [features(s.text, [events[i] for i in by_sentence.get(s.start_char, [])]) for s in sents]
        predictions = self.predict(feats) if feats else []
        out = list(events)
        added: list[Event] = []
        for sent, (label, prob) in zip(sents, predictions, strict=True):
            plover = mapping.get(label, label)
            if plover == "NONE" or prob < self.threshold:
                continue
            idx = by_sentence.get(sent.start_char, [])
            if idx:
                main = max(idx, key=lambda i: out[i].confidence)
                event = out[main]
                same = [i for i in idx if out[i].type == plover]
                if same:
                    best = max(same, key=lambda i: out[i].confidence)
                    out[best] = out[best].model_copy(
                        update={
                            "confidence": max(out[best].confidence, event.confidence + 0.01, prob),
                            "method": "lexicon+model",
                        }
                    )
                elif label != "YIELD" or event.type not in ("CONCEDE", "RETREAT"):
                    out[main] = _relabel(event, plover, prob, coder)
            else:
                new = _sentence_event(sent, plover, prob, coder, doc)
                if new is not None:
                    added.append(new)
        return sorted(out + added, key=lambda e: (e.sentence.start, e.trigger.start))

    # -- persistence ---------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / MODEL_FILE, "wb") as handle:
            pickle.dump(
                {"classifier": self.classifier, "labels": self.labels, "threshold": self.threshold}, handle
            )
        (folder / META_FILE).write_text(json.dumps(self.meta, indent=2) + "\n", encoding="utf-8")


def _relabel(event: Event, plover: str, prob: float, coder: Any) -> Event:
    cameo = coder.onto.default_cameo(plover)
    info = coder.onto.code(cameo)
    return event.model_copy(
        update={
            "type": plover,
            "mode": None,
            "cameo": cameo,
            "goldstein": info.goldstein if info else None,
            "quad_class": (info.quad_class if info else None) or coder.onto.quad_class(plover),
            "confidence": round(max(event.confidence, prob), 3),
            "method": "model",
        }
    )


def _sentence_event(sent: Span, plover: str, prob: float, coder: Any, doc: Doc) -> Event | None:
    """An event for a sentence the lexicon found nothing in: anchored on the main verb."""
    from communique.events.mentions import index_mentions, mentions_at

    root = sent.root
    by_token = index_mentions(doc, doc._.actors or [])
    sources = [m for c in root.children if c.dep_ in ("nsubj", "nsubjpass") for m in mentions_at(c, by_token)]
    targets = [m for c in root.children if c.dep_ in ("dobj", "dative") for m in mentions_at(c, by_token)]
    if not coder.keep_uncoded and not any(m.country or m.sectors for m in sources + targets):
        return None
    cameo = coder.onto.default_cameo(plover)
    info = coder.onto.code(cameo)
    return Event(
        type=plover,
        cameo=cameo,
        goldstein=info.goldstein if info else None,
        quad_class=(info.quad_class if info else None) or coder.onto.quad_class(plover),
        status=EventStatus.happened,
        source=sources[0] if sources else None,
        target=targets[0] if targets else None,
        trigger=TextSpan(text=root.text, start=root.idx, end=root.idx + len(root.text)),
        sentence=TextSpan(text=sent.text, start=sent.start_char, end=sent.end_char),
        confidence=round(prob * 0.8, 3),
        method="model",
    )


def load_event_model(path: str | Path) -> EventModel:
    folder = Path(path)
    model_file = folder / MODEL_FILE if folder.is_dir() else folder
    if not model_file.is_file():
        raise FileNotFoundError(
            f"no event model at {path} (expected {MODEL_FILE} from `communique train events`)"
        )
    with open(model_file, "rb") as handle:
        data = pickle.load(handle)
    meta_file = model_file.parent / META_FILE
    meta = json.loads(meta_file.read_text()) if meta_file.is_file() else {}
    return EventModel(data["classifier"], data["labels"], meta, data.get("threshold", 0.5))


# -- training ----------------------------------------------------------------------------
@dataclass
class TrainingSet:
    texts: list[str]
    labels: list[str]
    lexicon_events: list[list[Event]]
    sha1: str

    def features(self) -> list[str]:
        return [features(t, e) for t, e in zip(self.texts, self.lexicon_events, strict=True)]


def read_training_csv(path: str | Path) -> tuple[list[str], list[str]]:
    """Rows with ``text`` and ``label`` (other columns ignored); raises ValueError on a bad file."""
    texts, labels = [], []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"text", "label"} <= set(reader.fieldnames):
            raise ValueError(f"{path}: needs the columns text,label (found {reader.fieldnames})")
        for number, row in enumerate(reader, 2):
            text, label = (row.get("text") or "").strip(), (row.get("label") or "").strip().upper()
            if not text or not label:
                raise ValueError(f"{path}: line {number}: empty text or label")
            texts.append(text)
            labels.append(label)
    if len(set(labels)) < 2:
        raise ValueError(f"{path}: needs at least two different labels")
    return texts, labels


def prepare(texts: list[str], labels: list[str], pipeline: Any) -> TrainingSet:
    """Run the lexicon coder over every training sentence (once)."""
    docs = [Document(id=str(i), text=t, source=f"row {i + 2}") for i, t in enumerate(texts)]
    events: list[list[Event]] = []
    for item in pipeline.process(docs):
        events.append(item.events if isinstance(item, Result) else [])
    digest = hashlib.sha1(
        "\n".join(f"{t}\t{lab}" for t, lab in zip(texts, labels, strict=True)).encode()
    ).hexdigest()
    return TrainingSet(texts, labels, events, digest)


def make_classifier(c: float = 4.0) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, make_pipeline

    words = TfidfVectorizer(
        ngram_range=(1, 2), sublinear_tf=True, min_df=1, lowercase=True, token_pattern=r"(?u)\b\w[\w'-]*\b"
    )
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2)
    return make_pipeline(
        FeatureUnion([("words", words), ("chars", chars)]),
        LogisticRegression(C=c, max_iter=2000, class_weight="balanced"),
    )


def cross_validate(data: TrainingSet, folds: int = 5, seed: int = 13) -> dict[str, Any]:
    """Stratified k-fold macro-F1 (PLV's YIELD counts as one class)."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    x = np.array(data.features(), dtype=object)
    y = np.array(data.labels)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    scores, accs = [], []
    for train_idx, test_idx in splitter.split(x, y):
        clf = make_classifier()
        clf.fit(list(x[train_idx]), y[train_idx])
        pred = clf.predict(list(x[test_idx]))
        scores.append(float(f1_score(y[test_idx], pred, average="macro")))
        accs.append(float(np.mean(pred == y[test_idx])))
    return {
        "folds": folds,
        "macro_f1": scores,
        "macro_f1_mean": float(np.mean(scores)),
        "accuracy_mean": float(np.mean(accs)),
    }


def train(data: TrainingSet, source: str, threshold: float = 0.3) -> EventModel:
    clf = make_classifier()
    clf.fit(data.features(), data.labels)
    labels = sorted(set(data.labels))
    meta = {
        "format": FORMAT_VERSION,
        "trained": datetime.now(UTC).isoformat(timespec="seconds"),
        "data": source,
        "data_sha1": data.sha1,
        "rows": len(data.labels),
        "labels": labels,
        "features": "tf-idf word 1-2grams + char 3-5grams + lexicon coder output",
        "classifier": "scikit-learn LogisticRegression (balanced)",
    }
    return EventModel(clf, labels, meta, threshold)
