"""Comparing Dutch text: the one way words are folded before they are compared or matched."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case without diacritics: 'Café' -> 'cafe', 'Ëindhoven' -> 'eindhoven'."""
    text = text.casefold()
    if text.isascii():  # most text: nothing to decompose
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_spaces(text: str) -> str:
    """``fold`` with single spaces: ' Café  De Brug' -> 'cafe de brug'."""
    return " ".join(fold(text).split())
