"""Errors raised for bad input: they carry the offending field so every caller can name it."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input from a caller (a file, a request body, a CLI flag)."""

    def __init__(self, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.detail}" if self.field else self.detail
