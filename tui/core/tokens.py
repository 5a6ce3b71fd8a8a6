"""spaCy tokens as code-point offsets, the units of token-level agreement.

The tokenizer is spaCy's English one (``spacy.blank("en")``): rules only, no
model, so the units are the same whichever pipeline is installed, and loading
it costs a fraction of a second.

spaCy's tokenizer splits the text at whitespace first and then tokenizes each
run of non-space characters on its own (prefixes, suffixes, infixes and
exceptions never reach across whitespace). So the tokens of a text are the
tokens of its runs, shifted to where each run starts; a run seen before
("the", "NATO", "said,") is not tokenized again. The result is exactly
``nlp.tokenizer(text)`` without its whitespace tokens (a test holds this on
real and generated text), several times faster on a corpus, where most runs
repeat.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import numpy as np

# Python's \s is str.isspace(), the test spaCy's tokenizer uses to split.
_RUN = re.compile(r"\S+")


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import spacy  # about half a second: only when token units are asked for

    return spacy.blank("en").tokenizer


@lru_cache(maxsize=1)
def tokenizer_name() -> str:
    import spacy

    return f"spacy.blank('en') tokenizer, spaCy {spacy.__version__}"


class Tokens:
    """Non-space tokens of many texts, with one memo of runs shared between them."""

    def __init__(self) -> None:
        self._runs: dict[str, tuple[tuple[int, int], ...]] = {}

    def _of_run(self, run: str) -> tuple[tuple[int, int], ...]:
        doc = _tokenizer()(run)
        found = tuple((token.idx, token.idx + len(token.text)) for token in doc
                      if not token.is_space)
        self._runs[run] = found
        return found

    def spans(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(starts, ends) of the non-space tokens of ``text``, in order, as int64 arrays."""
        starts: list[int] = []
        ends: list[int] = []
        runs = self._runs
        for match in _RUN.finditer(text):
            run = match.group()
            parts = runs.get(run) or self._of_run(run)
            base = match.start()
            if len(parts) == 1 and parts[0][1] == len(run):
                starts.append(base)
                ends.append(base + len(run))
                continue
            for start, end in parts:
                starts.append(base + start)
                ends.append(base + end)
        return np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)


def token_spans(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends) of the non-space spaCy tokens of one text."""
    return Tokens().spans(text)
