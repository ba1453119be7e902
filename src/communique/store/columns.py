"""The store's columns, derived from the models: one spec per stored table.

Each ``Table`` lists its columns, each with its name, DuckDB type, Arrow type and how to get
its value from a record. From it come the DDL (``schema.DDL``), the Arrow schemas and rows
the writer stages, the columns an event cluster takes from its first mention, and the event
columns of the exports.

A model field becomes columns by its type: ``str`` and enums VARCHAR, ``int`` INTEGER,
``float`` DOUBLE, ``bool`` BOOLEAN, a list of one of those a list column (``VARCHAR[]``
...), a nested model (an actor mention, a span) one column per subfield, named
``{field}_{subfield}``. The rows of mentions, events and quotes start with ``doc_id``,
``idx`` and ``date`` and end with the record as ``extract`` wrote it (``*_json``). Where a
table departs from its model on purpose (a column renamed, retyped, moved, left out or
computed) a ``Rule`` below says so, and nowhere else: a field added to ``Event`` becomes a
column of ``events`` and of the exports with no other edit (an existing store file then
lacks it until migrated: see ``schema.SCHEMA_VERSION``).
"""

from __future__ import annotations

import json
import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from functools import cached_property
from typing import Any, NamedTuple, Union, get_args, get_origin
from urllib.parse import urlsplit

import pyarrow as pa
from pydantic import BaseModel

from communique.models import ActorMention, Event, Quote, Result


# -- what a row is made from -----------------------------------------------------------------
@dataclass(frozen=True)
class Origin:
    """What every row of a document takes from it, worked out once per document."""

    result: Result
    digest: str  # the content hash (writer.content_hash)
    now: datetime  # when the batch is stored
    lead_end: int | None  # where the lead paragraph ends

    @classmethod
    def of(cls, result: Result, digest: str, now: datetime) -> Origin:
        return cls(result, digest, now, _lead_end(result.text))


class Row(NamedTuple):
    """One record to store (the result itself for ``documents``), its position in the
    result's list and its document."""

    record: Any
    idx: int
    origin: Origin


Getter = Callable[[Row], Any]


def _lead_end(text: str | None) -> int | None:
    """Where the lead paragraph ends: the first line break after the first words."""
    if text is None:
        return None
    begin = len(text) - len(text.lstrip())
    found = text.find("\n", begin)
    return len(text) if found < 0 else found


def outlet_of(url: str | None) -> str | None:
    """The outlet of an article: the host of its URL without 'www.', or None."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


# -- columns and tables ----------------------------------------------------------------------
_ARROW: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(),
    "INTEGER": pa.int32(),
    "TINYINT": pa.int8(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
}
# bool before int: a bool is an int to Python
_SQL: dict[type, str] = {bool: "BOOLEAN", str: "VARCHAR", int: "INTEGER", float: "DOUBLE"}


@dataclass(frozen=True)
class Column:
    """One column of a stored table."""

    name: str
    sql: str  # DuckDB type: VARCHAR, INTEGER[] ...
    get: Getter
    constraint: str = ""  # what follows the type in the DDL: NOT NULL, PRIMARY KEY ...
    field: str | None = None  # the model field it comes from; None for keys and the record's JSON

    @property
    def arrow(self) -> pa.DataType:
        """The Arrow type the writer stages it as."""
        if self.is_list:
            return pa.list_(_ARROW[self.sql[:-2]])
        return _ARROW[self.sql]

    @property
    def is_list(self) -> bool:
        return self.sql.endswith("[]")

    def ddl(self) -> str:
        return " ".join(part for part in (self.name, self.sql, self.constraint) if part)


@dataclass(frozen=True, eq=False)  # a table is itself: hashed by identity, cheaply
class Table:
    """A stored table: its columns, and which records of a result are its rows."""

    name: str
    columns: tuple[Column, ...]
    records: Callable[[Result], Sequence[Any]]

    @cached_property
    def schema(self) -> pa.Schema:
        """The Arrow schema of the rows the writer stages."""
        return pa.schema([(c.name, c.arrow) for c in self.columns])

    @cached_property
    def _by_name(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def column(self, name: str) -> Column:
        return self._by_name[name]

    def ddl(self) -> str:
        body = ",\n".join(f"    {c.ddl()}" for c in self.columns)
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n{body}\n);"

    def rows(self, origin: Origin) -> list[dict[str, Any]]:
        """The rows of one document, as the writer stages them."""
        records = self.records(origin.result)
        return [
            {c.name: c.get(row) for c in self.columns}
            for row in (Row(record, idx, origin) for idx, record in enumerate(records))
        ]


# -- from model fields to columns ------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """Where a table departs from its model for one field, or a column computed from the
    record rather than one field (named by a key that is no field)."""

    name: str | None = None  # the column's name, when not the field's
    sql: str | None = None  # the column's type, when not the field's own
    constraint: str = ""
    only: tuple[str, ...] | None = None  # of a nested model: these subfields, in this order
    after: str | None = None  # placed after this field rather than in model order
    get: Getter | None = None  # one column computed by this, instead of the field's value
    skip: bool = False  # not a column: the record's JSON keeps it


def _plain(annotation: Any) -> Any:
    """``X`` of ``X | None``."""
    if get_origin(annotation) in (Union, types.UnionType):
        kinds = [a for a in get_args(annotation) if a is not type(None)]
        if len(kinds) == 1:
            return kinds[0]
    return annotation


def _sql_type(annotation: Any) -> str:
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        return _sql_type(_plain(item)) + "[]"
    for kind, sql in _SQL.items():
        if isinstance(annotation, type) and issubclass(annotation, kind):
            return sql
    raise TypeError(f"no column type for {annotation!r}: give the field a Rule in {__name__}")


def _attribute(get: Getter, name: str) -> Getter:
    """The attribute ``name`` of what ``get`` returns, None when that is None."""

    def attribute(row: Row) -> Any:
        value = get(row)
        return None if value is None else getattr(value, name)

    return attribute


def _text(get: Getter) -> Getter:
    """An enum's value as text, as the JSON has it."""

    def text(row: Row) -> Any:
        value = get(row)
        return None if value is None else str(value)

    return text


def _field_columns(field: str, column: str, annotation: Any, get: Getter, rule: Rule) -> list[Column]:
    kind = _plain(annotation)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return [
            part
            for sub in rule.only or tuple(kind.model_fields)
            for part in _field_columns(
                field, f"{column}_{sub}", kind.model_fields[sub].annotation, _attribute(get, sub), Rule()
            )
        ]
    if isinstance(kind, type) and issubclass(kind, Enum):
        get = _text(get)
    sql = rule.sql or _sql_type(kind)
    return [Column(rule.name or column, sql, get, rule.constraint, field)]


def _field(name: str) -> Getter:
    return lambda row: getattr(row.record, name)


def model_columns(model: type[BaseModel], rules: Mapping[str, Rule]) -> list[Column]:
    """The columns of a model's fields, in model order, as ``rules`` bend them."""
    order = [*model.model_fields, *(name for name in rules if name not in model.model_fields)]
    for name, rule in rules.items():
        if rule.after:
            order.remove(name)
            order.insert(order.index(rule.after) + 1, name)
    columns: list[Column] = []
    for name in order:
        rule = rules.get(name, Rule())
        if rule.skip:
            continue
        if rule.get is not None:
            if not rule.sql:
                raise TypeError(f"the computed column {name} needs its type (Rule.sql)")
            columns.append(Column(rule.name or name, rule.sql, rule.get, rule.constraint, name))
        else:
            annotation = model.model_fields[name].annotation
            columns += _field_columns(name, name, annotation, _field(name), rule)
    return columns


# -- the tables ------------------------------------------------------------------------------
# Where the store departs from the models. An actor inside an event or quote keeps who it
# is, not where it is written (the *_json column has that).
_ACTOR = ("text", "country", "sectors", "name", "role", "kind", "entity")
_OFFSETS = {"start": Rule(name="start_char"), "end": Rule(name="end_char")}


def _in_lead(row: Row) -> bool | None:
    lead_end = row.origin.lead_end
    return None if lead_end is None else row.record.sentence.start < lead_end


# kind before entity: the order of the stored columns, which files already have
_MENTION_RULES: dict[str, Rule] = {**_OFFSETS, "kind": Rule(after="role")}
_EVENT_RULES: dict[str, Rule] = {
    "type": Rule(constraint="NOT NULL"),
    "quad_class": Rule(sql="TINYINT"),
    "status": Rule(constraint="NOT NULL"),
    "source": Rule(only=_ACTOR),
    "target": Rule(only=_ACTOR),
    "source_phrase": Rule(skip=True),
    "target_phrase": Rule(skip=True),
    "reported_by": Rule(only=_ACTOR[:4], after="target"),  # words, country, sectors, name
    "in_lead": Rule(sql="BOOLEAN", after="sentence", get=_in_lead),  # GDELT's IsRootEvent
    # every mention is in event_json; the count is GDELT's NumMentions (records written
    # before mentions existed count one)
    "mentions": Rule(name="n_mentions", sql="INTEGER", get=lambda row: len(row.record.mentions) or 1),
}
_QUOTE_RULES: dict[str, Rule] = {
    **_OFFSETS,
    "content": Rule(sql="VARCHAR", get=lambda row: " … ".join(p.text for p in row.record.parts())),
    "content_parts": Rule(skip=True),
    "cue": Rule(sql="VARCHAR", get=lambda row: row.record.cue.text if row.record.cue else None),
    "speaker": Rule(only=_ACTOR),
}
# The columns an event cluster takes from its first mention (schema.clusters_sql): what the
# happening is and between whom. Their order is that of the event_clusters view.
_CLUSTER_FIRST = (
    "type",
    "status",
    "mode",
    "cameo",
    "goldstein",
    "quad_class",
    *(f"{side}_{sub}" for side in ("source", "target") for sub in ("text", "country", "name", "sectors")),
    "sentence_text",
    # where it happened (GDELT's ActionGeo_*)
    *(f"location_{sub}" for sub in ("name", "country", "admin1", "admin1_code", "lat", "lon")),
    "location_geonames_id",
    "location_feature_code",
)

_KEY = (
    Column("doc_id", "VARCHAR", lambda row: row.origin.result.id, "NOT NULL"),
    Column("idx", "INTEGER", lambda row: row.idx, "NOT NULL"),
    Column("date", "DATE", lambda row: row.origin.result.date),
)


def _json(name: str, constraint: str = "") -> Column:
    return Column(name, "VARCHAR", lambda row: row.record.model_dump_json(), constraint)


def _dumped(name: str) -> Getter:
    return lambda row: json.dumps([x.model_dump(mode="json") for x in getattr(row.record, name)])


def _count(name: str) -> Getter:
    return lambda row: len(getattr(row.record, name))


def document_table() -> Table:
    """One row per document: what identifies it, its metadata and counts (a summary of the
    result, not a flattening of it: its records have tables of their own)."""
    columns = (
        Column("id", "VARCHAR", _field("id"), "PRIMARY KEY"),
        Column("content_hash", "VARCHAR", lambda row: row.origin.digest, "NOT NULL UNIQUE"),
        Column("source", "VARCHAR", _field("source")),
        Column("title", "VARCHAR", _field("title")),
        Column("date", "DATE", lambda row: row.origin.result.date),
        Column("url", "VARCHAR", _field("url")),
        Column("outlet", "VARCHAR", lambda row: outlet_of(row.record.url)),
        Column("text", "VARCHAR", _field("text")),
        Column("n_actors", "INTEGER", _count("actors")),
        Column("n_events", "INTEGER", _count("events")),
        Column("n_quotes", "INTEGER", _count("quotes")),
        Column("entities_json", "VARCHAR", _dumped("entities")),
        Column("places_json", "VARCHAR", _dumped("places")),
        Column("errors_json", "VARCHAR", _dumped("errors")),
        Column("ingested_at", "TIMESTAMP", lambda row: row.origin.now),
    )
    return Table("documents", columns, lambda result: [result])


def mention_table(model: type[ActorMention] = ActorMention) -> Table:
    """One row per actor mention."""
    columns = (*_KEY, *model_columns(model, _MENTION_RULES), _json("mention_json"))
    return Table("actor_mentions", columns, lambda result: result.actors)


def event_table(model: type[Event] = Event) -> Table:
    """One row per event; its actors flattened (``source_country`` ...) for filtering."""
    cluster = Column("cluster_id", "BIGINT", lambda row: None)  # the insert sets it: cluster_id_sql
    columns = (*_KEY, cluster, *model_columns(model, _EVENT_RULES), _json("event_json", "NOT NULL"))
    return Table("events", columns, lambda result: result.events)


def quote_table(model: type[Quote] = Quote) -> Table:
    """One row per quote; its speaker flattened."""
    columns = (*_KEY, *model_columns(model, _QUOTE_RULES), _json("quote_json", "NOT NULL"))
    return Table("quotes", columns, lambda result: result.quotes)


def cluster_columns(events: Table) -> tuple[Column, ...]:
    """The columns of ``events`` that an event cluster takes from its first mention."""
    return tuple(events.column(name) for name in _CLUSTER_FIRST)


DOCUMENTS = document_table()
ACTOR_MENTIONS = mention_table()
EVENTS = event_table()
QUOTES = quote_table()
STORED = (DOCUMENTS, ACTOR_MENTIONS, EVENTS, QUOTES)  # in the order the writer inserts


def ddl(tables: Sequence[Table] = STORED) -> str:
    """CREATE TABLE statements for ``tables``."""
    return "\n\n".join(t.ddl() for t in tables)
