"""Who says it: the subject of a reporting verb, and whom a pronoun or a role means.

The subject is found by position around the verb, without a parser:
before it ("Heusgen said", "the MSC chief said", "Stoltenberg, the secretary
general, said", "The finance director, Maria Lopez, said"), or after it when
the verb comes first ('," said Heusgen', "..., said the chairman of X, Y",
"according to X"). A pronoun means whoever was talked about last: the last
speaker, or a person named later as the subject of a sentence. A definite
role ("the NATO chief") means the last person named with one of its words
nearby ("NATO Secretary-General Jens Stoltenberg"); an unmatched role or an
indefinite description ("a French official") is a speaker of its own.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from tui.core.suggest.document import (
    QUOTATION,
    SPEAKER_TYPES,
    WORD,
    Cue,
    Document,
    Sentence,
    Token,
    person_name,
    strip_possessive,
)
from tui.core.suggest.lexicon import (
    DETERMINERS,
    NOT_NAMES,
    ROLE_NOUNS,
    SUBJECT_PRONOUNS,
    VERB_COMPANIONS,
    word_set,
)

# A clause, not a subject, follows the verb: "said the agreement was ...".
_CLAUSE_WORDS = word_set("""
    is are was were be been has have had would will could should can may might must did does do
    that it this there
""")
MAX_SUBJECT_WORDS = 6
APPOSITION_WORDS = 12
CLAUSE_TOKENS = 40  # how far a clause's subject is looked for
ROLE_WINDOW = 60  # characters around a person's name where a role's words tie it to them
_SENTENCE_BREAK = re.compile(r"[.!?]\s|\n")


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    named: bool  # a proper name, not a description
    at: int  # where in the text they were last heard or named


@dataclass(frozen=True, slots=True)
class Subject:
    """The words that name the speaker of one cue, and whom they mean."""

    words: str  # as written: "he", "the MSC chief", "Heusgen"
    speaker: Speaker | None


class Speakers:
    """Who spoke or was talked about last, as the article is read from the top."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.last: Speaker | None = None
        self.last_named: Speaker | None = None
        self.mentioned: Speaker | None = None  # the last person a sentence was about
        self._quoted = sorted((q.open, q.close) for s in doc.sentences for q in s.quotations)
        self._quoted_starts = [span[0] for span in self._quoted]
        self._persons: dict[str, str | None] = {}
        self._mentions: dict[str, list[tuple[int, int]]] | None = None

    def heard(self, speaker: Speaker | None) -> None:
        if speaker is not None:
            self.last = speaker
            if speaker.named:
                self.last_named = speaker

    def read(self, sentence: Sentence) -> None:
        """Note the person the sentence is about: its first person named outside quotations."""
        text = self.doc.text
        for entity in self.doc.entities_in(sentence.start, sentence.end):
            if self.quoted(entity.start):
                continue
            name = self.person(entity.text)
            if name is None:
                continue
            if not entity.text.endswith(("’s", "'s")) and text[entity.end:entity.end + 2] not in ("’s", "'s"):
                self.mentioned = Speaker(name, True, entity.start)
            return

    def quoted(self, position: int) -> bool:
        at = bisect.bisect_right(self._quoted_starts, position) - 1
        return at >= 0 and self._quoted[at][0] < position <= self._quoted[at][1]

    def person(self, name: str) -> str | None:
        """The full name when ``name`` is a person the article names in full, else None."""
        if name not in self._persons:
            full = self.doc.full_name(person_name(name))
            self._persons[name] = full if full in self.doc.people else None  # not "op-ed"
        return self._persons[name]

    def mentions(self, name: str) -> list[tuple[int, int]]:
        """Where the article names the person ``name`` (a full name), in text order."""
        if self._mentions is None:
            self._mentions = {}
            for entity in self.doc.entities:
                full = self.person(entity.text)
                if full is not None:
                    self._mentions.setdefault(full, []).append((entity.start, entity.end))
        return self._mentions.get(name, [])

    def pronoun(self, before: int) -> Speaker | None:
        candidates = [s for s in (self.last, self.mentioned) if s is not None and s.at < before]
        return max(candidates, key=lambda s: s.at) if candidates else None

    def role(self, words: str, at: int) -> Speaker:
        """Whom "the NATO chief" means: the latest person named near one of its words."""
        keys = [w for w in re.findall(r"[\w-]+", words) if w.lower() not in ("the", "of")]
        if keys:
            near = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in keys) + r")\b", re.IGNORECASE)
            seen: set[str] = set()
            for entity in self.doc.entities_before(at):
                name = self.person(entity.text)
                if name is None or name in seen:
                    continue
                seen.add(name)
                if self._named_near(name, near, at):
                    return Speaker(name, True, at)
                if len(seen) >= 5:
                    break
        return Speaker(words, False, at)

    def _named_near(self, name: str, near: re.Pattern, before: int) -> bool:
        """Whether a word of ``near`` is in the same sentence as a mention of ``name``, close by."""
        text = self.doc.text
        for start, end in self.mentions(name):
            if start >= before:
                break
            lead = _SENTENCE_BREAK.split(text[max(0, start - ROLE_WINDOW):start])[-1]
            tail = _SENTENCE_BREAK.split(text[end:end + ROLE_WINDOW])[0]
            if near.search(lead) or near.search(tail):
                return True
        return False


def resolve(doc: Document, sentence: Sentence, cue: Cue, speakers: Speakers) -> Subject | None:
    """Who speaks through ``cue``."""
    tokens = doc.tokens(sentence)
    at = sentence.index.get(cue.start)
    if at is None:
        return None  # the cue is inside a token (a run of letters with no spaces): no speaker
    return _meaning(doc, _subject(doc, tokens, at, cue), speakers, cue.start)


def resolve_clause(doc: Document, sentence: Sentence, end: int, speakers: Speakers) -> Subject | None:
    """Who speaks in the clause before token ``end`` ('Raman put it bluntly: "..."')."""
    tokens = doc.tokens(sentence)
    return _meaning(doc, _first_subject(doc, tokens, end), speakers, tokens[end].start)


def _meaning(doc: Document, found: tuple[str, str] | None, speakers: Speakers, at: int) -> Subject | None:
    if found is None:
        return None
    kind, words = found
    if kind == "pronoun":
        return Subject(words, speakers.pronoun(at))
    if kind == "role":
        return Subject(words, speakers.role(words, at))
    if kind == "name":
        names = [doc.full_name(person_name(part)) for part in words.split(" and ")]
        return Subject(words, Speaker(" and ".join(names), True, at))
    return Subject(words, Speaker(words, False, at))


def _subject(doc: Document, tokens: list[Token], k: int, cue: Cue) -> tuple[str, str] | None:
    """("name" | "pronoun" | "role" | "description", words) of the one who speaks through the
    cue at token ``k``, or None."""
    if cue.source:  # "according to X", "as per X", "in the words of X"
        return _phrase_after(doc, tokens, k + len(cue.text.split()), source=True)
    j = k - 1
    while j >= 0 and tokens[j].kind == WORD and _companion(tokens[j].lower):
        j -= 1
    if j < 0:
        return _phrase_after(doc, tokens, k + 1)  # "Said Heusgen: ..."
    token = tokens[j]
    if token.kind == QUOTATION or token.text in ":;—–(":
        return _phrase_after(doc, tokens, k + 1)  # '," said Heusgen'
    if token.text == ",":
        if cue.text.lower().endswith("ing"):
            return _nearest_name(doc, tokens, j)  # "Macron opposed the idea, saying"
        return _between_commas(doc, tokens, j) or _phrase_after(doc, tokens, k + 1)
    if token.lower in ("and", "but"):
        return _first_subject(doc, tokens, j)  # "X did not comment but noted that"
    if token.lower == "who" and j >= 2 and tokens[j - 1].text == ",":
        return _phrase_before(doc, tokens, j - 2)
    return _phrase_before(doc, tokens, j)


def _companion(word: str) -> bool:
    return word in VERB_COMPANIONS or word.endswith("ly") and len(word) > 4


def _name_token(doc: Document, tokens: list[Token], i: int) -> bool:
    token = tokens[i]
    if token.kind != WORD:
        return False
    entity = doc.entity_at(token.start)
    if entity is not None:
        return entity.label in SPEAKER_TYPES
    if not token.text[0].isupper() or token.lower in NOT_NAMES:
        return False
    if i == 0 or tokens[i - 1].kind != WORD:
        # First word of a sentence or clause: "Opponents said" names nobody,
        # "Okafor said" does. Without an entity, only a run of two capitalised
        # words ("Tom Briggs") or someone the article names in full counts.
        return (i + 1 < len(tokens) and tokens[i + 1].kind == WORD and tokens[i + 1].text[0].isupper()
                or doc.full_name(strip_possessive(token.text)) in doc.people)
    return True


def _name_ending_at(doc: Document, tokens: list[Token], j: int) -> str | None:
    token = tokens[j]
    entity = doc.entity_at(token.start)
    if entity is not None and entity.label in SPEAKER_TYPES:
        return doc.text[entity.start:max(entity.end, token.end)]
    if not _name_token(doc, tokens, j) and not (
            j > 0 and _name_token(doc, tokens, j - 1) and token.text[0].isupper()
            and token.lower not in NOT_NAMES and tokens[j - 1].kind == WORD):
        return None
    i = j
    while i > 0 and j - i < MAX_SUBJECT_WORDS and tokens[i - 1].kind == WORD \
            and tokens[i - 1].text[0].isupper() and tokens[i - 1].lower not in NOT_NAMES \
            and doc.entity_at(tokens[i - 1].start) is None:
        i -= 1
    return doc.text[tokens[i].start:token.end]


def _phrase_before(doc: Document, tokens: list[Token], j: int) -> tuple[str, str] | None:
    """The subject that ends at token ``j``."""
    token = tokens[j]
    if token.kind != WORD:
        return None
    if token.lower in SUBJECT_PRONOUNS:
        return "pronoun", token.text
    name = _name_ending_at(doc, tokens, j)
    if name is not None:
        # "Stoltenberg and Abe said": both.
        first = j
        while first > 0 and tokens[first - 1].kind == WORD and tokens[first - 1].start >= token.end - len(name):
            first -= 1
        if first >= 2 and tokens[first - 1].lower == "and":
            other = _name_ending_at(doc, tokens, first - 2)
            if other is not None:
                return "name", f"{strip_possessive(other)} and {name}"
        return "name", name
    if token.text[0].isupper() and token.lower in NOT_NAMES:
        return None
    # A description: back to its determiner ("the MSC chief", "a French official").
    i = j
    while i > 0 and j - i < MAX_SUBJECT_WORDS and tokens[i - 1].kind == WORD:
        i -= 1
        if tokens[i].lower in DETERMINERS:
            phrase = doc.text[tokens[i].start:token.end]
            return ("role" if tokens[i].lower == "the" and _role(token.lower) else "description"), phrase
    if _role(token.lower) or j == 0 or tokens[j - 1].kind != WORD:
        # "officials said", "Critics pointed out", "NATO officials said"
        start = j
        while start > 0 and tokens[start - 1].kind == WORD and tokens[start - 1].text[0].isupper():
            start -= 1
        return "description", doc.text[tokens[start].start:token.end]
    return None


def _role(word: str) -> bool:
    return word in ROLE_NOUNS or word.rstrip("s") in ROLE_NOUNS


def _phrase_after(doc: Document, tokens: list[Token], i: int, source: bool = False) -> tuple[str, str] | None:
    """The subject that follows a verb or a source phrase ('said the chairman of X, Y')."""
    if i >= len(tokens) or tokens[i].kind != WORD:
        return None
    token = tokens[i]
    if token.lower in SUBJECT_PRONOUNS:
        return "pronoun", token.text
    person = _person_in(doc, tokens, i, i + 4)  # "said Mayor Linda Okafor"
    if person is not None and all(t.kind == WORD for t in tokens[i:person[1]]):
        return "name", person[0]
    if _name_token(doc, tokens, i) or token.text[0].isupper() and token.lower not in NOT_NAMES:
        entity = doc.entity_at(token.start)
        if entity is not None:
            return "name", doc.text[entity.start:entity.end]
        j = i
        while j + 1 < len(tokens) and j - i < MAX_SUBJECT_WORDS and tokens[j + 1].kind == WORD \
                and tokens[j + 1].text[0].isupper() and doc.entity_at(tokens[j + 1].start) is None:
            j += 1
        return "name", doc.text[token.start:tokens[j].end]
    if token.lower not in DETERMINERS:
        return None
    # A description, and the person it names when an apposition follows:
    # "the chairman of the Munich Security Conference, Christoph Heusgen".
    j = i
    while j + 1 < len(tokens) and j - i < APPOSITION_WORDS and tokens[j + 1].kind == WORD:
        j += 1
        if tokens[j].lower in _CLAUSE_WORDS and not source:
            return None  # "said the agreement was ...": a clause, not a subject
    if j + 1 < len(tokens) and tokens[j + 1].text == ",":
        person = _person_in(doc, tokens, j + 2, j + 2 + 4)
        if person is not None:
            return "name", person[0]
    last = j
    while last > i and tokens[last].lower in ("on", "in", "at", "of", "to", "for", "last", "this"):
        last -= 1
    last = min(last, i + MAX_SUBJECT_WORDS)
    kind = "role" if token.lower == "the" and _role(tokens[last].lower) else "description"
    return kind, doc.text[token.start:tokens[last].end]


def _person_in(doc: Document, tokens: list[Token], i: int, stop: int) -> tuple[str, int] | None:
    """The first PERSON entity among tokens ``i`` to ``stop``, and the token index after it."""
    for n in range(i, min(stop, len(tokens))):
        token = tokens[n]
        if token.kind == QUOTATION:
            return None
        entity = doc.entity_at(token.start)
        if entity is not None and entity.label == "PERSON":
            after = n
            while after < len(tokens) and tokens[after].start < entity.end:
                after += 1
            return person_name(doc.text[entity.start:entity.end]), n
    return None


def _between_commas(doc: Document, tokens: list[Token], comma: int) -> tuple[str, str] | None:
    """'NAME, an apposition, VERB' or 'a description, NAME, VERB': the name."""
    i = comma - 1
    words = 0
    while i >= 0 and tokens[i].text != "," and tokens[i].kind != QUOTATION and tokens[i].text not in ";:":
        words += tokens[i].kind == WORD
        if words > APPOSITION_WORDS:
            return None
        i -= 1
    if i < 1 or tokens[i].text != "," or words == 0 or words > APPOSITION_WORDS:
        return None
    inside = tokens[i + 1:comma]
    entity = doc.entity_at(inside[0].start)
    if entity is not None and entity.label == "PERSON" and entity.end >= inside[-1].end:
        return "name", doc.text[entity.start:entity.end]  # "The finance director, Maria Lopez, said"
    first = inside[0]
    if first.kind != WORD or (first.text[0].isupper() and first.lower not in DETERMINERS):
        return None  # "Japan, South Korea, Australia and New Zealand, said": a list
    name = _name_ending_at(doc, tokens, i - 1)
    return ("name", name) if name else None  # "Stoltenberg, the secretary general, said"


def _nearest_name(doc: Document, tokens: list[Token], j: int) -> tuple[str, str] | None:
    """The closest name or pronoun before token ``j`` in the sentence."""
    for i in range(j - 1, max(-1, j - 1 - CLAUSE_TOKENS), -1):
        token = tokens[i]
        if token.kind == QUOTATION:
            return None
        if token.kind == WORD and token.lower in SUBJECT_PRONOUNS:
            return "pronoun", token.text
        name = _name_ending_at(doc, tokens, i) if token.kind == WORD else None
        if name is not None:
            return "name", name
    return None


def _first_subject(doc: Document, tokens: list[Token], j: int) -> tuple[str, str] | None:
    """The subject of the sentence's first clause."""
    for i in range(0, min(j, CLAUSE_TOKENS)):
        token = tokens[i]
        if token.kind == QUOTATION:
            return None
        if token.kind != WORD:
            continue
        if token.lower in SUBJECT_PRONOUNS:
            return "pronoun", token.text
        if _name_token(doc, tokens, i):
            entity = doc.entity_at(token.start)
            if entity is not None:
                return "name", doc.text[entity.start:entity.end]
            end = i
            while end + 1 < j and _name_token(doc, tokens, end + 1):
                end += 1
            return "name", doc.text[token.start:tokens[end].end]
    return None
