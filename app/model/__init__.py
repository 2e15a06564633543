"""The model stage: an abstractive summary per article from a local seq2seq model, guarded for facts."""

from __future__ import annotations

from app.model.loader import DEFAULT_HUB_ID, load_summarizer
from app.model.summarizer import Seq2SeqSummarizer

__all__ = ["DEFAULT_HUB_ID", "Seq2SeqSummarizer", "load_summarizer"]
