"""redline: a keyboard-driven terminal reader and annotator for news articles."""

__version__ = "0.1.0"
