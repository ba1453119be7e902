"""spaCy component of the quote stage; the work is done by
:class:`communique.quotes.extractor.QuoteExtractor`.

Runs after ``communique_actors`` (it reads ``doc._.actors`` and ``doc._.entities``) and
sets ``doc._.quotes`` to a list of :class:`communique.models.Quote` in text order.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from communique.quotes.extractor import QuoteExtractor
from communique.quotes.lexicon import load_lexicon


@Language.factory(
    "communique_quotes",
    default_config={"cues_file": None, "include_other": False, "merge_paragraphs": True},
)
def make_quote_component(
    nlp: Language,
    name: str,
    cues_file: str | None,
    include_other: bool,
    merge_paragraphs: bool,
) -> QuoteComponent:
    return QuoteComponent(
        QuoteExtractor(
            load_lexicon(cues_file),
            include_other=include_other,
            merge_paragraphs=merge_paragraphs,
        )
    )


class QuoteComponent:
    """Sets ``doc._.quotes``. ``include_other`` also reports cues of thought and wish
    ('believes', 'wants'); ``merge_paragraphs`` lets a quote that forms a paragraph of its
    own continue the quote just before it ('"...," he said.' / '"..."')."""

    def __init__(self, extractor: QuoteExtractor | None = None) -> None:
        self.extractor = extractor or QuoteExtractor()

    def __call__(self, doc: Doc) -> Doc:
        doc._.quotes = self.extractor(doc)
        return doc
