"""Everything one run of the reader works with: corpus, store, annotator, labels, pipeline.

Built by the command line (or a test) and handed to the app, so the app
never parses arguments or finds files itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tui.core.config import DEFAULT_LABELS, Label, Settings
from tui.core.corpus import Corpus


@dataclass
class Session:
    corpus: Corpus
    store_root: Path
    annotator: str
    labels: tuple[Label, ...] = DEFAULT_LABELS
    model: str | None = None
    settings: Settings = field(default_factory=Settings)
    corpus_name: str = "seeds"
