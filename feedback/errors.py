"""Errors raised by services for bad input, carrying bilingual messages for citizens and staff."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FieldError:
    field: str
    code: str
    message: str  # Bahasa Indonesia
    message_en: str


@dataclass
class InputError(Exception):
    """One or more problems with input from outside; maps to HTTP 400/422."""

    errors: list[FieldError] = field(default_factory=list)
    status_code: int = 400

    def __str__(self) -> str:
        return "; ".join(f"{e.field}: {e.message_en}" for e in self.errors)

    @classmethod
    def single(cls, field_name: str, code: str, message: str, message_en: str, status_code: int = 400) -> "InputError":
        return cls([FieldError(field_name, code, message, message_en)], status_code)
