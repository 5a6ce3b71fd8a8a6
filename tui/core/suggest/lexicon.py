"""The words the rules look for: reporting verbs, pronouns, role nouns, comparisons.

News English marks speech and attribution with a small, stable vocabulary,
so plain word lists do the work a parser would, at a fraction of its cost
(suggestions must come back in milliseconds, and spaCy's parser is not
loaded). Word forms that are mostly nouns in news text ("state", "note",
"claim", "answer", "report", "comment") are listed only in their verb-only
forms ("stated", "noting", ...).
"""

from __future__ import annotations

import re


def word_set(listing: str) -> frozenset[str]:
    """A set of words written one after another, as prose is easier to check than a list."""
    return frozenset(listing.split())

# Every form listed: news text is small enough that a lemmatiser buys nothing here.
REPORTING_VERBS = word_set("""
    say says said saying
    tell tells told telling
    stated stating
    noted noting
    add adds added adding
    stressed stressing
    warn warns warned warning
    argue argues argued arguing
    explain explains explained explaining
    insist insists insisted insisting
    claimed claiming
    declare declares declared declaring
    announce announces announced announcing
    asked
    answered
    replied replying
    responded responding
    urge urges urged urging
    write writes wrote
    tweeted
    commented
    remarked
    observed
    emphasize emphasizes emphasized emphasizing emphasise emphasises emphasised emphasising
    underlined underlining
    assert asserts asserted asserting
    admit admits admitted admitting
    acknowledge acknowledges acknowledged acknowledging
    confirm confirms confirmed confirming
    deny denies denied denying
    recalled recalling
    reported
    describe describes described describing
    conceded conceding
    contend contends contended contending
    mentioned mentioning
    reiterate reiterates reiterated reiterating
    advise advises advised advising
    cautioned
    vowed vowing
    promised
    pledged pledging
    complained complaining
    expressed expressing
    voiced voicing
    quipped
    exclaimed
    testified testifying
    predicted predicting
    recounted
    lamented
    boasted
    joked
    whispered
    shouted
    yelled
    accuse accuses accused accusing
    demand demands demanded demanding
    criticize criticizes criticized criticizing criticise criticises criticised criticising
""")

# Two-word reporting verbs: the particle follows the verb.
PHRASAL = {"point": "out", "points": "out", "pointed": "out", "pointing": "out"}

# Attribution that names its source after it: "according to X", "as per X".
SOURCE_PHRASES = re.compile(r"\b(?:[Aa]ccording to|[Aa]s per|[Ii]n the words of)\b")

# Capitalised words that start sentences and clauses but name nobody.
NOT_NAMES = word_set("""
    the a an this that these those it its we i he she they you his her their our my your there
    here however but and or so yet for nor in on at by with from to of as after before when while
    if since because although though despite also still thus meanwhile nevertheless indeed
    instead moreover furthermore then now today yesterday tomorrow earlier later asked speaking
    according during under over between among within without about against into through what who
    which where why how one some many most all both each every no not such other another last next
    first mr mrs ms dr
""")
SUBJECT_PRONOUNS = frozenset({"he", "she", "they"})
DETERMINERS = frozenset({"the", "a", "an", "these", "those", "its", "his", "her",
                         "their", "our", "both", "one", "another", "some", "several", "two",
                         "three", "many"})
# Between a subject and its verb: "Stoltenberg cryptically answered", "he also said".
VERB_COMPANIONS = frozenset({"also", "then", "later", "again", "further", "has", "have", "had",
                             "was", "is", "would", "will", "once", "previously", "now",
                             "earlier", "recently", "still", "not", "did", "does", "do", "just",
                             "repeatedly", "publicly", "privately", "separately", "reportedly"})
# People named by their role: "the NATO chief said" speaks of the last person named.
ROLE_NOUNS = word_set("""
    chief minister president secretary secretary-general spokesman spokeswoman spokesperson
    official chairman chairwoman chair leader ambassador analyst diplomat director head envoy
    premier general commander adviser advisor expert lawmaker senator governor mayor ceo founder
    professor researcher author boss aide chancellor king queen prince pope candidate official
    representative negotiator deputy colleague counterpart host organiser organizer economist
    scientist historian lawyer attorney judge officer captain admiral colonel executive
    manager writer journalist reporter correspondent editor columnist activist campaigner
    witness resident survivor victim owner worker worker member
""")
# Words before a quotation that make it a name or a title, not speech:
# 'the so-called "reset"', 'a book titled "..."'.
NAMING_CUES = re.compile(
    r"(?:\bso[- ]called|\b(?:en)?titled|\bheadlined|\bdubbed|\bnicknamed|\bcalled|\bnamed|"
    r"\bknown as|\bbranded(?: as)?|\blabell?ed(?: as)?|\btermed|\bthe (?:term|word|words|phrase|"
    r"slogan|motto|hashtag|label|name|title|expression|concept|notion|idea of))\s*$",
    re.IGNORECASE)

NUMBER_WORDS = word_set("""
    two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
    hundreds thousand thousands million millions billion billions trillion trillions dozen
    dozens half double triple twice thrice
""")
# "more than", "closer than": the word before "than".
COMPARATIVE_WORDS = word_set("""
    more less fewer greater higher lower larger smaller bigger better worse closer farther further
    older younger faster slower stronger weaker richer poorer cheaper costlier longer shorter wider
    deeper heavier earlier later
""")
# "as many as", "twice as large as": not "as well as", "as soon as".
NOT_EQUATIVE = word_set("well soon long far such follows usual ever")
# "rose by", "doubled to", "fell from".
CHANGE_VERBS = word_set("""
    doubled tripled halved quadrupled surged soared plunged plummeted jumped rose fell dropped
    declined increased decreased grew shrank climbed slumped tumbled
""")
CHANGE_PARTICLES = word_set("by to from")
# "the largest", "its highest", "their only".
SUPERLATIVE_WORDS = word_set("""
    most least largest biggest highest lowest greatest strongest weakest fastest slowest richest
    poorest worst best oldest newest longest shortest deadliest smallest closest farthest furthest
    only
""")
POSSESSIVE_DETERMINERS = word_set("the its their his her our")
HEDGE_WORDS = word_set("reportedly allegedly purportedly supposedly apparently")
