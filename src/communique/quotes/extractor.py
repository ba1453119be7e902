"""Direct and indirect quotes of a parsed ``Doc``, with speakers resolved to actor mentions.

One pass over the text and one over the tokens; nothing is parsed again.

1. **Quote marks** are paired on the raw text (:mod:`communique.quotes.marks`).
2. **Cues** are found on the tokens: a verb whose lemma is in the cue lexicon
   (``data/lang/en/cues.yaml``), "according to X", "in an interview (with X)". For each the
   dependency parse gives the speaker (the verb's subject, the agent of a passive, X of
   "according to X", or the subject of the verb it hangs from for "..., adding that"), the
   content (the ccomp / xcomp / object subtree, or the host clause of a parenthetical
   "The US, he reiterated, will ..." and of "according to X, ...") and the medium ("told
   Bloomberg", "in an interview with Bloomberg").
3. **Direct quotes** take the cue that touches them: after the closing mark
   (``"...," Rubio said``, ``"...," said Rubio``), before the opening mark
   (``Rubio said: "..."``), a colon (``Rubio was blunt: "..."``) or a dash and a name
   (``"..." ― Ana Varga``). A quote that follows the attribution of the previous quote with
   only the rest of that attribution's sentence between is its continuation
   (``"...," he said, "..."``; ``"...," he said. "..."``): the two become one quote whose
   content runs from the first quoted word to the last (a Span is contiguous, so it spans
   the interruption). A quote that is a sentence (or a headline) of its own without a cue is
   *floating*: its speaker is the speaker of the attribution in the previous sentence, else
   the next (a headline looks ahead first). A quoted fragment with a cue whose clause goes on
   around it ('Rubio said the talks were "productive" and ...') is *mixed*, its content the
   whole clause; any other fragment (scare quotes, titles) is not a quote. Unmarked verbatim
   speech, transcript lines ('PENCE: Well, ...') and the paragraph after a line ending in
   'X said:', counts as direct.
4. **Indirect quotes** are the cues not used by a direct quote, with a content clause; a
   report inside the content of another ('Rubio said Trump called it a threat') belongs to
   the outer one and is not reported again.
5. **Speakers** are the actor mentions (``doc._.actors``) over the speaker's head token
   (preferring a name in an apposition: 'his wife, Ana Varga,'), or a new uncoded mention for
   the speaker's noun phrase. First-person plural mentions inside a direct quote ("we",
   "our") take the speaker's codes when they have none.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Token

from communique.lang import LANGUAGE, language_data
from communique.models import Actor, ActorMention, Quote, QuoteKind, Span
from communique.quotes.lexicon import CueLexicon, PhraseCue, VerbCue, load_lexicon
from communique.quotes.marks import QuoteMarks, pair_quotes
from communique.spans import doc_text
from communique.tokens import doc_words

_SUBJ = frozenset({"nsubj", "csubj"})
_CONTENT_CLAUSE = frozenset({"ccomp", "xcomp"})
_BETWEEN_DEPS = frozenset({"aux", "auxpass", "advmod", "neg", "npadvmod", "punct", "prt", "dative", "dobj",
                           "prep", "mark", "agent", "nsubj", "nsubjpass"})  # fmt: skip
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
_SENT_END = frozenset({".", "!", "?"})
_LEAD_PUNCT = frozenset({",", ":", "—", "–", "-", ";"})
# 'PENCE: Well, look, ...': a transcript line (an upper-case name, a colon, the words).
_TRANSCRIPT_RE = re.compile(
    r"^[ \t]*[\"“]?(?P<name>(?:[A-Z][A-Z'’\-]*\.? ?){1,4}):[ \t]+(?P<text>\S[^\n]*)", re.M
)
_BREAKS_RE = re.compile(r"\n\s*")  # one paragraph break (blank lines included)
_BLANKS = frozenset(" \t\u00a0\u2009\u202f")
_DASHES = frozenset("―—–")
_END_PUNCT_CHARS = ".!?…"
_QUOTE_CHARS = frozenset("\"″〃'′“”„‘’‚«»‹›`")

# The English words the extractor tests tokens against (what each is for: data/lang/en/quotes.yaml).
_WORDS = language_data(LANGUAGE, "quotes")
_REL_PRONOUNS = _WORDS.words("relative_pronouns")
_TRIVIAL_OBJECTS = _WORDS.words("trivial_objects")
_CLAUSE_OPENERS = _WORDS.words("clause_openers")
_CONTENT_CLAUSE_OPENERS = _WORDS.words("content_clause_openers")
_REPORT_SPEAKER_PREPS = _WORDS.words("report_speaker_preps")
_NP_PREPS = _WORDS.words("speaker_phrase_preps")
_PERSONAL = _WORDS.words("personal_pronouns")
_FIRST_PLURAL = _WORDS.words("first_plural")
_SPEECH_PRODUCTS = _WORDS.words("speech_products")
_MEDIUM_VERBS = _WORDS.words("medium_verbs")
_MEDIUM_PREPS = _WORDS.words("medium_preps")
_MEDIUM_NOUNS = _WORDS.words("medium_nouns")
_VERB_FORMS = _WORDS.mapping("verb_forms")  # for when the tagger takes a reporting verb for a noun
_TITLE_SMALL_WORDS = _WORDS.words("title_small_words")
_NOT_SPEAKER_LABELS = _WORDS.words("not_speaker_labels")
#: What may stand between two quotations of one report: '"...," and "..."'.
_COORDINATORS = "|".join(re.escape(w) for w in _WORDS.word_list("coordinators"))
_COORDINATED_RE = re.compile(rf"[ \t]*,?[ \t]*(?:{_COORDINATORS})[ \t]*,?[ \t]*")


@dataclass
class _Cue:
    token: Token
    form: str  # 'verb', 'noun', 'according', 'interview', 'colon', 'dash'
    speech: bool
    cue: tuple[int, int]  # char span of the cue words
    speaker: Token | None = None
    speaker_span: tuple[int, int] | None = None  # char span of the speaker phrase
    content: tuple[int, int] | None = None  # token range [i, j) of the content
    medium: str | None = None
    used: bool = False
    direct_only: bool = False


@dataclass
class _Direct:
    marks: list[QuoteMarks]
    cue: _Cue | None = None
    position: str = ""  # 'after', 'before', 'colon', 'dash', 'floating'
    partial: bool = False
    extend: tuple[int, int] | None = None  # chars of a mixed quote's content
    title: bool = False  # the name of a work, not words said

    @property
    def start(self) -> int:
        return self.marks[0].start

    @property
    def end(self) -> int:
        return self.marks[-1].end


@dataclass
class _Out:
    kind: QuoteKind
    content: tuple[int, int]  # chars
    marks: tuple[int, int] | None  # chars of the marks of a direct quote
    cue: _Cue | None
    speaker_token: Token | None
    speaker_span: tuple[int, int] | None
    medium: str | None
    floating: bool = False
    parts: list[tuple[int, int]] = field(default_factory=list)  # chars of the content pieces

    def pieces(self) -> list[tuple[int, int]]:
        return self.parts or [self.content]


class QuoteExtractor:
    """Find the quotes of a parsed Doc (see the module docstring)."""

    def __init__(
        self,
        lexicon: CueLexicon | None = None,
        *,
        include_other: bool = False,
        merge_paragraphs: bool = True,
    ) -> None:
        self.lex = lexicon or load_lexicon()
        self.include_other = include_other
        self.merge_paragraphs = merge_paragraphs
        self._first_words: dict[str, list[PhraseCue]] = {}
        for p in self.lex.phrases:
            self._first_words.setdefault(p.words[0], []).append(p)
        self._cues: tuple[tuple[int, int], frozenset[str]] = ((-1, -1), frozenset())

    def cue_words(self) -> frozenset[str]:
        """Every word ``find_cues`` looks up (a lemma or a lower-case form): a token that is none
        of them is passed by without reading its parse. Rebuilt if the lexicon grows."""
        sizes = (len(self.lex.verbs), len(self.lex.nouns))
        if self._cues[0] != sizes:
            words = frozenset().union(self._first_words, _VERB_FORMS, self.lex.verbs, self.lex.nouns)
            self._cues = (sizes, words)
        return self._cues[1]

    # ------------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> list[Quote]:
        return _Run(self, doc).quotes()


class _Run:
    """The state of one document's extraction."""

    def __init__(self, ex: QuoteExtractor, doc: Doc) -> None:
        self.ex = ex
        self.lex = ex.lex
        self.doc = doc
        self.text = doc_text(doc)  # built once for all the stages
        words = doc_words(doc)  # the tokens' offsets and words, read once for all the stages
        self.starts, self.ends, self.lowers = words.idx, words.ends, words.lowers
        self.mentions: list[ActorMention] = list(doc._.actors or [])
        self.entities: list[Actor] = list(doc._.entities or [])
        self.mention_at = self._index_mentions()
        self.sent_id = [0] * len(doc)
        self.sent_bounds: list[tuple[int, int]] = []
        for k, sent in enumerate(doc.sents):
            self.sent_bounds.append((sent.start, sent.end))
            self.sent_id[sent.start : sent.end] = [k] * (sent.end - sent.start)
        self.marks = [q for q in pair_quotes(self.text) if not _nickname(self.text, q)]
        self._normalized: str | None = None  # the text as words, for repeated quotations
        self.marks_skip: set[int] = set()
        self.mark_starts = [q.start for q in self.marks]
        # token -> index of the quotation it lies in (marks included), or -1
        self.in_quote = self._quote_index()

    # -- indices ---------------------------------------------------------------------------
    def _quote_index(self) -> list[int]:
        """Token -> index of the quotation it lies in (marks included), or -1."""
        at = [-1] * len(self.doc)
        starts, ends, count = self.mark_starts, [q.end for q in self.marks], len(self.marks)
        qi = 0
        for i, idx in enumerate(self.starts):  # the tokens' offsets, without a Token object each
            while qi < count and ends[qi] <= idx:
                qi += 1
            if qi == count:
                break  # past the last quotation: the rest of the tokens lie in none
            if starts[qi] <= idx:  # (idx < ends[qi], or the loop above would have passed it)
                at[i] = qi
        return at

    def _index_mentions(self) -> list[int]:
        n, starts = len(self.doc), self.starts
        at = [-1] * n
        sizes = [m.end - m.start for m in self.mentions]  # read once, compared at every token
        for k, m in enumerate(self.mentions):
            i, end, size = self.token_at(m.start), m.end, sizes[k]  # (token_at is never < 0)
            while i < n and starts[i] < end:
                if at[i] < 0 or size > sizes[at[i]]:
                    at[i] = k
                i += 1
        return at

    def token_at(self, char: int) -> int:
        """Index of the token containing (or the last one starting before) ``char``."""
        return max(0, bisect_right(self.starts, char) - 1)

    def token_from(self, char: int) -> int:
        """Index of the first token starting at or after ``char`` (len(doc) if none)."""
        i = self.token_at(char)
        if i < len(self.doc) and self.starts[i] < char:
            i += 1
        return i

    def chars(self, i: int, j: int) -> tuple[int, int]:
        """Char span of tokens [i, j)."""
        return self.starts[i], self.ends[j - 1]  # (no Token made for either end)

    # -- the whole run ---------------------------------------------------------------------
    def quotes(self) -> list[Quote]:
        if not len(self.doc):
            return []
        self.cues = self.find_cues()
        blocks = self.block_quotes()
        if blocks:
            ranges = [b.content for b in blocks]
            self.cues = [c for c in self.cues if not any(s <= c.token.idx < e for s, e in ranges)]
            self.marks_skip = {
                k for k, q in enumerate(self.marks) if any(s <= q.start < e for s, e in ranges)
            }
        self.by_token = {c.token.i: c for c in self.cues}
        directs = self.direct_quotes()
        partials = [d for d in directs if d.partial]
        indirect = self.indirect_quotes(directs)  # drops the partial quotes from directs
        outs = [self.direct_out(d) for d in directs]
        outs.extend(blocks)
        outs.extend(indirect)
        outs.sort(key=lambda o: o.content[0])
        self.continue_with_partials(outs, partials)
        self.assign_floating(outs)
        quotes = [self.build(o) for o in outs]
        self.resolve_first_person(quotes)
        quotes.sort(key=lambda q: (q.start, q.content.start))
        return quotes

    # -- cues ------------------------------------------------------------------------------
    def find_cues(self) -> list[_Cue]:
        cues: list[_Cue] = []
        doc = self.doc
        table, wanted = doc_words(doc), self.ex.cue_words()
        for i, (lemma, lower) in enumerate(zip(table.lemmas, table.lowers, strict=True)):
            if lemma not in wanted and lower not in wanted:
                continue  # no cue word: every branch below would pass it by
            t = doc[i]
            if self.in_quote[t.i] >= 0 and self._inside_quote_words(t):
                continue  # words of the quoted speaker are not the article's attributions
            lower = t.lower_
            phrase = next((p for p in self.ex._first_words.get(lower, ()) if self._phrase_at(t.i, p)), None)
            if phrase is not None:
                cue = self._phrase_cue(t, phrase)
                if cue is not None:
                    cues.append(cue)
                continue
            is_verb = t.pos_ == "VERB" or t.tag_.startswith("VB")
            if t.pos_ == "NOUN":
                noun = self.lex.nouns.get(t.lemma_.lower())
                if noun is not None and (noun.speech or self.ex.include_other):
                    cue = self._noun_cue(t, noun.speech)
                    if cue is not None:
                        cues.append(cue)
                        continue
            if not is_verb:
                # '"...," the two write.': a reporting verb the tagger took for a noun
                if lower in _VERB_FORMS and t.i > 0 and self.doc[t.i - 1].pos_ not in ("DET", "ADJ", "ADP"):
                    verb = self.lex.verb(_VERB_FORMS[lower])
                    if verb is not None and verb.speech:
                        cues.append(
                            _Cue(
                                token=t,
                                form="verb",
                                speech=True,
                                cue=(t.idx, t.idx + len(t.text)),
                                speaker=None,
                                direct_only=True,
                            )
                        )
                continue
            verb = self.lex.verb(t.lemma_.lower()) or self.lex.verb(lower)
            if verb is None or not (verb.speech or self.ex.include_other):
                continue
            if verb.particle and not any(
                c.lower_ == verb.particle and (c.dep_ == "prt" or c.i == t.i + 1) for c in t.children
            ):
                continue
            if (
                t.tag_ == "VBN"
                and t.dep_ in ("advcl", "acl", "amod")
                and not any(c.dep_ in ("aux", "agent", "nsubj") for c in t.children)
            ):
                continue  # '..., asked about the vagueness': the subject is asked, not asking
            cue = self._verb_cue(t, verb)
            if cue is not None:
                cues.append(cue)
        return cues

    def _inside_quote_words(self, t: Token) -> bool:
        q = self.marks[self.in_quote[t.i]]
        return q.inner_start <= t.idx < q.inner_end

    def _phrase_at(self, i: int, phrase: PhraseCue) -> bool:
        words = phrase.words
        if i + len(words) > len(self.doc):
            return False
        lowers = self.lowers
        return all(lowers[i + k] == w for k, w in enumerate(words))

    def _noun_cue(self, n: Token, speech: bool) -> _Cue | None:
        """'police's earlier claim that Crutcher had refused ...': a report noun with a
        'that' clause; the possessor, 'by X' or the subject of 'X made the claim' speaks."""
        clause = None
        for c in n.children:
            if c.dep_ in ("acl", "ccomp", "appos", "relcl") and c.i > n.i:
                first = self.doc[c.left_edge.i]
                if first.lower_ == "that" and first.dep_ == "mark":
                    clause = c
                    break
        if clause is None:
            return None
        rng = self.trim(clause.left_edge.i, clause.right_edge.i + 1)
        if rng is None or rng[1] - rng[0] < 3:
            return None
        speaker = None
        for c in n.children:
            if c.dep_ == "poss":
                speaker = c
            elif c.dep_ == "prep" and c.lower_ in _REPORT_SPEAKER_PREPS and c.i < clause.i:
                speaker = next((g for g in c.children if g.dep_ == "pobj"), speaker)
        if speaker is None and n.dep_ == "dobj" and n.head.pos_ == "VERB":
            speaker = next((c for c in n.head.children if c.dep_ == "nsubj"), None)
        if speaker is not None and speaker.lower_ in self.lex.not_speakers:
            speaker = None
        return _Cue(
            token=n,
            form="noun",
            speech=speech,
            cue=(n.idx, n.idx + len(n.text)),
            speaker=speaker,
            content=rng,
        )

    def _verb_cue(self, v: Token, verb: VerbCue) -> _Cue | None:
        end = v
        if verb.particle:  # most verbs have none: no need to walk the children
            for c in v.children:
                if c.lower_ == verb.particle and c.i == v.i + 1:
                    end = c
        if verb.complement and (
            v.dep_ in ("relcl", "acl", "pcomp") or any(c.lower_ == "what" for c in v.children)
        ):
            return None  # 'what he called Machado's "sex tape"': a name given in passing
        cue = _Cue(token=v, form="verb", speech=verb.speech, cue=(v.idx, end.idx + len(end.text)))
        cue.direct_only = verb.direct_only
        cue.speaker = self.subject(v)
        cue.content = None if verb.direct_only else self.content_of(v, verb)
        cue.medium = self.medium_of(v)
        return cue

    def _phrase_cue(self, t: Token, phrase: PhraseCue) -> _Cue | None:
        doc = self.doc
        last = doc[t.i + len(phrase.words) - 1]
        span = (t.idx, last.idx + len(last.text))
        if phrase.form == "according":
            speaker = None
            for c in last.children:
                if c.dep_ == "pobj":
                    speaker = c
            if (
                speaker is None
                and last.i + 1 < len(doc)
                and doc[last.i + 1].pos_ in ("PROPN", "NOUN", "PRON")
            ):
                speaker = doc[last.i + 1]
            host = t.head if t.head.i != t.i else t
            while host.pos_ not in ("VERB", "AUX") and host.head.i != host.i:
                host = host.head
            cue = _Cue(token=t, form="according", speech=phrase.speech, cue=span, speaker=speaker)
            cue.content = self._host_minus(host, t)
            return cue
        # "in an interview (with X)": a cue of its own only when its verb is not a cue.
        host = t.head
        if host.i == t.i:
            return None
        verb = self.lex.verb(host.lemma_.lower())
        if verb is not None and (verb.speech or self.ex.include_other):
            return None
        noun = last
        cue = _Cue(token=t, form="interview", speech=phrase.speech, cue=span)
        cue.speaker = self.subject(host)
        cue.content = self._host_minus(host, t)
        sp = cue.speaker
        if cue.content is not None and sp is not None and cue.content[0] <= sp.left_edge.i < cue.content[1]:
            cue.content = self.trim(sp.right_edge.i + 1, cue.content[1])  # the speaker is not what was said
        cue.medium = self._media_in(noun)
        return cue

    # -- speaker ---------------------------------------------------------------------------
    def subject(self, v: Token, depth: int = 0) -> Token | None:
        """The speaker's head token: the subject of ``v``, the agent of a passive, or the
        subject of the verb ``v`` hangs from ('..., adding that', 'went on to say')."""
        for c in v.children:
            if c.dep_ in _SUBJ:
                if c.lower_ in _REL_PRONOUNS and v.dep_ == "relcl":
                    return v.head
                if c.lower_ in self.lex.not_speakers:
                    return None
                return c
            if depth and c.dep_ == "nsubjpass":
                return c
        for c in v.children:
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        if depth >= 3 or v.head.i == v.i:
            return None
        if v.dep_ in ("advcl", "xcomp", "conj", "acl", "relcl"):
            if v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN"):
                return self.subject(v.head.head, depth + 1) if v.head.head.i != v.head.i else None
            return self.subject(v.head, depth + 1)
        if v.dep_ == "pcomp" and v.head.dep_ == "prep":
            return self.subject(v.head.head, depth + 1)
        return None

    def np_range(self, head: Token) -> tuple[int, int]:
        """Token range [i, j) of the noun phrase of ``head`` without appositions, relative
        clauses or prepositional tails."""
        start = head.i
        for c in head.lefts:
            if c.dep_ in ("punct", "cc", "preconj", "mark", "advmod"):
                continue
            start = min(start, c.left_edge.i)
        end = head.i + 1
        for c in head.rights:
            if c.dep_ in ("compound", "flat", "nummod") and c.i == end:
                end = c.i + 1
        while start < head.i and self.doc[start].is_punct:
            start += 1
        return start, end

    def speaker_mention(self, head: Token | None, span: tuple[int, int] | None = None) -> ActorMention | None:
        """The actor mention over the speaker's head token; for 'Rubio's comments' the
        possessor's; else a new, uncoded mention for the speaker's noun phrase."""
        if head is None:
            return None
        k = self.mention_at[head.i]
        if k < 0 or not _is_name(self.mentions[k]):
            # 'his wife, Gabriela Lazar,' / 'master of ceremonies Asab Al-Tabchi': the name
            named = self._named_in_phrase(head)
            if named >= 0:
                k = named
        if k < 0 and head.lemma_.lower() in _SPEECH_PRODUCTS:
            for c in head.children:
                if c.dep_ == "poss" and self.mention_at[c.i] >= 0:
                    k = self.mention_at[c.i]
        if k >= 0:
            return self._enriched(self.mentions[k])
        if span is not None:
            s, e = span
            return ActorMention(text=self.text[s:e], start=s, end=e, matched="quote-speaker")
        i, j = self.np_range(head)
        for c in head.rights:
            if c.dep_ == "prep" and c.lower_ in _NP_PREPS and c.i == j:
                j = c.right_edge.i + 1
        while j > i + 1 and self.doc[j - 1].is_punct:
            j -= 1
        s, e = self.chars(i, j)
        tok_kind = "person" if head.ent_type_ == "PERSON" else None
        return ActorMention(text=self.text[s:e], start=s, end=e, kind=tok_kind, matched="quote-speaker")

    def _named_in_phrase(self, head: Token) -> int:
        """A mention that names a person in the speaker's phrase (appositions included)."""
        i, _ = self.np_range(head)
        j = head.i
        for c in head.rights:
            if c.dep_ in ("appos", "compound", "flat", "prep", "npadvmod", "punct") and c.i <= j + 12:
                j = max(j, c.right_edge.i if c.dep_ != "punct" else c.i)
        for x in range(i, min(j + 1, len(self.doc))):
            k = self.mention_at[x]
            if k >= 0 and _is_name(self.mentions[k]) and self.mentions[k].kind in (None, "person"):
                return k
        return -1

    def _enriched(self, m: ActorMention) -> ActorMention:
        if m.entity is None or not (0 <= m.entity < len(self.entities)):
            return m.model_copy()
        ent = self.entities[m.entity]
        update: dict[str, Any] = {}
        if m.name is None and ent.name:
            update["name"] = ent.name
        if m.country is None and ent.country:
            update["country"] = ent.country
        # the one mutable field is copied by hand: a deep copy walked every field (1 % of a parse)
        update["sectors"] = list(ent.sectors if not m.sectors and ent.sectors else m.sectors)
        if m.role is None and ent.role:
            update["role"] = ent.role
        return m.model_copy(update=update)

    # -- content ---------------------------------------------------------------------------
    def content_of(self, v: Token, verb: VerbCue) -> tuple[int, int] | None:
        """Token range of what ``v`` reports: its clause, object or the host of a parenthetical."""
        parts: list[Token] = []
        dobj: Token | None = None
        for c in v.children:
            dep = c.dep_
            if dep in _CONTENT_CLAUSE:
                parts.append(c)
            elif dep == "dobj":
                dobj = c
            elif dep == "oprd":
                parts.append(c)
        clause = bool(parts)
        if dobj is not None and dobj.lower_ not in _TRIVIAL_OBJECTS:
            left = dobj.left_edge
            clause_like = left.lower_ in _CLAUSE_OPENERS or any(
                t.dep_ in ("ccomp", "acl", "relcl")
                and t.lower_ != "that"
                and t.head.i == dobj.i
                and self.doc[t.left_edge.i].lower_ in _CONTENT_CLAUSE_OPENERS
                for t in dobj.children
            )
            if verb.addressee:
                # 'told reporters': the listener; 'urged North Korea to resume talks': the
                # listener is the subject of the clause reported
                if any(p.dep_ == "xcomp" for p in parts):
                    parts.append(dobj)
            elif verb.complement:
                if clause:
                    parts.append(dobj)  # 'called Trump a liar'
            elif verb.object or clause_like:
                parts.append(dobj)
        if dobj is not None and parts:
            for c in v.children:
                if c.dep_ == "prep" and c.lower_ == "as" and c.i > dobj.i:
                    parts.append(c)  # 'described the ground as "Swiss cheese"'
        if verb.preps:
            for c in v.children:
                if c.dep_ == "prep" and c.lower_ in verb.preps and c.i > v.i:
                    if not parts:
                        # 'called for an open primary': the object, without the preposition
                        objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
                        parts.extend(objs)
                        parts.extend(x for x in v.children if x.dep_ == "xcomp" and x.i > c.i)
                    else:
                        parts.append(c)
        if not parts and any(c.dep_ == "agent" for c in v.children):
            # 'The decision was announced by the ministry': what is announced is the subject
            parts = [c for c in v.children if c.dep_ == "nsubjpass" and c.lower_ not in _TRIVIAL_OBJECTS]
        if not parts:
            return self._parenthetical(v)
        # keep the parts on one side of the verb (the side of the clause, if any)
        main = next((p for p in parts if p.dep_ in _CONTENT_CLAUSE), parts[0])
        side = [p for p in parts if (p.i > v.i) == (main.i > v.i)]
        i = min(p.left_edge.i for p in side)
        j = max(p.right_edge.i for p in side) + 1
        if i <= v.i < j:
            i, j = main.left_edge.i, main.right_edge.i + 1
        return self.trim(i, j)

    def _parenthetical(self, v: Token) -> tuple[int, int] | None:
        """'The US, he reiterated, will not allow ...' and 'X will go, he said': the host
        clause minus the cue's own phrase."""
        host = v.head
        if host.i == v.i or host.pos_ not in ("VERB", "AUX"):
            return None
        if v.dep_ not in ("parataxis", "ccomp", "advcl", "conj"):
            return None
        left = v.left_edge.i
        before = self.doc[left - 1] if left > 0 else None
        if v.dep_ != "parataxis" and (before is None or before.text not in (",", "—", "–")):
            return None
        if v.dep_ in ("advcl", "conj") and v.i < host.i:
            return None
        if v.dep_ in ("conj", "advcl", "ccomp") and any(c.dep_ in ("mark", "cc") for c in v.children):
            return None
        return self._host_minus(host, v)

    def _host_minus(self, host: Token, cut: Token) -> tuple[int, int] | None:
        """The host clause of ``cut`` without ``cut``'s subtree: the longer side."""
        a, b = host.left_edge.i, host.right_edge.i + 1
        ca, cb = cut.left_edge.i, cut.right_edge.i + 1
        # the host's own subject before a sentence-initial cue: 'According to X, Y will go'
        left = self.trim(a, ca) if ca > a else None
        right = self.trim(cb, b) if b > cb else None
        sides = [s for s in (left, right) if s is not None]
        if not sides:
            return None
        return max(sides, key=lambda s: self.doc[s[1] - 1].idx - self.doc[s[0]].idx)

    def trim(self, i: int, j: int) -> tuple[int, int] | None:
        doc = self.doc
        while i < j and (doc[i].is_space or (doc[i].is_punct and doc[i].text not in _QUOTE_CHARS)):
            i += 1
        while j > i and (
            doc[j - 1].is_space
            or (doc[j - 1].is_punct and not _is_quote_token(doc[j - 1]))
            or (doc[j - 1].dep_ == "cc" and j - 1 > i)  # '... "collective power" and'
        ):
            j -= 1
        if j <= i:
            return None
        if j - i == 1 and (doc[i].pos_ in ("PRON", "DET") or doc[i].is_punct):
            return None
        return i, j

    # -- medium ----------------------------------------------------------------------------
    def medium_of(self, v: Token) -> str | None:
        for c in v.children:
            if c.dep_ in ("dative", "dobj") and v.lemma_ in _MEDIUM_VERBS:
                if self.is_media(c):
                    return self.np_text(c)
            elif c.dep_ == "prep" and c.lower_ in _MEDIUM_PREPS:
                found = self._media_in(c)
                if found:
                    return found
        return None

    def _media_in(self, t: Token) -> str | None:
        """The first outlet named in the phrase of ``t`` ('with Bloomberg', 'on Fox News')."""
        for u in t.subtree:
            if u.i == t.i or u.dep_ not in ("pobj", "dobj", "dative"):
                continue
            if u.lemma_.lower() in _MEDIUM_NOUNS:
                continue
            if self.is_media(u):
                return self.np_text(u)
        if t.dep_ == "prep":
            for u in t.children:
                if u.dep_ == "pobj" and u.lemma_.lower() not in _MEDIUM_NOUNS and self.is_media(u):
                    return self.np_text(u)
        return None

    def is_media(self, t: Token) -> bool:
        k = self.mention_at[t.i]
        if k >= 0 and self.mentions[k].kind == "media":
            return True
        if t.lower_ in self.lex.addressees or t.ent_type_ == "PERSON":
            return False
        if t.pos_ != "PROPN" and t.ent_type_ not in ("ORG", "WORK_OF_ART", "GPE"):
            return False
        i, j = self.np_range(t)
        words = {self.doc[x].lower_ for x in range(i, j)}
        return bool(words & self.lex.media)

    def np_text(self, t: Token) -> str:
        k = self.mention_at[t.i]
        if k >= 0:
            return self.mentions[k].text
        i, j = self.np_range(t)
        while i < j - 1 and self.doc[i].pos_ == "DET":
            i += 1
        s, e = self.chars(i, j)
        return self.text[s:e]

    # -- block quotations ------------------------------------------------------------------
    def block_quotes(self) -> list[_Out]:
        """Unmarked verbatim speech: transcript lines ('PENCE: Well, look, ...') and the
        paragraph after a cue that ends its line with a colon ('The governor added:')."""
        text = self.text
        outs: list[_Out] = []
        taken: set[int] = set()
        lines = []
        for m in _TRANSCRIPT_RE.finditer(text):
            name = m.group("name").strip()
            words = name.replace(".", " ").split()
            if not words or any(w in _NOT_SPEAKER_LABELS for w in words) or max(map(len, words)) < 2:
                continue
            lines.append((m, name))
        if len(lines) < 2:
            lines = []  # a transcript has turns; one 'BOOM: ...' line is a headline
        for m, name in lines:
            ns = m.start("name")
            ne = ns + len(name)
            s, e = _strip_span(text, m.start("text"), m.end("text"))
            if e - s < 3:
                continue
            colon = text.index(":", ne)
            head = self.doc[self.token_at(ne - 1)]
            cue = _Cue(token=head, form="colon", speech=True, cue=(colon, colon + 1), speaker=head, used=True)
            if self.mention_at[head.i] < 0:
                cue.speaker_span = (ns, ne)
            outs.append(self._block_out(cue, s, e))
            taken.add(m.start())
        for cue in self.cues:
            if cue.form != "verb" or cue.content is not None or not cue.speech or cue.used:
                continue
            v = cue.token
            b = self.sent_bounds[self.sent_id[v.i]][1]
            last = b - 1
            while last > v.i and self.doc[last].is_space:
                last -= 1
            if (
                last <= v.i
                or self.doc[last].text != ":"
                or "\n"
                not in self.doc[last].whitespace_
                + (self.doc[last + 1].text if last + 1 < len(self.doc) else "\n")
            ):
                continue
            start = self.doc[last].idx + 1
            while start < len(text) and text[start].isspace():
                start += 1
            if start >= len(text) or text[start] in _QUOTE_CHARS or start in taken:
                continue
            line_start = start
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            if _TRANSCRIPT_RE.match(text, line_start):
                continue
            s, e = _strip_span(text, start, end)
            if e - s < 3:
                continue
            cue.used = True
            if cue.speaker is None:
                cue.speaker = self._loose_before(v.i)
            outs.append(self._block_out(cue, s, e))
        return outs

    def _block_out(self, cue: _Cue, s: int, e: int) -> _Out:
        return _Out(
            kind=QuoteKind.direct,
            content=(s, e),
            marks=None,
            cue=cue,
            speaker_token=cue.speaker,
            speaker_span=cue.speaker_span,
            medium=cue.medium,
        )

    # -- direct quotes ---------------------------------------------------------------------
    def direct_quotes(self) -> list[_Direct]:
        out: list[_Direct] = []
        for qi, q in enumerate(self.marks):
            if qi in self.marks_skip:
                continue  # quoted inside a block quotation
            d = _Direct(marks=[q])
            prev = out[-1] if out else None
            if not self.standalone(q) and self._is_title(q):
                d.partial = d.title = True  # a work ('on CNN's "The Lead with Jake Tapper"')
                out.append(d)
                continue
            after = self.cue_after(q, qi)
            if (
                prev is not None
                and not prev.partial
                and _COORDINATED_RE.fullmatch(self.text[prev.end : q.start])
            ):
                # 'chanted "Send them home," and "Build the wall."': one report in two quotations
                prev.marks.append(q)
                if prev.cue is None and after is not None:
                    prev.cue, prev.position = after, "after"
                    after.used = True
                continue
            before = self.cue_before(q, qi) if after is None else None
            if (
                after is None
                and before is not None
                and prev is not None
                and before.used
                and before is prev.cue
                and self.standalone(q, colon_ok=True)
                and "\n" not in self.text[prev.end : q.start]
            ):
                prev.marks.append(q)  # '"...," Rubio said, "..."'
                continue
            if after is not None:
                d.cue, d.position = after, "after"
                if not self.clean_before(q, colon_ok=True):
                    # 'So when Patriot signaled ... "we were floored," Barrett said': the
                    # sentence around the fragment is the content
                    a = self.sent_bounds[self.sent_id[self.token_at(q.start)]][0]
                    d.extend = (max(self.doc[a].idx, self.text.rfind("\n", 0, q.start) + 1), q.end)
            elif before is not None and not before.used:
                d.cue, d.position = before, "before"
                lead = self.content_lead(before, q)
                if lead is not None:
                    # 'described the ground as "Swiss cheese"': the words before belong to it
                    b = max(before.content[1] if before.content else 0, self.token_at(q.end - 1) + 1)
                    rng = self.trim(lead, b)
                    if rng is not None:
                        d.extend = self.chars(*rng)
                        d.extend = (d.extend[0], max(d.extend[1], q.end))
                elif (obj := self._object_around(before.token, q)) is not None and self.clean_after(q):
                    # 'is promising lower taxes and "jobs, jobs, jobs,"': the quoted words end
                    # an object phrase of the cue; the phrase is what was said
                    d.extend = (self.doc[obj.left_edge.i].idx, q.end)
                elif not self.clean_after(q):
                    # 'PolitiFact claimed "Trump exaggerates" the level of ...'
                    b = self.sent_bounds[self.sent_id[self.token_at(max(q.start, q.end - 1))]][1]
                    rng = self.trim(min(before.token.i + 1, self.token_at(q.start)), b)
                    if rng is not None:
                        d.extend = self.chars(*rng)
            else:
                found = self.dash_cue(q) or self.colon_cue(q)
                if found is not None:
                    d.cue, d.position = found, found.form
            if d.cue is None:
                if prev is not None and self.continues(prev, q):
                    prev.marks.append(q)
                    continue
                if not self.standalone(q) or not self._has_verb(q) or self._is_title(q):
                    # a phrase ('"fat cats"'), or a verbless title or chant ('"60 Minutes."')
                    d.partial = True
                    out.append(d)
                    continue
                if self._pull_quote(q):
                    d.partial = d.title = True
                    out.append(d)
                    continue
                d.position = "floating"
            if d.cue is not None:
                d.cue.used = True
            out.append(d)
        return out

    def _stop(self, t: Token, qi: int) -> bool:
        """Tokens that end the search for a quote's cue: another quotation, a line break."""
        if self.in_quote[t.i] >= 0 and self.in_quote[t.i] != qi:
            return True
        return "\n" in t.text or "\n" in t.whitespace_

    def cue_after(self, q: QuoteMarks, qi: int) -> _Cue | None:
        """'"...," Rubio said' / '"...," said Rubio, a senator' / '"...," he later told Bloomberg'."""
        if not q.closed:
            return None
        doc = self.doc
        j = self.token_from(q.end)
        if j >= len(doc) or "\n" in self.text[q.end : doc[j].idx]:
            return None
        punct_after = False
        while j < len(doc) and doc[j].text in _LEAD_PUNCT and not self._stop(doc[j], qi):
            punct_after = True
            j += 1
        first = j
        # '"...," Rubio said': a quotation before its attribution ends with punctuation
        marked = punct_after or self.last_char(q) in ",.!?…—–-:;"
        if not marked:
            return None
        limit = min(len(doc), first + 40)
        v = None
        for k in range(first, limit):
            t = doc[k]
            if self._stop(t, qi):
                if self.in_quote[t.i] >= 0 and self.in_quote[t.i] != qi:
                    break
                if k in self.by_token and self.by_token[k].form == "verb":
                    v = k
                break
            if k in self.by_token and self.by_token[k].form == "verb":
                v = k
                break
            if k == first and k in self.by_token and self.by_token[k].form == "according":
                v = k  # '"...," according to a court document'
                break
            if t.text in _SENT_END and k > first:
                break
        if v is None:
            mistagged = self._mistagged_verb(first, qi)
            return None if mistagged is None else self.by_token[mistagged]
        cue = self.by_token[v]
        verb = doc[v]
        if self.last_char(q) == "." and doc[first].is_title and (v == first or doc[first].pos_ != "PROPN"):
            return None  # '"... ." He said ...', '"... ." Adding, ...': a new sentence
        if cue.speaker is not None and self.in_words(cue.speaker.i):
            cue.speaker = None
        if v > first:
            subj = cue.speaker
            if subj is None or not (first <= subj.i < v):
                return self._loose_after(cue, first, v)
            sa, sb = subj.left_edge.i, subj.right_edge.i
            for k in range(first, v):
                t = doc[k]
                if sa <= k <= sb or t.is_punct or t.is_space:
                    continue
                if not self._modifies(t, verb):
                    return None
        # the verb must not report a clause of its own after it ('"..." He said the ...')
        if cue.content is not None and cue.content[0] > v and not self._is_quote_span(cue.content):
            if self.last_char(q) in (".", "!", "?") and cue.content[1] - cue.content[0] > 2:
                return None
            if doc[cue.content[0]].idx > verb.idx and self.in_quote[cue.content[0]] < 0:
                return None  # '"...," he said, and told reporters the move ...': a new report
        if v == first and (cue.speaker is None or cue.speaker.i < v):
            # '"...," said the senator' parsed without a subject
            k = v + 1
            while (
                k < len(doc)
                and (doc[k].pos_ in ("DET", "ADJ", "PROPN", "NOUN", "PRON", "NUM") or doc[k].is_title)
                and not self.in_words(k)
            ):
                k += 1
            if k > v + 1:
                cue.speaker = doc[k - 1]
        return cue

    def _is_title(self, q: QuoteMarks) -> bool:
        """A short quotation in title case names a work ('"Coal Isn't the Villain."', '"All
        Bets Are Off."'): the title of a book, show or article, not somebody's words."""
        before, after = self._line_around(q.start, q.end)
        if not before.strip() and not after.strip(" .\t"):
            return False  # a headline in quotation marks is somebody's words
        if _title_case(before + " " + after):
            return False  # a headline ('Warren Hammers CEO: ‘You Should Be Investigated’')
        words = _WORD_RE.findall(self.text[q.inner_start : q.inner_end])
        return 2 <= len(words) <= 10 and _title_case(" ".join(words[1:]))

    def _line_around(self, start: int, end: int) -> tuple[str, str]:
        """The text of the line before ``start`` and after ``end``."""
        text = self.text
        line_end = text.find("\n", end)
        return text[text.rfind("\n", 0, start) + 1 : start], text[
            end : len(text) if line_end < 0 else line_end
        ]

    def _pull_quote(self, q: QuoteMarks) -> bool:
        """A quotation alone on its line whose words the article quotes again elsewhere: a
        subheading or pull quote ('\'Coal Isn't the Villain.\''); the quotation in the body,
        with its attribution, is the record."""
        text = self.text
        before, after = self._line_around(q.start, q.end)
        if before.strip() or after.strip(" .\t"):
            return False
        words = _norm_words(text[q.inner_start : q.inner_end])
        if len(words) < 6:
            return False
        if self._normalized is None:
            self._normalized = _norm_words(text)
        return self._normalized.count(words) >= 2

    def _has_verb(self, q: QuoteMarks) -> bool:
        i, j = self.token_from(q.inner_start), self.token_at(max(q.inner_start, q.inner_end - 1))
        return any(t.pos_ in ("VERB", "AUX") for t in self.doc[i : j + 1])

    @staticmethod
    def _modifies(t: Token, verb: Token) -> bool:
        """Whether ``t`` belongs to a modifier of ``verb`` that may stand between a quotation's
        speaker and its cue ('Blunt, after a long pause, said'), or of the verb the cue
        hangs from ('Braynard is quoted as saying')."""
        chain = {verb.i}
        v = verb
        while v.dep_ in ("pcomp", "prep", "xcomp") and v.head.i != v.i and len(chain) < 4:
            v = v.head
            chain.add(v.i)
        for _ in range(8):
            if t.i in chain:
                return True
            if t.head.i in chain:
                return t.dep_ in _BETWEEN_DEPS
            if t.head.i == t.i:
                return False
            t = t.head
        return False

    def _mistagged_verb(self, first: int, qi: int) -> int | None:
        """'"...," the Saudis state in the white paper': a speech verb the tagger read as a
        noun, right after a short speaker phrase that follows the quotation."""
        doc = self.doc
        for k in range(first + 1, min(len(doc), first + 6)):
            t = doc[k]
            if self._stop(t, qi) or t.text in _SENT_END:
                return None
            verb = self.lex.verbs.get(t.lemma_.lower()) or self.lex.verbs.get(t.lower_)
            if t.pos_ in ("NOUN", "PROPN") and verb is not None and verb.speech and not verb.particle:
                if all(doc[x].pos_ in ("DET", "PROPN", "NOUN", "ADJ") for x in range(first, k)):
                    cue = _Cue(token=t, form="verb", speech=True, cue=(t.idx, t.idx + len(t.text)))
                    cue.speaker = doc[k - 1]
                    self.cues.append(cue)
                    self.by_token[k] = cue
                    return k
                return None
        return None

    def last_char(self, q: QuoteMarks) -> str:
        """The last character of the quoted words, past nested closing marks ('...vote,'")."""
        i = q.inner_end - 1
        while i > q.inner_start and (self.text[i] in _QUOTE_CHARS or self.text[i].isspace()):
            i -= 1
        return self.text[i] if i >= q.inner_start else ""

    def in_words(self, i: int) -> bool:
        """Whether token ``i`` is one of the quoted words of a quotation."""
        return self.in_quote[i] >= 0 and self._inside_quote_words(self.doc[i])

    def _loose_after(self, cue: _Cue, first: int, v: int) -> _Cue | None:
        """A speaker the parser did not attach: only nominal words between quote and verb."""
        doc = self.doc
        if v - first > 15:
            return None
        head = None
        for k in range(first, v):
            t = doc[k]
            if (t.pos_ == "VERB" and not (t.is_title or t.ent_type_)) or (t.pos_ == "AUX" and t.head.i != v):
                return None
            if t.is_punct and t.text not in (",", "(", ")", "."):
                return None
            if head is None and (t.pos_ in ("PROPN", "NOUN", "PRON", "NUM") or t.is_title):
                head = t
                while head.i + 1 < v and (
                    doc[head.i + 1].pos_ in ("PROPN", "NOUN") or doc[head.i + 1].is_title
                ):
                    head = doc[head.i + 1]
        if head is None:
            return None
        cue.speaker = head
        return cue

    def _is_quote_span(self, rng: tuple[int, int]) -> bool:
        i, j = rng
        return self.in_quote[i] >= 0 or self.in_quote[j - 1] >= 0

    def cue_before(self, q: QuoteMarks, qi: int) -> _Cue | None:
        """'Rubio said: "..."' / 'Rubio told Bloomberg on Monday, "..."' / 'said that "..."'."""
        doc = self.doc
        k = self.token_at(q.start)
        if k >= len(doc):
            return None
        sent = self.sent_id[k]
        i = k - 1
        while i >= 0 and doc[i].is_space:
            i -= 1
        if i < 0:
            return None
        if "\n" in self.text[doc[i].idx : q.start] and doc[i].text != ":":
            return None
        crossing = self.sent_id[i] != sent
        if crossing and doc[i].text not in (":", ",", "."):
            return None
        ended = crossing and doc[i].text == "."
        if ended:
            i -= 1  # 'Lau said in a statement. "There are ..."': a cue with nothing to report
        lo = max(0, i - 14)
        for x in range(i, lo - 1, -1):
            t = doc[x]
            if self.in_quote[x] >= 0 and self.in_quote[x] != qi:
                return None
            if t.text in _SENT_END:
                return None
            cue = self.by_token.get(x)
            if cue is not None and cue.form == "verb":
                if not self._clean_between(x, k):
                    return None
                if ended and (
                    cue.content is not None
                    or t.dep_ != "ROOT"
                    or self._has_quote(x)
                    or any(c.dep_ == "dobj" for c in t.children)
                ):
                    return None  # 'He didn't suggest retaliation. "..."' reports nothing to come
                if cue.speaker is not None and self.in_words(cue.speaker.i):
                    cue.speaker = None
                if cue.speaker is None:
                    cue.speaker = self._loose_before(x)
                elif cue.speaker.i < k <= cue.speaker.right_edge.i:
                    return None  # 'says a voice at the end of "Hail, Caesar!"': a title in the speaker
                return cue
            if cue is not None and cue.form == "according" and not ended:
                return cue if x + 3 >= k or self._clean_between(x, k) else None
            if t.pos_ == "VERB" or (t.pos_ == "AUX" and t.dep_ not in ("aux", "auxpass")):
                return None
        return None

    def _has_quote(self, i: int) -> bool:
        """Whether the sentence of token ``i`` holds a quotation mark."""
        a, b = self.sent_bounds[self.sent_id[i]]
        return any(self.in_quote[x] >= 0 for x in range(a, b))

    def _loose_before(self, v: int) -> Token | None:
        """'Rep. Paul Ryan (R-WI) said "..."' parsed without a subject: the name before."""
        doc = self.doc
        depth = 0
        lo = self.sent_bounds[self.sent_id[v]][0]
        for x in range(v - 1, max(lo, v - 10) - 1, -1):
            t = doc[x]
            if t.text == ")":
                depth += 1
            elif t.text == "(":
                depth -= 1
            elif depth <= 0 and not t.is_punct:
                if t.pos_ in ("PROPN", "NOUN", "PRON") and not self.in_words(x):
                    return t
                if t.pos_ not in ("ADV", "AUX", "PART"):
                    return None
        return None

    def _object_around(self, v: Token, q: QuoteMarks) -> Token | None:
        """The object of ``v`` whose phrase starts before the quotation and holds it."""
        k = self.token_from(q.inner_start)
        if k >= len(self.doc):
            return None
        for c in v.children:
            if c.dep_ == "dobj" and c.left_edge.i < k - 1 and c.i < k <= c.right_edge.i:
                return c
        return None

    def content_lead(self, cue: _Cue, q: QuoteMarks) -> int | None:
        """First token of the cue's content when words of it come before the quotation."""
        if cue.content is None:
            return None
        i = cue.content[0]
        k = self.token_at(q.start)
        if i >= k:
            return None
        words = [t for t in self.doc[i:k] if not (t.is_punct or t.is_space or t.lower_ == "that")]
        return i if words else None

    def _clean_between(self, v: int, k: int) -> bool:
        """Only the verb's own small words between a cue and the quote it introduces."""
        doc = self.doc
        verb = doc[v]
        a, b = verb.left_edge.i, verb.right_edge.i
        for x in range(v + 1, k):
            t = doc[x]
            if t.is_space or t.is_punct or t.lower_ == "that":
                continue
            if not (a <= x <= b) and self.in_quote[x] < 0:
                return False
            if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass", "amod", "acl"):
                return False
        return True

    def dash_cue(self, q: QuoteMarks) -> _Cue | None:
        """'"..." ― Carla Sanchez': a name after a dash, alone on the rest of the line."""
        if not q.closed:
            return None
        text, n = self.text, len(self.text)
        j = q.end
        while j < n and text[j] in _BLANKS:
            j += 1
        if j >= n or text[j] not in _DASHES:
            return None
        dash = j
        j += 1
        while j < n and text[j] in _BLANKS:
            j += 1
        end = text.find("\n", j)
        end = n if end < 0 else end
        while end > j and (text[end - 1] in _BLANKS or text[end - 1] == "."):
            end -= 1
        name = text[j:end]
        words = name.replace(",", " ").split()
        if not words or len(words) > 8 or not name[0].isupper():
            return None
        if sum(1 for w in words if w[0].isupper()) < max(1, len(words) - 2):
            return None
        a, b = self.token_from(j), self.token_at(end - 1)
        if a >= len(self.doc) or b < a:
            return None
        head = self.doc[b]
        return _Cue(
            token=self.doc[a],
            form="dash",
            speech=True,
            cue=(dash, dash + 1),
            speaker=head,
            speaker_span=(j, end) if self.mention_at[b] < 0 else None,
        )

    def colon_cue(self, q: QuoteMarks) -> _Cue | None:
        """'Rubio was blunt: "..."' and headlines 'Trump: "..."' (the colon is the cue)."""
        doc = self.doc
        k = self.token_at(q.start)
        i = k - 1
        while i >= 0 and doc[i].is_space:
            i -= 1
        if i < 0 or doc[i].text != ":":
            return None
        colon = doc[i]
        a = self.sent_bounds[self.sent_id[i]][0]
        if i - a < 1:
            return None
        root = doc[i - 1]
        seen = 0
        while a <= root.head.i < i and root.head.i != root.i and seen < 20:
            root = root.head
            seen += 1
        if root.pos_ in ("VERB", "AUX"):
            speaker = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        else:
            speaker = root
        if speaker is None or not (a <= speaker.i < i):
            return None
        if not (self.mention_at[speaker.i] >= 0 or speaker.pos_ == "PROPN" or speaker.lower_ in _PERSONAL):
            return None
        if not self.standalone(q, colon_ok=True):
            return None
        return _Cue(token=colon, form="colon", speech=True, cue=(colon.idx, colon.idx + 1), speaker=speaker)

    def standalone(self, q: QuoteMarks, colon_ok: bool = False) -> bool:
        """Whether the quotation is a sentence (or a headline) of its own."""
        return self.clean_before(q, colon_ok) and self.clean_after(q)

    def clean_before(self, q: QuoteMarks, colon_ok: bool = False) -> bool:
        """Nothing of its sentence before the quotation (or only 'X said:' with ``colon_ok``)."""
        text = self.text
        i = q.start - 1
        while i >= 0 and text[i] in _BLANKS:
            i -= 1
        if i < 0 or text[i] == "\n" or text[i] in ".!?…)]":
            return True
        if text[i] in _QUOTE_CHARS:
            # another quotation ('"Marco!" "Marco!"'), not a possessive ("CBS' '60 Minutes'")
            return not (text[i] in "'’" and i > 0 and text[i - 1].isalnum())
        return colon_ok and text[i] in ":,—–-"

    def clean_after(self, q: QuoteMarks) -> bool:
        """Nothing of its sentence after the quotation but punctuation (or an attribution,
        which the callers check)."""
        text = self.text
        j = q.end
        n = len(text)
        while j < n and text[j] in _BLANKS:
            j += 1
        if j >= n or text[j] == "\n":
            return True
        if self.last_char(q) in _END_PUNCT_CHARS or self.last_char(q) in ",;:":
            return True
        return text[j] in ".!?…,;:)—–" or text[j] in _QUOTE_CHARS

    def continues(self, prev: _Direct, q: QuoteMarks) -> bool:
        """'"...," Rubio said. "..."': only the previous quote's attribution lies between."""
        if prev.partial:
            return False
        gap = self.text[prev.end : q.start]
        if "\n" in gap and (
            not self.ex.merge_paragraphs or not self.standalone(q) or q.family != prev.marks[-1].family
        ):
            return False  # a new paragraph in other marks is a new quotation (or a heading)
        if not gap.strip():
            return True
        if prev.cue is None or prev.position != "after":
            return False
        doc = self.doc
        v = prev.cue.token
        i, j = self.token_from(prev.end), self.token_at(q.start)
        ended = False
        for x in range(max(i, v.i + 1), j):
            # the speaker before the cue was checked with the first quote; after it only the
            # rest of the attribution's sentence may follow ('said Monday', 'said of people
            # whose rights were restored,'), not another report nor another sentence
            t = doc[x]
            if t.is_space:
                continue
            if ended:
                return False
            if t.text in _SENT_END:
                ended = True
                continue
            if (
                x in self.by_token
                and self.by_token[x].form == "verb"
                and (t.head.i == v.i or t.dep_ in ("ROOT", "conj"))
                and (
                    any(c.dep_ in _SUBJ for c in t.children)
                    or (t.dep_ in ("ROOT", "conj") and self.by_token[x].content is not None)
                )
            ):
                # another report ('..., he said, and Smith added ...'), not the speaker's
                # participle ('said Caddell, speaking of her health. "..."')
                return False
        return True

    def direct_out(self, d: _Direct) -> _Out:
        first, last = d.marks[0], d.marks[-1]
        cue = d.cue
        kind = QuoteKind.direct
        content = (first.inner_start, last.inner_end)
        parts = [(m.inner_start, m.inner_end) for m in d.marks]
        if d.extend is not None:
            kind = QuoteKind.mixed
            content = (d.extend[0], last.inner_end if len(d.marks) > 1 else d.extend[1])
            parts[0] = (d.extend[0], d.extend[1] if len(d.marks) == 1 else first.inner_end)
        return _Out(
            kind=kind,
            content=content,
            marks=(first.start, last.end),
            cue=cue,
            speaker_token=cue.speaker if cue else None,
            speaker_span=cue.speaker_span if cue else None,
            medium=cue.medium if cue else None,
            floating=d.position == "floating",
            parts=parts,
        )

    # -- indirect quotes -------------------------------------------------------------------
    def indirect_quotes(self, directs: list[_Direct]) -> list[_Out]:
        outs: list[_Out] = []
        spans = [(m.start, m.end) for d in directs if not d.partial for m in d.marks]
        spans += [d.extend for d in directs if d.extend is not None]
        partial = [(d.start, d.end) for d in directs if d.partial]
        used = sorted(c.token.i for c in self.cues if c.used)
        # direct outs already built; partial ones are dropped from the direct list below
        for cue in self.cues:
            if cue.used or cue.content is None or cue.form == "colon" or cue.direct_only:
                continue
            i, j = cue.content
            s, e = self.chars(i, j)
            inside = [sp for sp in spans if _overlap((s, e), sp)]
            nested = bool(inside) and all(
                s < sp[0] and sp[1] <= e + 1 and len(self.text[s : sp[0]].split()) >= 4 for sp in inside
            )
            if inside and not nested:
                continue  # the words of a direct quote, or a parse gone astray around one
            # 'said if he spent the day there he'd be yelling "Hey, vote for me."': a report
            # whose clause holds somebody's quoted words is a mixed quote of its own
            u = bisect_left(used, i)
            if u < len(used) and used[u] < j:
                continue  # holds the cue of a direct quote: a parse gone astray
            kind = QuoteKind.mixed if nested else QuoteKind.indirect
            if any(s <= ps + 1 and pe <= e + 1 for ps, pe in partial):
                kind = QuoteKind.mixed  # (the content may start just inside the opening mark)
            outs.append(
                _Out(
                    kind=kind,
                    content=(s, e),
                    marks=None,
                    cue=cue,
                    speaker_token=cue.speaker,
                    speaker_span=None,
                    medium=cue.medium,
                )
            )
        directs[:] = [d for d in directs if not d.partial]
        # A report inside the content of another ('Rubio said Trump called it a threat') is
        # part of what the outer speaker said, not an attribution of its own.
        return _drop_nested(outs)

    def continue_with_partials(self, outs: list[_Out], partials: list[_Direct]) -> None:
        """'"It's ambush journalism," she says. It's "this new in-your-face journalism."': a
        sentence right after an attributed quotation that quotes the speaker again without a
        cue of its own goes on with the same report, as one more piece of it."""
        if not partials:
            return
        text = self.text
        starts = [o.content[0] for o in outs]
        for d in partials:
            if d.title or any(o.content[0] <= d.start < o.content[1] for o in outs):
                continue  # inside a report already (a mixed quote)
            k = self.sent_id[self.token_at(d.start)]
            a, b = self.sent_bounds[k]
            if any(self.by_token.get(x) is not None for x in range(a, b)):
                continue  # the sentence has a cue of its own
            n = bisect_left(starts, self.doc[a].idx) - 1
            if n < 0:
                continue
            prev = outs[n]
            if prev.marks is None or prev.cue is None or prev.kind == QuoteKind.indirect:
                continue
            end = max(prev.marks[1], prev.cue.cue[1])
            if self.sent_id[self.token_at(max(0, end - 1))] != k - 1 or "\n" in text[end : self.doc[a].idx]:
                continue
            s, e = _strip_span(text, self.doc[a].idx, self.doc[b - 1].idx + len(self.doc[b - 1]))
            e = max(e, d.marks[-1].inner_end)  # the quotation may run on past its sentence
            prev.parts = [*prev.pieces(), (s, e)]
            prev.content = (prev.content[0], e)
            prev.marks = (prev.marks[0], max(prev.marks[1], d.end))

    # -- floating speakers -----------------------------------------------------------------
    def assign_floating(self, outs: list[_Out]) -> None:
        """A floating quote takes the speaker of the attribution in the previous sentence
        (same or previous paragraph), else of the next one; a headline looks ahead first."""
        text = self.text
        merged: set[int] = set()
        for n, o in enumerate(outs):
            if not o.floating:
                continue
            prev = next(
                (p for p in reversed(outs[:n]) if p.speaker_token is not None and id(p) not in merged), None
            )
            nxt = next((p for p in outs[n + 1 :] if p.speaker_token is not None and not p.floating), None)
            assert o.marks is not None
            start, end = o.marks
            before, after = self._line_around(start, end)
            headline = not before.strip() and not after.strip() and text[o.content[1] - 1] not in ".!?,…"
            # '"We want to use this." Adler, the owner, said the campaign has yet to ...': a
            # quotation that opens its paragraph belongs to the report that follows it there
            leads = (
                not before.strip()
                and nxt is not None
                and nxt.cue is not None
                and not headline
                and "\n" not in text[end : min(nxt.content[0], nxt.cue.cue[0])]
                and self.sent_id[self.token_at(min(nxt.content[0], nxt.cue.cue[0]))]
                - self.sent_id[self.token_at(max(0, end - 1))]
                <= 1
            )
            cands = []
            if prev is not None and self._near(prev, start, backwards=True):
                cands.append(prev)
            if nxt is not None and self._near(nxt, end, backwards=False):
                cands.insert(0 if headline or leads else len(cands), nxt)
            if not cands:
                continue
            src = cands[0]
            if leads and src is nxt:
                o.speaker_token, o.speaker_span = nxt.speaker_token, nxt.speaker_span
                nxt.parts = [*o.pieces(), *nxt.pieces()]
                nxt.content = (o.content[0], nxt.content[1])
                if nxt.kind == QuoteKind.indirect:
                    nxt.kind = QuoteKind.mixed
                merged.add(id(o))
                continue
            o.speaker_token = src.speaker_token
            o.speaker_span = src.speaker_span
            if (
                src is prev
                and prev.cue is not None
                and not headline
                and (
                    # a mixed report with its quoted words ('"..." that is sexist, Brock said.')
                    (prev.marks is None and prev.kind == QuoteKind.mixed)
                    or (
                        prev.marks is not None
                        and _family_at(text, prev.marks[1] - 1) == _family_at(text, start)
                    )
                )
            ):
                # '"...," Woolson said. They also lie in a dead zone. "..."': the floating
                # quotation goes on with what the speaker said, one attribution in pieces
                prev.parts = [*prev.pieces(), *o.pieces()]
                prev.content = (prev.content[0], o.content[1])
                if prev.marks is not None:
                    prev.marks = (prev.marks[0], o.marks[1])
                merged.add(id(o))
        outs[:] = [o for o in outs if id(o) not in merged]

    def _near(self, other: _Out, pos: int, backwards: bool) -> bool:
        """The other attribution lies in the sentence next to ``pos`` (across at most one
        paragraph break)."""
        o_start = other.marks[0] if other.marks else other.content[0]
        o_end = other.marks[1] if other.marks else other.content[1]
        if other.cue is not None:
            o_start = min(o_start, other.cue.cue[0])
            o_end = max(o_end, other.cue.cue[1])
        if backwards:
            if o_end > pos:
                return False
            k_here = self.sent_id[self.token_at(pos)]
            k_there = self.sent_id[self.token_at(max(0, o_end - 1))]
            gap = self.text[o_end:pos]
        else:
            if o_start < pos:
                return False
            k_here = self.sent_id[self.token_at(max(0, pos - 1))]
            k_there = self.sent_id[self.token_at(o_start)]
            gap = self.text[pos:o_start]
        return abs(k_there - k_here) <= 2 and len(_BREAKS_RE.findall(gap)) <= 1

    # -- records ---------------------------------------------------------------------------
    def build(self, o: _Out) -> Quote:
        speaker = self.speaker_mention(o.speaker_token, o.speaker_span)
        cs, ce = o.content
        pieces = [Span(text=self.text[a:b], start=a, end=b) for a, b in o.pieces()]
        cue_span = None
        parts = [o.content, o.marks or o.content]
        if o.cue is not None:
            a, b = o.cue.cue
            cue_span = Span(text=self.text[a:b], start=a, end=b)
            parts.append((a, b))
        if speaker is not None and not o.floating:
            parts.append((speaker.start, speaker.end))
        start = min(p[0] for p in parts)
        end = max(p[1] for p in parts)
        return Quote(
            kind=o.kind,
            start=start,
            end=end,
            content=Span(text=self.text[cs:ce], start=cs, end=ce),
            content_parts=pieces,
            cue=cue_span,
            speaker=speaker,
            medium=o.medium,
        )

    def resolve_first_person(self, quotes: list[Quote]) -> None:
        """'we'/'our' inside a direct quote refer to the speaker's side: they take the
        speaker's codes when the actor stage left them uncoded."""
        if not self.mentions:
            return
        changed = False
        for q in quotes:
            sp = q.speaker
            if q.kind == QuoteKind.indirect or sp is None or not (sp.country or sp.sectors):
                continue
            i, n, end = self.token_at(q.content.start), len(self.doc), q.content.end
            while i < n and self.starts[i] < end:
                k = self.mention_at[i]
                if k >= 0:
                    m = self.mentions[k]
                    if m.text.lower() in _FIRST_PLURAL and not (m.country or m.sectors):
                        m.country = sp.country
                        m.sectors = list(sp.sectors)
                        m.matched = f"{m.matched};quote-speaker" if m.matched else "quote-speaker"
                        changed = True
                i += 1
        if changed:
            self.doc._.actors = self.mentions


def _is_name(m: ActorMention) -> bool:
    """A mention that names its actor ('Gabriela Lazar'), not a role ('his wife', 'spokeswoman')."""
    if m.name:
        return True
    words = m.text.split()
    return len(words) >= 2 and all(w[:1].isupper() for w in words)


def _drop_nested(outs: list[_Out]) -> list[_Out]:
    """Drop the reports whose cue lies inside the content of another report (one sort, one
    sweep): 'Rubio said Trump called it a threat' is all Rubio's."""
    spans = sorted(o.content for o in outs)
    starts = [sp[0] for sp in spans]
    reach: list[int] = []  # the furthest end among the spans starting so far
    for _, e in spans:
        reach.append(max(e, reach[-1]) if reach else e)
    keep = []
    for o in outs:
        pos = o.cue.cue[0] if o.cue is not None else o.content[0]
        k = bisect_right(starts, pos) - 1
        if k >= 0 and reach[k] > pos and not (o.content[0] <= pos < o.content[1]):
            continue
        keep.append(o)
    return keep


_NAME_BEFORE_RE = re.compile(r"[A-Z][\w.'’-]*[ \t]$")
_NAME_AFTER_RE = re.compile(r"[ \t][A-Z]")


def _nickname(text: str, q: QuoteMarks) -> bool:
    """'Del. Marcia "Cia" Price': a quoted nickname inside a name is part of the name."""
    inner = text[q.inner_start : q.inner_end]
    words = inner.split()
    return (
        0 < len(words) <= 2
        and len(inner) <= 24
        and all(w[:1].isupper() for w in words)
        and _NAME_BEFORE_RE.search(text, max(0, q.start - 40), q.start) is not None
        and _NAME_AFTER_RE.match(text, q.end) is not None
    )


_NON_WORDS_RE = re.compile(r"[\W_]+")


def _norm_words(text: str) -> str:
    """Lower-case words separated by single spaces (apostrophes, marks and dashes dropped)."""
    return " " + _NON_WORDS_RE.sub(" ", text.lower().replace("’", "").replace("'", "")).strip() + " "


def _title_case(words: str) -> bool:
    """At least two words that count, and all of them capitalised ('How Societies Choose').
    Stops at the first that is not: the line around a quotation is often a long paragraph."""
    count = 0
    for found in _WORD_RE.finditer(words):
        w = found.group()
        if len(w) >= 3 and w not in _TITLE_SMALL_WORDS:
            if not w[0].isupper():
                return False
            count += 1
    return count >= 2


def _family_at(text: str, i: int) -> str:
    """Double, single or angled: the family of the quotation mark at ``i``."""
    c = text[i]
    return "S" if c in "'‘’‚′" else "G" if c in "«»‹›" else "D"


def _strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    """``[s, e)`` without surrounding space and stray quotation marks."""
    while s < e and (text[s].isspace() or text[s] in _QUOTE_CHARS):
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _is_quote_token(t: Token) -> bool:
    return bool(t.text) and all(ch in _QUOTE_CHARS for ch in t.text)
