"""spaCy component of the document stage: rewrites ``doc._.events`` as document records."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from communique.document.context import build_context
from communique.document.records import merge_mentions, place_generic_actors


@Language.factory("communique_records", default_config={"actors_files": []})
def make_records_component(nlp: Language, name: str, actors_files: list[str]) -> RecordsComponent:
    return RecordsComponent(actors_files=actors_files)


class RecordsComponent:
    def __init__(self, actors_files: list[str] | None = None) -> None:
        from communique.actors import ActorResolver, load_knowledge

        self.resolver = ActorResolver(load_knowledge(tuple(actors_files or ())))

    def __call__(self, doc: Doc) -> Doc:
        events = doc._.events
        if not events:
            return doc
        ctx = build_context(doc, doc._.actors or [], self.resolver.country_code)
        doc._.events = merge_mentions(place_generic_actors(events, ctx))
        return doc
