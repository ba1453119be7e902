"""The typed data model that flows through every stage of the pipeline.

read -> ``Document`` -> analyse -> resolve (``ActorMention``/``Actor``) -> code
(``Event``/``Quote``) -> ``Result`` -> store / export / serve.

Every piece of evidence carries character offsets (``start`` inclusive, ``end``
exclusive) into ``Document.text`` so any record can be traced back to the exact
characters it came from. Field names listed in the output contract (README) are
stable; new fields may be added, none renamed.
"""

from __future__ import annotations

import datetime as dt  # as ``dt``: the models have fields named ``date``
import hashlib
import unicodedata
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Span(_Model):
    """A stretch of the document text: ``text == document.text[start:end]``."""

    text: str = Field(description="The characters of the span, verbatim.")
    start: int = Field(ge=0, description="Offset of the first character.")
    end: int = Field(ge=0, description="Offset one past the last character.")


class Place(Span):
    """A place name of the text resolved to the gazetteer (GeoNames, data/places/geonames.tsv.gz),
    or left unresolved (every field after ``end`` null) when the text does not say which.
    A region ('the Middle East') has a name and no coordinates: no point is invented."""

    name: str | None = Field(None, description="The gazetteer's name of the place, e.g. 'Aleppo'.")
    country: str | None = Field(None, description="ISO 3166-1 alpha-3 code of its country.")
    admin1: str | None = Field(None, description="Its first-level division ('Alberta', 'Texas').")
    admin1_code: str | None = Field(
        None, description="GeoNames code of that division ('TX', '01'): FIPS 10-4 for most countries."
    )
    lat: float | None = Field(None, ge=-90, le=90, description="Latitude (WGS84); null for a region.")
    lon: float | None = Field(None, ge=-180, le=180, description="Longitude (WGS84); null for a region.")
    geonames_id: int | None = Field(None, description="GeoNames id, when the gazetteer has one.")
    feature_code: str | None = Field(
        None,
        description="GeoNames feature code: PCLI country, ADM1/ADM2 division, PPL town, PPLC "
        "capital, CONT continent, RGN region.",
    )


class ActorMention(_Model):
    """One place in the text that names or refers to an actor, coded."""

    text: str = Field(description="The mention as written, e.g. 'US Secretary of State Marco Rubio'.")
    start: int = Field(ge=0, description="Offset of the mention's first character.")
    end: int = Field(ge=0, description="Offset one past the mention's last character.")
    country: str | None = Field(
        None,
        description="ISO 3166-1 alpha-3 code, or PLOVER's IGO, UNO (United Nations), EUR (European Union), "
        "NGO, MNC; null when unknown.",
    )
    sectors: list[str] = Field(
        default_factory=list, description="PLOVER sector codes, most specific first (GOV, MIL, REB ...)."
    )
    name: str | None = Field(None, description="Canonical resolved name, e.g. 'Marco Rubio', or null.")
    role: str | None = Field(None, description="Role or title, e.g. 'Secretary of State'.")
    entity: int | None = Field(
        None, description="Id of the in-document entity; coreferent mentions share it."
    )
    kind: str | None = Field(
        None,
        description=(
            "What sort of actor: person, organization, country, place, group, media, "
            "unidentified (an event source only: the unnamed actor of an attack, placed where "
            "it happened, its evidence the attack's words), or null."
        ),
    )
    matched: str | None = Field(
        None, description="Which knowledge entry or rule produced the coding (for auditing)."
    )


class Actor(_Model):
    """An in-document entity: all mentions of one actor merged by coreference."""

    entity: int = Field(description="Id referenced by ActorMention.entity.")
    name: str | None = Field(None, description="Canonical name of the actor.")
    country: str | None = Field(None, description="Country or IGO code, as for ActorMention.")
    sectors: list[str] = Field(default_factory=list, description="PLOVER sector codes.")
    role: str | None = Field(None, description="Role or title.")
    kind: str | None = Field(None, description="person, organization, country, group, media ...")
    mentions: list[int] = Field(
        default_factory=list, description="Indices into Result.actors of the mentions of this entity."
    )


class EventStatus(StrEnum):
    """How the text presents the event. Only ``happened`` asserts that it took place."""

    happened = "happened"
    intended = "intended"
    conditional = "conditional"
    threatened = "threatened"
    refused = "refused"
    negated = "negated"
    hypothetical = "hypothetical"
    alleged = "alleged"


class EventMention(_Model):
    """One place in the document that reports an event: its trigger words and sentence."""

    trigger: Span = Field(description="The words that express the event there.")
    sentence: Span = Field(description="The sentence they stand in.")


class Event(_Model):
    """A who-did-what-to-whom record in PLOVER 2.0 with its CAMEO equivalent.

    One record per real event of the document: the mentions that report the same event
    (several trigger words, a later retelling) are merged into it, listed in ``mentions``.
    A record names who did it (``source``), as event data codes; an act told in the passive
    with its doer unsaid ('Bolsonaro is accused') keeps no source. Acts whose doer the coder
    could not find are left out, unless ``keep_uncoded`` is set."""

    type: str = Field(description="PLOVER 2.0 event type, e.g. CONSULT, ASSAULT.")
    mode: str | None = Field(None, description="PLOVER mode of the type, e.g. 'visit', or null.")
    context: list[str] = Field(default_factory=list, description="PLOVER contexts, e.g. ['military'].")
    cameo: str | None = Field(None, description="CAMEO event code, at least the 2-3 digit base code.")
    goldstein: float | None = Field(None, description="Goldstein value of the CAMEO code (GDELT table).")
    quad_class: int | None = Field(
        None,
        ge=1,
        le=4,
        description="1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.",
    )
    status: EventStatus = Field(EventStatus.happened, description="Factuality of the event in the text.")
    source: ActorMention | None = Field(None, description="The actor who does it.")
    target: ActorMention | None = Field(None, description="The actor it is done to.")
    source_phrase: Span | None = Field(
        None,
        description="The whole argument of the trigger that names the source, e.g. 'Bahrain, Kuwait "
        "and the United Arab Emirates' for the source 'Kuwait'; null without a source.",
    )
    target_phrase: Span | None = Field(
        None,
        description="The whole argument of the trigger that names the target, e.g. \"Netanyahu's "
        "hardline policies\" for the target 'Netanyahu'. With no target actor: what the event is "
        "done to as the text puts it ('condemned the terrorist attack', 'agreed to establish an "
        "interim force'); for an act on an area, where it happens ('imposed a curfew in "
        "Jamaica'); else null.",
    )
    trigger: Span = Field(description="The words that express the event.")
    sentence: Span = Field(description="The sentence the event was coded from.")
    confidence: float = Field(ge=0.0, le=1.0, description="The coder's confidence, 0..1.")
    reported_by: ActorMention | None = Field(
        None, description="Who says the event happened (reported speech), or null."
    )
    quote: int | None = Field(None, description="Index into Result.quotes of the quote containing it.")
    method: str | None = Field(None, description="'lexicon', 'model' or 'lexicon+model'.")
    location: Place | None = Field(
        None,
        description="Where the event happened as the text names it ('in Mogadishu'), when its "
        "sentence places it, resolved to the gazetteer where the text allows; null otherwise.",
    )
    mentions: list[EventMention] = Field(
        default_factory=list,
        description="Every place in the document that reports this event, in text order; the "
        "first that is its trigger/sentence included. Empty in records written before this field.",
    )

    @field_validator("location", mode="before")
    @classmethod
    def _span_as_place(cls, value: Any) -> Any:
        """A plain span (as the record stage and older code give it) is an unresolved place."""
        return value.model_dump() if type(value) is Span else value


class QuoteKind(StrEnum):
    direct = "direct"
    indirect = "indirect"
    mixed = "mixed"


class Quote(_Model):
    """An attribution: somebody said (or is reported to have said) something."""

    kind: QuoteKind = Field(description="direct (in quote marks), indirect (reported), mixed (both).")
    start: int = Field(ge=0, description="Start of the whole attribution (content, cue and speaker).")
    end: int = Field(ge=0, description="End of the whole attribution.")
    content: Span = Field(
        description="What was said: from the first quoted word to the last. When the words come in "
        "pieces (interrupted by the attribution, or continued after a sentence of narrative) the span "
        "covers the words between as well; content_parts has the pieces alone."
    )
    content_parts: list[Span] = Field(
        default_factory=list,
        description="The pieces of the content, in order, without what interrupts them; one piece "
        "when the content is continuous. Empty only in records written before this field existed.",
    )
    cue: Span | None = Field(None, description="The reporting verb or phrase ('said', 'according to').")
    speaker: ActorMention | None = Field(None, description="Who said it, resolved to an actor.")
    medium: str | None = Field(None, description="The outlet the words were given to ('Bloomberg').")
    events: list[int] = Field(default_factory=list, description="Indices into Result.events coded inside.")

    def parts(self) -> list[Span]:
        """The content pieces (``content`` itself for records without ``content_parts``)."""
        return self.content_parts or [self.content]

    def covers(self, char: int) -> bool:
        """Whether character offset ``char`` lies in the quoted words (not in an interruption)."""
        return any(p.start <= char < p.end for p in self.parts())


class Problem(_Model):
    """Something that went wrong with one document or input line; the batch goes on."""

    source: str = Field(description="Where: file path, plus ':LINE' for JSONL/CSV rows.")
    reason: str = Field(description="A plain-language reason.")
    stage: str = Field("read", description="Pipeline stage: read, analyse, code.")


def normalise_text(text: str) -> str:
    """The text as every stage sees it: line breaks as LF (a CRLF or a lone CR is one LF) and
    Unicode in composed form (NFC: 'é' is one character however the source wrote it), so the
    same article gives the same records from a file, a JSON field, a pasted form or the API."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


class Document(_Model):
    """A news article as read from the input, before analysis. Its text is normalised once,
    here, where every reader makes it (``normalise_text``)."""

    id: str = Field(description="The id given by the input, else 'sha1:' + content hash.")
    text: str = Field(description="The text that all offsets refer to.")
    source: str = Field(description="Where it was read from: path, plus ':LINE' for row formats.")
    title: str | None = Field(None, description="Headline, when the input gives one.")
    date: dt.date | None = Field(
        None, description="Publication date, ISO 8601 (YYYY-MM-DD), or null if unknown."
    )
    url: str | None = Field(None, description="Address of the article, when known.")
    meta: dict[str, Any] = Field(default_factory=dict, description="Other input fields, kept verbatim.")

    @field_validator("text", mode="before")
    @classmethod
    def _normalised(cls, value: Any) -> Any:
        return normalise_text(value) if isinstance(value, str) else value


class Result(_Model):
    """Everything extracted from one document: one line of `communique extract` output."""

    id: str = Field(description="The document id: given by the input, else 'sha1:' + hash of the text.")
    source: str = Field(description="Where the document was read from: path, plus ':LINE' for row formats.")
    title: str | None = Field(None, description="Headline, or null.")
    date: dt.date | None = Field(
        None, description="Publication date YYYY-MM-DD; null when the input gives none."
    )
    url: str | None = Field(None, description="Address of the article, or null.")
    text: str | None = Field(
        None, description="The document text the offsets refer to (omitted with --no-text)."
    )
    actors: list[ActorMention] = Field(
        default_factory=list, description="Every actor mention, in text order."
    )
    entities: list[Actor] = Field(default_factory=list, description="Mentions merged by coreference.")
    events: list[Event] = Field(default_factory=list, description="Coded events, in text order.")
    quotes: list[Quote] = Field(
        default_factory=list, description="Direct and indirect quotes, in text order."
    )
    places: list[Place] = Field(
        default_factory=list,
        description="Every place name of the text (demonyms of a country "
        "included), resolved or not, in text order.",
    )
    errors: list[Problem] = Field(
        default_factory=list, description="Problems met with this document that did not stop it."
    )


def json_schema() -> dict[str, Any]:
    """The JSON Schema of one result line, as committed in docs/schema.json."""
    schema = Result.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://communique.invalid/schema/result.json"
    return schema


def content_id(text: str) -> str:
    """The id of a document that has none: a hash of its normalised text, stable across runs
    and sources (CRLF or LF, composed or decomposed accents)."""
    return "sha1:" + hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()[:16]
