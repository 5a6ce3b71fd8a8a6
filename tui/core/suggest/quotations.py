"""Direct speech: which quotations are speech, and who speaks.

A quotation is speech when a reporting verb or a source phrase ties it to a
speaker in its sentence ('"...," he said', 'according to X, the "..."',
'noted that "..."'), or when it stands as a sentence of its own (a quotation
continued in the next sentence or paragraph). It is not speech when it is a
single term, a name or a title ("scare quotes": the "no-limits" alliance,
the "North Atlantic", a report titled "..."), or when nothing ties it to
anyone. Who speaks is ``tui.core.suggest.speakers``' business.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.suggest.document import (
    QUOTATION,
    WORD,
    Cue,
    Document,
    Quotation,
    Sentence,
    Token,
)
from tui.core.suggest.lexicon import NAMING_CUES
from tui.core.suggest.model import QUOTATION_RULE, QUOTE, Suggestion, make
from tui.core.suggest.speakers import (
    MAX_SUBJECT_WORDS,
    Speaker,
    Speakers,
    Subject,
    resolve,
    resolve_clause,
)

MAX_CUE_DISTANCE = 60  # a reporting verb further back in the sentence ties nothing
NEAR_SHORT_QUOTE = 8  # a cue at most this many words before a two-word quotation ties it
LONE_SENTENCE_WORDS = 8  # an untied quoted sentence this long is speech even inside a sentence
SPEECH_END = ",!?.…—–-"  # how a quotation ends when an attribution follows it


@dataclass(frozen=True, slots=True)
class Finding:
    """A quotation and the verdict on it."""

    quotation: Quotation
    speech: bool
    why: str  # "he said", "according to Stoltenberg", "a single term", ...
    speaker: str | None


def find(doc: Document) -> list[Finding]:
    """Every quotation of the article with its verdict, in text order."""
    findings: list[Finding] = []
    speakers = Speakers(doc)
    for sentence in doc.sentences:
        speakers.read(sentence)
        if not sentence.quotations and not sentence.cues:
            continue
        tokens = doc.tokens(sentence)
        resolved: dict[int, Subject | None] = {}

        def subject(cue: Cue, sentence=sentence, resolved=resolved) -> Subject | None:
            # Resolved when first needed, in reading order: a pronoun means whoever
            # was talked about last at that point.
            if cue.start not in resolved:
                resolved[cue.start] = resolve(doc, sentence, cue, speakers)
            return resolved[cue.start]

        events = sorted([(cue.start, cue) for cue in sentence.cues]
                        + [(q.open, q) for q in sentence.quotations], key=lambda e: e[0])
        for _position, item in events:
            if isinstance(item, Cue):
                found = subject(item)
                speakers.heard(found.speaker if found else None)
                continue
            finding, speaker = _judge(doc, sentence, tokens, item, subject, speakers)
            if finding.speech and speaker is not None:
                speakers.heard(Speaker(speaker.name, speaker.named, item.open))
            findings.append(finding)
    return findings


def suggestions(doc: Document, label: str = QUOTE) -> list[Suggestion]:
    found = []
    for finding in find(doc):
        q = finding.quotation
        if not finding.speech or q.end <= q.start:
            continue
        note = f"speaker: {finding.speaker}" if finding.speaker else ""
        found.append(make(doc.text, QUOTE, q.start, q.end, label, f"speech: {finding.why}",
                          QUOTATION_RULE, note, finding.speaker))
    return found


def _judge(doc: Document, sentence: Sentence, tokens: list[Token], quotation: Quotation,
           subject, speakers: Speakers) -> tuple[Finding, Speaker | None]:
    text = doc.text
    inner = text[quotation.start:quotation.end]
    words = [w for w in inner.split() if any(c.isalnum() for c in w)]

    def verdict(speech: bool, why: str, said_by: Subject | None = None, *, cue: Cue | None = None):
        if not speech:
            return Finding(quotation, False, why, None), None
        speaker = said_by.speaker if said_by else speakers.pronoun(quotation.open + 1)
        if cue is not None:
            why = _described(cue, said_by)
        return Finding(quotation, True, why, speaker.name if speaker else None), speaker

    if not words:
        return verdict(False, "empty")
    if NAMING_CUES.search(text, max(sentence.start, quotation.open - 40), quotation.open):
        return verdict(False, "a name or title")
    at = sentence.index[quotation.open]
    ends = inner[-1]
    after = _cue_after(tokens, at, sentence) if ends in SPEECH_END or _comma_after(tokens, at) else None
    if len(words) == 1:
        # '"No," he said': one word is speech only when a verb follows it at once.
        if after is not None and ends in ",!?":
            return verdict(True, "", subject(after), cue=after)
        return verdict(False, "a single term")
    if after is not None:
        return verdict(True, "", subject(after), cue=after)
    title_case = all(w[0].isupper() or not w[0].isalpha() for w in words if len(w) > 3)
    if title_case and ends not in ".!?…":
        return verdict(False, "a name or title")
    before = _cue_before(tokens, at, sentence)
    if before is not None:
        cue, distance = before
        if len(words) > 2 or distance <= NEAR_SHORT_QUOTE:
            return verdict(True, "", subject(cue), cue=cue)
    sentence_like = (inner[0].isupper() or inner[0].isdigit()) and len(words) >= 3
    if sentence_like and at > 1 and tokens[at - 1].text == ":":
        # 'Raman put it bluntly: "Nobody is buying sedans."': the clause before the colon.
        said_by = resolve_clause(doc, sentence, at - 1, speakers)
        return verdict(True, f"{said_by.words}:" if said_by else "a quotation after a colon", said_by)
    alone = sentence.content == 1  # nothing but this quotation and punctuation
    if sentence_like and (ends in ".!?…" or not quotation.closed) and (
            alone or len(words) >= LONE_SENTENCE_WORDS):
        last = speakers.pronoun(quotation.open + 1)
        return verdict(True, f"continues {last.name}" if last else "a quoted sentence")
    return verdict(False, "no speaker or reporting verb")


def _described(cue: Cue, said_by: Subject | None) -> str:
    """The attribution as written: "he said", "according to Stoltenberg"."""
    if said_by is None:
        return cue.text
    return f"{cue.text} {said_by.words}" if cue.source else f"{said_by.words} {cue.text}"


def _comma_after(tokens: list[Token], at: int) -> bool:
    return at + 1 < len(tokens) and tokens[at + 1].text == ","


def _cue_after(tokens: list[Token], at: int, sentence: Sentence) -> Cue | None:
    """The reporting verb right after the quotation: '," he said', '," said Heusgen'."""
    words = 0
    for n in range(at + 1, len(tokens)):
        token = tokens[n]
        if token.kind == QUOTATION or token.text in ";:(" or token.text in ".!?" and words:
            return None
        cue = sentence.cue_at.get(token.start)
        if cue is not None:
            if cue.source or words == 0 and cue.text.lower().endswith("ing"):
                return None  # '"...," adding': the quotation belongs to an earlier verb
            return cue
        if token.kind == WORD:
            words += 1
            if words > MAX_SUBJECT_WORDS:
                return None
    return None


def _cue_before(tokens: list[Token], at: int, sentence: Sentence) -> tuple[Cue, int] | None:
    """The nearest reporting verb or source phrase before the quotation, in its sentence, and
    how many words lie between them."""
    words = 0
    for n in range(at - 1, -1, -1):
        token = tokens[n]
        cue = sentence.cue_at.get(token.start)
        if cue is not None:
            return cue, words
        if token.kind == WORD:
            words += 1
            if words > MAX_CUE_DISTANCE:
                return None
    return None
