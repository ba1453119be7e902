"""spaCy component of the event stage: sets ``doc._.events``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from communique.events.coder import EventCoder
from communique.events.lexicon import load_lexicon
from communique.events.ontology import load_ontology


@Language.factory(
    "communique_events", default_config={"keep_uncoded": False, "event_model": None, "actors_files": []}
)
def make_event_component(
    nlp: Language, name: str, keep_uncoded: bool, event_model: str | None, actors_files: list[str]
) -> EventComponent:
    return EventComponent(keep_uncoded=keep_uncoded, event_model=event_model, actors_files=actors_files)


class EventComponent:
    def __init__(
        self,
        keep_uncoded: bool = False,
        event_model: str | None = None,
        actors_files: list[str] | None = None,
    ) -> None:
        from communique.actors import ActorResolver, load_knowledge

        resolver = ActorResolver(load_knowledge(tuple(actors_files or ())))
        self.coder = EventCoder(load_lexicon(), load_ontology(), keep_uncoded=keep_uncoded, resolver=resolver)
        self.model = None
        if event_model:
            from communique.events.model import load_event_model

            self.model = load_event_model(event_model)

    def __call__(self, doc: Doc) -> Doc:
        events = self.coder.code(doc)
        if self.model is not None:
            events = self.model.combine(doc, events, self.coder)
        doc._.events = events
        return doc
