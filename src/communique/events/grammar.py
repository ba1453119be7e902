"""Reading the dependency parse: which children are subjects and objects, where a clause
hangs, what a verb's objects are. Knows nothing of actors or rules, only of spaCy's
English dependency labels (and the parser's usual mistakes, each named where handled)."""

from __future__ import annotations

from spacy.tokens import Token

from communique.tokens import doc_words

SUBJ = ("nsubj", "csubj")
PASS_SUBJ = ("nsubjpass", "csubjpass")
OBJ = ("dobj", "dative", "iobj", "attr", "oprd")
#: Dependency labels of a clausal complement.
CLAUSE_DEPS = frozenset({"xcomp", "ccomp"})
#: Entity labels of a 'when', never a target ('on Wednesday', 'at dawn').
WHEN = frozenset({"DATE", "TIME"})


def root(tok: Token) -> Token:
    """The root of the token's sentence, by its heads (Span.root would scan the sentence)."""
    while (head := tok.head).i != tok.i:  # one Token made per step
        tok = head
    return tok


def conjuncts(tok: Token) -> tuple[Token, ...]:
    """``tok.conjuncts``, without its walk of the tree for a word that coordinates nothing (most
    words): one that is no conjunct itself and has no word hanging to its right."""
    if not tok.n_rights and tok.dep_ != "conj" and not tok.doc.user_token_hooks:
        return ()
    return tuple(tok.conjuncts)


def infinitive_clause(tok: Token) -> bool:
    """'called on Western nations on Friday TO IMPOSE sanctions': a to-infinitive the parser
    attached as an adverbial clause (purpose or content)."""
    return tok.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def passive_participle(tok: Token) -> bool:
    """'aid workers abducted in Somalia': a past participle describing a noun, in a sentence
    with a finite verb of its own (a sentence parsed without one, 'Doctors from two aid
    groups donated ...', may have its main verb taken for a participle)."""
    if tok.dep_ != "acl" or tok.tag_ != "VBN" or tok.head.pos_ not in ("NOUN", "PROPN"):
        return False
    return root(tok).pos_ in ("VERB", "AUX")


def governing_verb(tok: Token) -> Token | None:
    """The verb a nominal trigger hangs from: 'open to direct talks' -> remains."""
    node = tok
    for _ in range(4):
        if (head := node.head).i == node.i:
            return None
        node = head
        if node.pos_ in ("VERB", "AUX"):
            return node
    return None


def antecedent(tok: Token) -> Token:
    """'Kenya, which has pledged ...', 'premiers who appealed': a relative pronoun stands for the
    noun its clause describes (Penn tags WDT/WP, so no word list)."""
    clause = tok.head
    if tok.tag_ in ("WDT", "WP") and clause.dep_ == "relcl" and clause.head.i != clause.i:
        return clause.head
    return tok


def prep_objects(head: Token, prep: str) -> list[Token]:
    """The objects of ``head``'s preposition ``prep`` ('the release OF Temer')."""
    preps = [c for c in head.children if c.dep_ == "prep" and c.lower_ == prep]
    return [o for c in preps for o in c.children if o.dep_ == "pobj"]


def verb_objects(verb: Token, kids: list[Token] | None = None) -> list[Token]:
    """The heads of a verb's objects; ``kids``: the verb's children, where the caller has them."""
    if kids is None:
        kids = list(verb.children)  # (each walk of .children makes its Tokens anew)
    heads = [c for c in kids if c.dep_ in ("dobj", "attr", "nsubjpass")]
    if not heads and passive_participle(verb):
        heads = [verb.head]  # 'Stinger missiles supplied by the CIA': what was supplied
    if not heads:  # 'handed in their weapons': the parser hangs the object on the particle
        heads = [o for c in kids if c.dep_ == "prt" for o in c.children if o.dep_ == "pobj"]
    if not heads:
        # 'declared a state of siege to begin at midnight': the parser made the object the
        # subject of the infinitive
        heads = [
            s
            for c in kids
            if c.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
            for s in c.children
            if s.dep_ == "nsubj" and s.pos_ == "NOUN"
        ]
    return heads


def object_lemmas(verb: Token) -> set[str]:
    """Lemmas of the verb's object, or of the object of its first preposition."""
    prep: Token | None
    kids = list(verb.children)
    heads = verb_objects(verb, kids)
    heads += [c for h in heads for c in conjuncts(h)]  # 'sent a team of experts, equipment and drugs'
    lemmas = doc_words(verb.doc).lemmas  # (each Token.lemma_ looks its string up again)
    out: set[str] = set()
    for head in heads:
        _add_object_words(out, head, lemmas)
    for c in kids:  # (one walk of the children for both labels)
        dep = c.dep_
        if dep == "oprd":  # 'calling the raid a violation': what the object is called
            out.add(lemmas[c.i])
        elif dep == "xcomp":
            # 'vowed to continue fighting', 'threatened to impose sanctions': the complement
            # verb, its object, and the verb it continues
            out.add(lemmas[c.i])
            out.update(lemmas[g.i] for g in c.children if g.dep_ in ("dobj", "xcomp"))
    if not out:
        prep = next((c for c in kids if c.dep_ == "prep"), None)
        if prep is not None:
            out = {c.lemma_.lower() for c in prep.children if c.dep_ == "pobj"}
            if not out:  # 'pulled out of the city': the parser chains the prepositions
                out = {o.lemma_.lower() for c in prep.children if c.dep_ == "prep" for o in c.children
                       if o.dep_ == "pobj"}  # fmt: skip
    return out


def _add_object_words(out: set[str], head: Token, lemmas: list[str]) -> None:
    """What one object head gives ``object_lemmas``: its lemma, its hyphenated and modified
    forms, the nouns of its compounds ('Food sacks were dropped': what the container holds)
    and what a measure holds ('700 kg of medicine', 'a mission of observers', 'tons of aid')."""
    out.add(lemmas[head.i])
    out.update(hyphen_forms(head))
    out.update(modified_forms(head))  # 'water cannon', 'peace deal'
    noun = head.pos_ == "NOUN"  # not a name: 'the Friendship Bridge' is no friendship
    for c in head.children:  # (one walk of the children for compounds and 'of')
        dep = c.dep_
        if dep == "compound" and noun and c.pos_ == "NOUN":
            out.add(lemmas[c.i])
        elif dep == "prep" and c.lower_ == "of":
            for o in c.children:
                if o.dep_ == "pobj":
                    out.add(lemmas[o.i])
                    out.update(lemmas[x.i] for x in conjuncts(o))


def modified_forms(head: Token) -> list[str]:
    """'fired water cannon', 'signed a joint military exercise deal': the head's lemma with
    the modifiers written right before it, shortest first ('military exercise', 'joint
    military exercise'), as the lexicon lists multiword objects."""
    forms: list[str] = []
    words = [head.lemma_.lower()]
    k = head.i - 1
    while k >= 0:
        word = head.doc[k]  # one Token per word read
        if word.head.i != head.i or word.dep_ not in ("compound", "amod"):
            break
        words.insert(0, word.lemma_.lower())
        forms.append(" ".join(words))
        k -= 1
    return forms


def hyphen_forms(tok: Token) -> list[str]:
    """'cease-fire' split by the tokenizer: the word as one ('ceasefire') and hyphenated."""
    doc = tok.doc
    if tok.i < 2 or doc_words(doc).lowers[tok.i - 1] != "-":
        return []  # most words: no Token made for the words before them
    if doc[tok.i - 1].whitespace_ or doc[tok.i - 2].whitespace_:
        return []
    prefix, lemma = doc[tok.i - 2].lower_, tok.lemma_.lower()
    return [f"{prefix}{lemma}", f"{prefix}-{lemma}"]


def clause_subjects(verb: Token) -> list[Token]:
    """The subjects of a verb, or of the verb it completes ('Palestinians shunned work to
    protest'); for a sentence parsed without a finite verb ('A crowd of 10,000 gathered in
    Manila': crowd ROOT, gathered acl), the noun it hangs from."""
    subjects = [c for c in verb.children if c.dep_ in SUBJ]
    if not subjects and verb.dep_ in ("xcomp", "advcl") and verb.head.i != verb.i:
        subjects = [c for c in verb.head.children if c.dep_ in SUBJ]
    if not subjects and verb.dep_ == "acl" and verb.head.dep_ == "ROOT":
        subjects = [verb.head]
    return subjects


def shares_passive(verb: Token) -> bool:
    """'The general was arrested and accused of a coup': a participle joined to a passive verb,
    with no subject or auxiliary of its own ('three of them were injured' has its own)."""
    own = (*SUBJ, *PASS_SUBJ, "aux", "auxpass")
    if verb.dep_ != "conj" or verb.tag_ != "VBN" or any(c.dep_ in own for c in verb.children):
        return False
    return any(c.dep_ in ("auxpass", *PASS_SUBJ) for c in verb.head.children)


def orders_act(tok: Token) -> bool:
    """'ordered troops to withdraw': the verb's clause is the act ordered. A clause after a
    destination is a purpose ('ordered warplanes to Saudi Arabia to defend the kingdom')."""
    kids = list(tok.children)
    if not any(c.dep_ in CLAUSE_DEPS for c in kids):
        return False
    destinations = [c for c in kids if c.dep_ == "prep" and c.lower_ in ("to", "into")]
    return not any(o.dep_ == "pobj" for c in destinations for o in c.children)


def agentless_passive(verb: Token) -> bool:
    deps = {c.dep_ for c in verb.children}
    return bool(deps & set(PASS_SUBJ)) and "agent" not in deps


def attending_verb(noun: Token, verbs: frozenset[str]) -> Token | None:
    """'attends a Cabinet meeting', 'took part in the talks': the verb whose subject takes
    part in the event ``noun`` names."""
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ == "in":
        head = head.head  # 'participate in', 'take part in'
    elif noun.dep_ != "dobj":
        return None
    return head if head.pos_ == "VERB" and head.lemma_.lower() in verbs else None


def absolute_clause(node: Token) -> bool:
    """A clause with its own subject after 'with' ('Kenya pledged police, with the Bahamas
    committing 150'): the clause around it neither governs it nor gives it a status."""
    return (
        node.dep_ == "pcomp"
        and node.head.lower_ == "with"
        and any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children)
    )


def around_lemmas(verb: Token, objects: set[str]) -> set[str]:
    """``objects`` and the objects of all the verb's prepositions: what a sense's
    ``not_objects`` exclude ('fight corruption', 'fight them in court', 'fight for rights')."""
    preps = [c for c in verb.children if c.dep_ == "prep"]
    return objects | {o.lemma_.lower() for p in preps for o in p.children if o.dep_ in ("pobj", "pcomp")}


def setting_verb(noun: Token, preps: frozenset[str]) -> Token | None:
    """The verb whose act took place in ``noun`` ('agreed IN talks in Barbados'), when the noun
    is the object of one of ``preps`` on it."""
    prep = noun.head
    if noun.dep_ == "pobj" and prep.dep_ == "prep" and prep.lower_ in preps and prep.head.i != prep.i:
        return prep.head
    return None


def coordinated_clause(node: Token) -> bool:
    """'pledged $507 million and NGOs committed $500 million', parsed with the amount as the
    NGOs' and the second clause as what the first says: a complement after an amount and
    'and' is a clause of its own."""
    if node.dep_ != "ccomp" or any(c.dep_ == "mark" for c in node.children):
        return False
    doc = node.doc
    return any(
        doc[i].dep_ == "cc" and doc[i - 1].tag_ == "CD" and doc[i - 1].head.i > i
        for i in range(node.head.i + 2, node.i)
    )


def shared_conjunct(node: Token) -> bool:
    """A conjunct without a subject of its own shares what governs its first conjunct:
    'agreed to lay down their arms and hold talks', 'accusing it of fomenting violence and
    intimidating civilians'."""
    return node.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children)


def subject_words(verb: Token) -> str:
    """The lower-cased words of the subject of a verb, found through the complements and
    conjuncts it hangs from ('the neighbors agreed to withdraw forces, coordinate patrols');
    '' for a word that is no verb or a verb with no subject."""
    if verb.pos_ != "VERB":
        return ""
    node = verb
    for _ in range(4):
        subject = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None:
            return subject.doc[subject.left_edge.i : subject.i + 1].text.lower()
        if node.dep_ not in ("xcomp", "conj") or node.head.i == node.i:
            break
        node = node.head
    return ""
