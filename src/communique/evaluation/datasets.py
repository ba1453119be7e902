"""Loaders for the gold data sets under ``../shared/data``: plain records, no pipeline.

Each loader reads one format and returns a list of small dataclasses in file order;
the split (:mod:`communique.evaluation.splits`) and the scorers
(:mod:`communique.evaluation.scoring`) work on those. The data are never copied: every
loader reads from the path it is given.

Normalisation done here (documented in docs/evaluation.md):

* plover-gsr event types are PLOVER 0.5 names, mapped to PLOVER 2.0 (:data:`PLOVER_05_TO_20`);
  actor codes are CAMEO codes, mapped to ISO 3166-1 alpha-3 (:func:`cameo_to_iso3`).
* plv source/target strings are located in their sentence; the placeholders ``actor`` and
  ``recipient`` mean "not in the sentence".
* PolNeAR attributions are classified as speech or not by their cue
  (:func:`is_speech_cue`), and as direct or indirect by their content
  (:func:`is_direct_content`).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from communique.evaluation.spans import Fragment, locate, word_set
from communique.io.common import normalise_date

# -- PLOVER labels -------------------------------------------------------------------------------
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip

#: PLOVER 0.5 (and CAMEO-era) event names -> PLOVER 2.0 (PLOVER manual, CAMEO conversion table).
PLOVER_05_TO_20 = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
    "ENGAGE IN DIPLOMATIC COOPERATION": "SUPPORT",
    "ENGAGE IN MATERIAL COOPERATION": "COOPERATE",
    "USE UNCONVENTIONAL MASS VIOLENCE": "ASSAULT",
}

#: The plv label that stands for two PLOVER 2.0 types (CAMEO 08 was split in two).
YIELD_TYPES = frozenset({"CONCEDE", "RETREAT"})


def plover20(label: str | None) -> str:
    """A gold label in PLOVER 2.0 spelling (unknown names pass through, upper-cased)."""
    name = (label or "").strip().upper()
    return PLOVER_05_TO_20.get(name, name)


# -- CAMEO actor codes ---------------------------------------------------------------------------
#: CAMEO / KEDS country codes that differ from ISO 3166-1 alpha-3. The PETRARCH Phoenix
#: dictionary (petrarch-dictionaries/Phoenix.Countries.actors.txt) already uses ISO codes, so
#: the old codes that still occur in the PLOVER GSR are listed here by hand.
CAMEO_COUNTRY_CODES = {
    "JAP": "JPN",
    "ITL": "ITA",
    "GMY": "DEU",
    "VTN": "VNM",
    "UK": "GBR",
    "UKG": "GBR",
    "FRN": "FRA",
    "SPN": "ESP",
    "SWD": "SWE",
    "SWZ": "CHE",
    "NTH": "NLD",
    "POR": "PRT",
    "RUM": "ROU",
    "ROM": "ROU",
    "YUG": "SRB",
    "ZAI": "COD",
    "DRC": "COD",
    "SAF": "ZAF",
    "TAZ": "TZA",
    "BUI": "BDI",
}

#: Codes kept as they are: PLOVER's international actors.
INTERNATIONAL_CODES = frozenset({"IGO", "NGO", "MNC", "UNO", "EUR"})

#: Codes that name no state and no PLOVER international code (CAMEO IMG = international
#: militarised group, NGM = non-governmental movement, religions ...): country not scored.
UNSCORED_CODES = frozenset({"IMG", "ISM", "NGM", "MOS", "CHR", "JEW", "BUD", "HIN", "REL"})


def _iso3_codes() -> frozenset[str]:
    try:
        import pycountry
    except ImportError:  # pragma: no cover - pycountry is a dependency
        return frozenset()
    return frozenset(c.alpha_3 for c in pycountry.countries)


_ISO3: frozenset[str] | None = None


def cameo_to_iso3(code: str | None) -> str | None:
    """A GSR actor code as the country the pipeline should give: ISO3, IGO/NGO/..., or None
    when the code is empty or names no country (then the country is not scored)."""
    global _ISO3
    if not code:
        return None
    code = code.strip().upper()[:3]
    if code in INTERNATIONAL_CODES:
        return code
    if code in CAMEO_COUNTRY_CODES:
        return CAMEO_COUNTRY_CODES[code]
    if code in UNSCORED_CODES:
        return None
    if _ISO3 is None:
        _ISO3 = _iso3_codes()
    if code in _ISO3 or not _ISO3:
        return code
    return None


# -- plover-gsr ----------------------------------------------------------------------------------
@dataclass
class GoldActor:
    text: str
    code: str | None
    country: str | None
    sector: str | None = None


@dataclass
class GsrItem:
    id: str
    text: str
    date: date | None
    label: str
    raw_label: str
    sources: list[GoldActor] = field(default_factory=list)
    targets: list[GoldActor] = field(default_factory=list)


def _gold_actors(value: Any) -> list[GoldActor]:
    if not isinstance(value, list):
        return []  # absent, or a stray string such as '' or 'diplomatic'
    out = []
    for a in value:
        if isinstance(a, dict):
            code = a.get("code")
            out.append(
                GoldActor(
                    text=str(a.get("actorText") or ""),
                    code=code,
                    country=cameo_to_iso3(code),
                    sector=a.get("sector"),
                )
            )
    return out


def load_plover_gsr(path: str | Path) -> list[GsrItem]:
    """Every event record of PLOVER_GSR_CAMEO.txt (the DOCUMENT record is skipped).

    ``path`` is the file or the folder holding it. A repeated id gets ``#2``, ``#3`` ...
    """
    path = Path(path)
    if path.is_dir():
        path = path / "PLOVER_GSR_CAMEO.txt"
    records = json.loads(path.read_text(encoding="utf-8"))
    items: list[GsrItem] = []
    seen: dict[str, int] = {}
    for rec in records:
        if not isinstance(rec, dict) or rec.get("event") == "DOCUMENT" or not rec.get("text"):
            continue
        rid = str(rec.get("id") or f"gsr-{len(items)}")
        seen[rid] = seen.get(rid, 0) + 1
        if seen[rid] > 1:
            rid = f"{rid}#{seen[rid]}"
        raw = str(rec.get("event") or "")
        items.append(
            GsrItem(
                id=rid,
                text=rec["text"],
                date=normalise_date(rec.get("date")),
                label=plover20(raw),
                raw_label=raw,
                sources=_gold_actors(rec.get("source")),
                targets=_gold_actors(rec.get("target")),
            )
        )
    return items


# -- handwritten ---------------------------------------------------------------------------------
#: Data sets of one-sentence events scored alike (type, source and target country).
SENTENCE_EVENT_SETS = ("plover-gsr", "handwritten")
#: communique's own check set, shipped with the package (docs/evaluation.md, "handwritten").
HANDWRITTEN_PATH = Path(__file__).resolve().parent.parent / "data" / "eval" / "handwritten-events.jsonl"


def _hand_actor(rec: dict[str, Any], role: str) -> GoldActor:
    return GoldActor(text=rec.get(role) or "", code=None, country=rec.get(f"{role}_country"))


def _numbered_json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) of each non-blank line of a gold JSONL file; a bad line fails
    loudly with its place (gold that cannot be read cannot be scored)."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n}: not a JSON object ({exc.msg})") from None


def load_handwritten(path: str | Path) -> list[GsrItem]:
    """The project's hand-labelled sentences (one JSON object per line: ``text``, ``date``,
    ``type``, ``source``/``source_country``, ``target``/``target_country``), read into the
    plover-gsr item shape so the same scorer applies. Codes are already ISO 3166-1 alpha-3
    or PLOVER's non-state codes."""
    path = Path(path)
    if path.is_dir():
        path = path / HANDWRITTEN_PATH.name
    items: list[GsrItem] = []
    for n, rec in _numbered_json_lines(path):
        label = str(rec.get("type") or "").upper()
        items.append(
            GsrItem(
                id=str(rec.get("id") or f"hw-{n}"),
                text=str(rec["text"]),
                date=normalise_date(rec.get("date")),
                label=label,
                raw_label=label,
                sources=[_hand_actor(rec, "source")],
                targets=[_hand_actor(rec, "target")],
            )
        )
    return items


# -- plv -----------------------------------------------------------------------------------------
#: plv writes these instead of a span when the actor is not in the sentence.
PLV_PLACEHOLDERS = frozenset({"actor", "recipient"})


@dataclass
class PlvItem:
    id: str
    text: str
    label: str
    source: str
    target: str
    source_span: Fragment | None
    target_span: Fragment | None


def _plv_span(text: str, value: str) -> Fragment | None:
    if not value or value.strip().lower() in PLV_PLACEHOLDERS:
        return None
    return locate(text, value)


def load_plv(path: str | Path) -> list[PlvItem]:
    """The rows of plv/train.csv (``path``: the file or its folder)."""
    path = Path(path)
    if path.is_dir():
        path = path / "train.csv"
    items = []
    with path.open(encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            text = row.get("text") or ""
            if not text.strip():
                continue
            m = re.search(r"sentence_id=(\d+)", row.get("meta") or "")
            source, target = row.get("source") or "", row.get("target") or ""
            items.append(
                PlvItem(
                    id=f"plv-{m.group(1)}" if m else f"plv-row{i + 2}",
                    text=text,
                    label=(row.get("label") or "").strip().upper(),
                    source=source,
                    target=target,
                    source_span=_plv_span(text, source),
                    target_span=_plv_span(text, target),
                )
            )
    return items


# -- actor-resolution ----------------------------------------------------------------------------
@dataclass
class ActorCase:
    id: str
    actor: str
    context: str | None
    date: date | None
    expect: dict[str, str]
    line: int = 0


def load_actor_cases(path: str | Path) -> list[ActorCase]:
    """The cases of actor-resolution/dev.jsonl (``path``: the file or its folder)."""
    path = Path(path)
    if path.is_dir():
        path = path / "dev.jsonl"
    cases = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            rec = json.loads(line)
            expect = rec.get("expect") or {}
            cases.append(
                ActorCase(
                    id=str(rec.get("id") or f"line{n}"),
                    actor=str(rec.get("actor") or ""),
                    context=(rec.get("context") or None),
                    date=normalise_date(rec.get("date")),
                    expect={k: ("" if v is None else str(v)) for k, v in expect.items()},
                    line=n,
                )
            )
    return cases


# -- PolNeAR -------------------------------------------------------------------------------------
#: Lemmas of cue words that report speech (said, told, wrote, tweeted ...).
SPEECH_LEMMAS = word_set(
    """say tell add state claim argue note explain write report announce insist warn ask reply
    respond answer declare comment remark tweet post suggest call urge accuse criticize criticise
    praise deny admit acknowledge confirm promise pledge vow predict describe recall mention stress
    emphasize emphasise point question testify assert contend concede complain charge allege blast
    slam denounce condemn reiterate repeat continue observe joke quip shout yell chant tout boast brag
    lament reveal disclose propose recommend demand threaten speak talk discuss declare counter
    caution advise challenge dismiss echo attack mock retort recount tweeted told said wrote spoke
    interject inform assure vouch apologize apologise thank announce proclaim conclude"""
)

#: Multi-word cues that report speech.
SPEECH_PHRASES = ("according to", "in a statement", "in an interview", "quoted as", "put it")

#: Cue lemmas that are not speech (cognition, wish, perception, evidence); documented only: a cue
#: is speech when it holds a speech lemma, and these never are.
NOT_SPEECH_LEMMAS = word_set(
    """believe think feel know want hope fear wish expect plan seem appear see hear find show
    consider view regard worry doubt intend prefer like love hate understand realize realise learn
    decide agree support endorse oppose seek refuse decline cite read indicate"""
)

_IRREGULAR = {
    "said": "say", "says": "say", "told": "tell", "wrote": "write", "written": "write",
    "spoke": "speak", "spoken": "speak", "thought": "think", "felt": "feel", "knew": "know",
    "known": "know", "saw": "see", "seen": "see", "heard": "hear", "found": "find",
    "shown": "show", "sought": "seek", "understood": "understand", "read": "read",
}  # fmt: skip


def lemma_candidates(word: str) -> set[str]:
    """Rough English verb lemmas of ``word`` (no model): said->say, noting->note, urges->urge."""
    w = word.lower()
    out = {w}
    if w in _IRREGULAR:
        out.add(_IRREGULAR[w])
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"),
                         ("d", ""), ("ing", ""), ("ing", "e")):  # fmt: skip
        if w.endswith(suffix) and len(w) - len(suffix) >= 2:
            stem = w[: -len(suffix)] + repl
            out.add(stem)
            if len(stem) > 2 and stem[-1] == stem[-2] and not repl:  # admitted -> admit
                out.add(stem[:-1])
    return out


def is_speech_cue(cue: str) -> bool:
    """Whether a PolNeAR cue reports speech (see docs/evaluation.md for the lists).

    Speech: a word whose lemma is in :data:`SPEECH_LEMMAS`, a phrase of
    :data:`SPEECH_PHRASES`, or a cue of punctuation only (':' or a dash before a quote).
    """
    text = " ".join(cue.lower().split())
    if not text:
        return False
    if not re.search(r"[a-z]", text):
        return bool(re.search(r"[:\u2014\u2015\u2013-]", text))
    if any(p in text for p in SPEECH_PHRASES):
        return True
    words = re.findall(r"[a-z]+", text)
    return any(lemma_candidates(w) & SPEECH_LEMMAS for w in words)


OPENING_QUOTES = '"“«‘„'


def is_direct_content(text: str, content: list[Fragment]) -> bool:
    """Direct when an opening quotation mark stands at or near the start of the content.

    Near: among the first three non-space characters of the content, or just before the
    content (one space between allowed) when annotators left the mark out. A straight ``"``
    just before the content only counts when it opens (nothing but space or ``(`` before it).
    """
    if not content:
        return False
    start, end = min(content)
    head = text[start:end].lstrip()[:3]
    if any(q in head for q in OPENING_QUOTES):
        return True
    i = start - 1
    if i >= 0 and text[i] == " ":
        i -= 1
    if i < 0:
        return False
    mark = text[i]
    if mark == '"':
        return i == 0 or text[i - 1].isspace() or text[i - 1] in "(["
    return mark in OPENING_QUOTES


@dataclass
class Attribution:
    id: str
    relation: str  # 'Attribution' or 'Attribution-no-source'
    content: list[Fragment]
    cue: list[Fragment]
    source: list[Fragment]
    content_text: str
    cue_text: str
    source_text: str
    speech: bool
    direct: bool

    @property
    def kind(self) -> str:
        return "direct" if self.direct else "indirect"


@dataclass
class PolnearArticle:
    id: str
    text: str
    date: date | None
    annotation: str
    attributions: list[Attribution] = field(default_factory=list)


_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t?(.*)$")
_E_LINE = re.compile(r"^(E\d+)\t(\S+)(.*)$")


def parse_brat(ann: str, text: str) -> list[Attribution]:
    """The attributions of one PolNeAR ``.ann`` file.

    ``T`` lines are spans (``Source``/``Cue``/``Content``/``Attribution``/``Discard``/``Discuss``),
    possibly discontinuous (``Content 10 20;25 40``); ``E`` lines tie them into one
    attribution (``E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1``; roles may carry a number,
    ``Content2:T9``). Other lines (``#`` notes and their continuation lines) are ignored, as are
    attributions without content.
    """
    spans: dict[str, tuple[str, list[Fragment]]] = {}
    events: list[tuple[str, str, list[tuple[str, str]]]] = []
    for raw in ann.splitlines():
        line = raw.rstrip("\r")
        m = _T_LINE.match(line)
        if m:
            frags = [(int(a), int(b)) for a, b in (p.split() for p in m.group(3).split(";"))]
            spans[m.group(1)] = (m.group(2), frags)
            continue
        m = _E_LINE.match(line)
        if m:
            head, _, _ = m.group(2).partition(":")
            args = []
            for arg in m.group(3).split():
                role, _, ref = arg.partition(":")
                args.append((re.sub(r"\d+$", "", role), ref))
            events.append((m.group(1), head, args))
    out = []
    for eid, relation, args in events:
        parts: dict[str, list[Fragment]] = {"Content": [], "Cue": [], "Source": []}
        for role, ref in args:
            if role in parts and ref in spans:
                parts[role].extend(spans[ref][1])
        if not parts["Content"]:
            continue
        for role in parts:
            parts[role] = sorted(set(parts[role]))

        def text_of(frags: list[Fragment]) -> str:
            return " ".join(text[s:e] for s, e in frags)

        cue_text = text_of(parts["Cue"])
        out.append(
            Attribution(
                id=eid,
                relation=relation,
                content=parts["Content"],
                cue=parts["Cue"],
                source=parts["Source"],
                content_text=text_of(parts["Content"]),
                cue_text=cue_text,
                source_text=text_of(parts["Source"]),
                speech=is_speech_cue(cue_text),
                direct=is_direct_content(text, parts["Content"]),
            )
        )
    return out


def polnear_annotation_files(compartment: Path) -> dict[str, Path]:
    """Article name -> its annotation file. Articles annotated by several annotators
    (``NAME_ab12.ann``, ``NAME_cd34.ann``) keep the first file in name order."""
    chosen: dict[str, Path] = {}
    for ann in sorted((compartment / "attributions").glob("*.ann")):
        name = re.sub(r"_[0-9a-f]{4}$", "", ann.stem)
        chosen.setdefault(name, ann)
    return chosen


def polnear_article_names(compartment: str | Path) -> list[str]:
    """Names of the articles of one compartment that have both text and annotations."""
    compartment = Path(compartment)
    files = polnear_annotation_files(compartment)
    return sorted(n for n in files if (compartment / "text" / f"{n}.txt").exists())


def load_polnear(compartment: str | Path, names: list[str] | None = None) -> list[PolnearArticle]:
    """The articles of one compartment folder (``polnear/dev`` or ``polnear/train``), in
    name order, or only ``names``."""
    compartment = Path(compartment)
    files = polnear_annotation_files(compartment)
    wanted = polnear_article_names(compartment) if names is None else names
    out = []
    for name in wanted:
        text_path = compartment / "text" / f"{name}.txt"
        if name not in files or not text_path.exists():
            continue
        with text_path.open(encoding="utf-8", newline="") as fh:
            text = fh.read()
        ann = files[name].read_text(encoding="utf-8")
        m = re.search(r"_(\d{4}-\d{2}-\d{2})_", name)
        out.append(
            PolnearArticle(
                id=name,
                text=text,
                date=normalise_date(m.group(1)) if m else None,
                annotation=files[name].name,
                attributions=parse_brat(ann, text),
            )
        )
    return out


# -- re3d ----------------------------------------------------------------------------------------
RE3D_ACTOR_TYPES = ("Person", "Organisation", "Nationality", "Location")


@dataclass
class Re3dEntity:
    id: str
    type: str
    start: int
    end: int
    value: str
    confidence: float


@dataclass
class Re3dDocument:
    id: str
    source: str
    title: str | None
    text: str
    entities: list[Re3dEntity] = field(default_factory=list)


def _json_lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def re3d_sources(path: str | Path) -> list[Path]:
    """The source folders of re3d (each with documents.json), in name order."""
    path = Path(path)
    if (path / "documents.json").exists():
        return [path]
    return sorted(p for p in path.iterdir() if p.is_dir() and (p / "documents.json").exists())


def load_re3d(
    path: str | Path, min_confidence: float = 0.5, types: tuple[str, ...] | None = RE3D_ACTOR_TYPES
) -> list[Re3dDocument]:
    """Documents of every re3d source folder with their entities of ``types`` (None: all)
    whose confidence is at least ``min_confidence``."""
    docs: list[Re3dDocument] = []
    for folder in re3d_sources(path):
        by_id: dict[str, Re3dDocument] = {}
        for rec in _json_lines(folder / "documents.json"):
            doc = Re3dDocument(
                id=str(rec["_id"]),
                source=str(rec.get("sourceName") or folder.name),
                title=rec.get("title"),
                text=rec.get("text") or "",
            )
            by_id[doc.id] = doc
            docs.append(doc)
        for rec in _json_lines(folder / "entities.json"):
            owner = by_id.get(str(rec.get("documentId")))
            if owner is None:
                continue
            if float(rec.get("confidence", 0)) < min_confidence:
                continue
            if types is not None and rec.get("type") not in types:
                continue
            owner.entities.append(
                Re3dEntity(
                    id=str(rec.get("_id")),
                    type=str(rec.get("type")),
                    start=int(rec["begin"]),
                    end=int(rec["end"]),
                    value=str(rec.get("value") or ""),
                    confidence=float(rec.get("confidence", 0)),
                )
            )
    for doc in docs:
        doc.entities.sort(key=lambda e: (e.start, e.end))
    return docs


# -- realnews: whole articles with hand gold -----------------------------------------------------
#: Data sets of whole articles, scored on the records `communique extract` writes.
ARTICLE_SETS = ("realnews",)

#: The file the realnews folder keeps its gold events in (beside the dNN.txt articles).
REALNEWS_GOLD = "gold.jsonl"


@dataclass
class RealnewsGold:
    """One hand-coded event of a real article (``../shared/data/realnews/ANNOTATION.md``)."""

    id: str
    article: str
    main: bool
    type: str
    accept_types: list[str]
    status: str
    sentence: str
    evidence: str
    source_countries: set[str]
    target_countries: set[str]
    symmetric: bool


@dataclass
class RealnewsArticle:
    """One article (its file stem is its id) with the gold events coded from it."""

    id: str
    path: Path
    gold: list[RealnewsGold] = field(default_factory=list)


def _gold_countries(parsed: Any) -> set[str]:
    return {str(a["country"]) for a in (parsed or {}).get("alternatives") or [] if a.get("country")}


def load_realnews(path: str | Path) -> list[RealnewsArticle]:
    """The articles of a realnews folder (``dNN.txt``) with their gold events, in name order.
    Articles are read later by the pipeline's own reader, as ``communique extract`` would."""
    root = Path(path)
    gold_path = root / REALNEWS_GOLD
    articles = {p.stem: RealnewsArticle(id=p.stem, path=p) for p in sorted(root.glob("*.txt"))}
    for n, rec in _numbered_json_lines(gold_path):
        article = articles.get(str(rec["article"]))
        if article is None:
            raise ValueError(f"{gold_path}:{n}: no article file {rec['article']}.txt")
        target = rec.get("target_parsed") or {}
        article.gold.append(
            RealnewsGold(
                id=str(rec["id"]),
                article=article.id,
                main=bool(rec.get("main")),
                type=str(rec["type"]),
                accept_types=[str(t) for t in rec.get("accept_types") or [rec["type"]]],
                status=str(rec["status"]),
                sentence=str(rec["sentence"]),
                evidence=str(rec["evidence"]),
                source_countries=_gold_countries(rec.get("source_parsed")),
                target_countries=_gold_countries(target),
                symmetric=bool(target.get("symmetric")),
            )
        )
    return list(articles.values())
