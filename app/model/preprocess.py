"""AraBERT text preparation around the model: preprocess before tokenizing, unpreprocess after decoding."""

from __future__ import annotations

import logging
import re

_SPACES = re.compile(r"\s+")


class ArticlePreprocessor:
    """ArabertPreprocessor with a guard for its failure mode.

    `model_name=""` gives the base Arabic preprocessing the summarization model cards use. A model name
    that needs Farasa segmentation downloads Farasa and, offline, returns "" for every text: here an
    empty result falls back to the text with its white space tidied, so no article is ever lost.
    """

    def __init__(self, model_name: str = "") -> None:
        from arabert.preprocess import ArabertPreprocessor

        # arabert logs a warning on the root logger for any name outside its list, "" included.
        previous = logging.root.manager.disable
        logging.disable(logging.WARNING)
        try:
            self._arabert = ArabertPreprocessor(model_name=model_name)
        finally:
            logging.disable(previous)

    def preprocess(self, text: str) -> str:
        try:
            prepared = self._arabert.preprocess(text)
        except Exception:  # arabert raises on some odd inputs; the raw text is still usable
            prepared = ""
        return prepared.strip() if prepared and prepared.strip() else _SPACES.sub(" ", text).strip()

    def unpreprocess(self, text: str) -> str:
        try:
            restored = self._arabert.unpreprocess(text)
        except Exception:
            restored = ""
        return restored.strip() if restored and restored.strip() else _SPACES.sub(" ", text).strip()
