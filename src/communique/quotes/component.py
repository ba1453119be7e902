"""spaCy component of the quote stage (extractor in communique.quotes.extractor)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("communique_quotes")
def make_quote_component(nlp: Language, name: str) -> QuoteComponent:
    return QuoteComponent()


class QuoteComponent:
    def __call__(self, doc: Doc) -> Doc:
        doc._.quotes = []
        return doc
