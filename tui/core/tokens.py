"""spaCy tokens as code-point offsets, the units of token-level agreement.

The tokenizer is spaCy's English one (``spacy.blank("en")``): rules only, no
model, so the units are the same whichever pipeline is installed, and loading
it costs a fraction of a second.

spaCy's tokenizer splits the text at whitespace first and then tokenizes each
run of non-space characters on its own (prefixes, suffixes, infixes and
exceptions never reach across whitespace). So the tokens of a text are the
tokens of its runs, shifted to where each run starts; a run seen before
("the", "NATO", "said,") is not tokenized again, and new runs are tokenized
many at a time, joined by single spaces. The result is exactly
``nlp.tokenizer(text)`` without its whitespace tokens (a test holds this on
real and generated text), several times faster on a corpus, where most runs
repeat.

With a cache folder, each text's tokens are kept on disk by the text's sha256
(``<store>/cache/tokens/<tokenizer>/<sha256>.bin``), so a second run needs
neither spaCy nor the tokenizer.
"""

from __future__ import annotations

import contextlib
import os
import re
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import numpy as np

# Python's \s is str.isspace(), the test spaCy's tokenizer uses to split. Split
# with a group: [space, run, space, run, ..., space], all found at C speed.
_RUNS = re.compile(r"(\S+)")
# A cache file: these 4 bytes, then the starts and the ends as little-endian int32.
CACHE_MAGIC = b"RLT1"


@lru_cache(maxsize=1)
def tokenizer() -> Any:
    """spaCy's English tokenizer, loaded once (also the prodigy export's tokens)."""
    import spacy  # about half a second: only when token units are asked for

    return spacy.blank("en").tokenizer


@lru_cache(maxsize=1)
def spacy_version() -> str:
    from importlib.metadata import version  # spaCy's own import is the slow part

    return version("spacy")


def tokenizer_name() -> str:
    return f"spacy.blank('en') tokenizer, spaCy {spacy_version()}"


class Tokens:
    """Non-space tokens of many texts, with one memo of runs shared between them."""

    # Runs tokenized together in one Doc: one call instead of thousands.
    BATCH = 20_000

    def __init__(self, cache: str | os.PathLike | None = None) -> None:
        # run -> flat (start, end, start, end, ...) of its tokens, relative to the run
        self._runs: dict[str, tuple[int, ...]] = {}
        self.folder = (Path(cache) / "tokens" / f"blank-en-spacy-{spacy_version()}"
                       if cache is not None else None)

    def _learn(self, runs: list[str]) -> None:
        """Tokenize runs not seen before, many at a time, joined by single spaces."""
        import numpy as np
        from spacy.attrs import IDX, IS_SPACE, LENGTH

        for at in range(0, len(runs), self.BATCH):
            batch = runs[at:at + self.BATCH]
            lengths = np.fromiter(map(len, batch), dtype=np.int64, count=len(batch))
            run_starts = np.cumsum(lengths + 1) - (lengths + 1)  # each followed by a space
            found = tokenizer()(" ".join(batch)).to_array([IDX, LENGTH, IS_SPACE]).astype(np.int64)
            found = found[found[:, 2] == 0]
            which = np.searchsorted(run_starts, found[:, 0], side="right") - 1
            starts = found[:, 0] - run_starts[which]
            ends = starts + found[:, 1]
            # Cannot happen with spaCy's rules (a token never crosses whitespace); checked anyway.
            crossed = set(which[ends > lengths[which]].tolist())
            flat = np.stack([starts, ends], axis=1).ravel().tolist()
            bounds = np.concatenate([[0], np.cumsum(np.bincount(which, minlength=len(batch)))]) * 2
            bounds = bounds.tolist()
            for index, run in enumerate(batch):
                self._runs[run] = (self._alone(run) if index in crossed
                                   else tuple(flat[bounds[index]:bounds[index + 1]]))

    def _alone(self, run: str) -> tuple[int, ...]:
        flat: list[int] = []
        for token in tokenizer()(run):
            if not token.is_space:
                flat += (token.idx, token.idx + len(token.text))
        return tuple(flat)

    def spans(self, text: str, sha256: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(starts, ends) of the non-space tokens of ``text``, in order, as int64 arrays.

        With a cache and the text's ``sha256``, read from and written to the cache.
        """
        if self.folder is None or sha256 is None:
            return self._spans(text)
        import numpy as np

        path = self.folder / f"{sha256}.bin"
        with contextlib.suppress(OSError, ValueError):
            raw = path.read_bytes()
            if raw[:4] == CACHE_MAGIC:
                pairs = np.frombuffer(raw, dtype="<i4", offset=4).reshape(2, -1)
                return pairs[0].astype(np.int64), pairs[1].astype(np.int64)
        starts, ends = self._spans(text)
        if len(text) < 2**31:
            self._keep(path, CACHE_MAGIC + np.stack([starts, ends]).astype("<i4").tobytes())
        return starts, ends

    @staticmethod
    def _keep(path: Path, data: bytes) -> None:
        # Written whole under a name of this process's own, then renamed: readers never see
        # half a file. No fsync: a cache lost in a crash is only computed again.
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temp.write_bytes(data)
            os.replace(temp, path)
        except OSError:
            # A cache that cannot be written is only slower next time.
            with contextlib.suppress(OSError):
                temp.unlink()

    def _spans(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np  # imported here: the prodigy format needs the tokenizer alone

        parts = _RUNS.split(text)
        runs = parts[1::2]
        memo = self._runs
        pieces = list(map(memo.get, runs))
        if None in pieces:
            self._learn(list(dict.fromkeys(run for run, piece in zip(runs, pieces, strict=True)
                                           if piece is None)))
            pieces = list(map(memo.__getitem__, runs))
        found = cast(list[tuple[int, ...]], pieces)  # every run was learnt above
        if not found:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty.copy()
        relative = np.fromiter(chain.from_iterable(found), dtype=np.int64).reshape(-1, 2)
        per_run = np.fromiter(map(len, found), dtype=np.int64, count=len(found)) // 2
        lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
        offsets = np.cumsum(lengths) - lengths  # where each part starts
        base = np.repeat(offsets[1::2], per_run)
        return base + relative[:, 0], base + relative[:, 1]
