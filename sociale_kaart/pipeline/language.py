"""Warnings about the words residents read: plain Dutch (B1), one voice ("u"), no editor notes.

``check`` runs these (``language_warnings``); they are warnings, never errors:

* ``leesbaarheid``: a ``samenvatting`` above B1. Measured with the Flesch-Douma reading ease,
  the Dutch form of Flesch (Douma 1960: 206.835 - 0.93 x words per sentence - 77 x syllables
  per word), as ``textstat`` computes it for ``nl`` (syllables from the Dutch hyphenation
  dictionary of ``pyphen``). Below ``B1_DOUMA`` the message says what to shorten: the sentences
  over ``MAX_SENTENCE_WORDS`` words and the words of ``LONG_WORD_SYLLABLES`` syllables or more.
* ``aanspreekvorm``: "je", "jij", "jouw", ... in a text the pages show; the site says "u".
* ``redactie``: wording meant for editors ("staat niet in de bron", a source file name) in a
  text the pages show. What is not known is said by the pages themselves ("Tijd: vraag het na").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from sociale_kaart.diagnostics import Diagnostic
from sociale_kaart.model.entries import Activiteit, Ontmoetingsplek
from sociale_kaart.model.kaart import Kaart
from sociale_kaart.nl.words import join_nl
from sociale_kaart.pipeline.load import Loaded
from sociale_kaart.pipeline.yaml_loader import FieldPath, field_name

B1_DOUMA = 60  # Flesch-Douma: 60-70 is "normaal" (B1); lower is harder
MAX_SENTENCE_WORDS = 15  # B1 guidance: sentences of at most 15 words
LONG_WORD_SYLLABLES = 4  # words of four syllables or more are hard at B1
SHOWN_WORDS = 4  # long words named in a message

# Informal address; "je" as in "je goed voelen" reads as "u" on this site.
_INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)
# Notes for editors that must not reach residents.
_EDITOR = re.compile(r"(?:st(?:aat|aan) (?:\w+ ){0,3}niet in de bron|\bbron vermeldt\b|"
                     r"\b[0-9]{3}_[0-9a-f]{16}\.txt\b)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


@cache
def _textstat() -> Any:
    import textstat  # type: ignore[import-untyped]  # imported when first needed: it takes 0.2 s (nltk)

    textstat.set_lang("nl")
    return textstat


def douma(text: str) -> float:
    """The Flesch-Douma reading ease of ``text`` (higher is easier; B1 is about 60 and up)."""
    return float(_textstat().flesch_reading_ease(text))


def syllables(word: str) -> int:
    return int(_textstat().syllable_count(word))


def readability_problem(text: str) -> str | None:
    """A Dutch message when ``text`` reads above B1, naming what to shorten; else None."""
    if not _WORD.search(text):
        return None
    score = douma(text)
    if score >= B1_DOUMA:
        return None
    long_sentences = [len(_WORD.findall(s)) for s in _SENTENCE_END.split(text)
                      if len(_WORD.findall(s)) > MAX_SENTENCE_WORDS]
    long_words = list(dict.fromkeys(w for w in _WORD.findall(text)
                                    if syllables(w) >= LONG_WORD_SYLLABLES))
    advice = []
    if long_sentences:
        lengths = join_nl([str(n) for n in long_sentences])
        advice.append(f"maak de zinnen korter (nu {lengths} woorden; voor B1 hoogstens "
                      f"{MAX_SENTENCE_WORDS})")
    if long_words:
        shown = ", ".join(f"'{w}'" for w in long_words[:SHOWN_WORDS])
        advice.append(f"gebruik kortere woorden dan {shown}")
    if not advice:
        advice.append("gebruik kortere woorden en zinnen")
    return (f"de samenvatting is moeilijk te lezen (Flesch-Douma {score:.0f}; voor taalniveau B1 "
            f"minstens {B1_DOUMA}): {' en '.join(advice)}")


def voice_problem(text: str) -> str | None:
    found = _INFORMAL.search(text)
    if found is None:
        return None
    return (f"'{found.group(0)}': de site spreekt inwoners aan met 'u'. Schrijf 'u' en 'uw' in "
            "plaats van 'je' en 'jouw', of schrijf de zin zonder aanspreekvorm")


def editor_problem(text: str) -> str | None:
    found = _EDITOR.search(text)
    if found is None:
        return None
    return (f"'{found.group(0)}' is een opmerking voor beheerders, maar inwoners lezen deze tekst. "
            "Laat weg wat niet bekend is: de pagina zegt dan zelf bij wie u het kunt navragen. "
            "Waar de informatie vandaan komt, hoort in 'bron'")


def _texts(entry: Any) -> Iterator[tuple[FieldPath, str]]:
    """(field path, text) of the texts of ``entry`` that its page shows as written."""
    for name in ("samenvatting", "beschrijving"):
        value = getattr(entry, name, None)
        if isinstance(value, str):
            yield (name,), value
    body = entry.__pydantic_private__.get("_body") if entry.__pydantic_private__ else None
    if isinstance(body, str) and body and not getattr(entry, "beschrijving", None):
        yield (), body
    for i, rule in enumerate(getattr(entry, "wanneer", None) or getattr(entry, "openingstijden", None) or []):
        if rule.toelichting:
            yield ("wanneer" if isinstance(entry, Activiteit) else "openingstijden", i, "toelichting"), \
                rule.toelichting
    for group in ("kosten", "aanmelden", "begeleiding"):
        value = getattr(entry, group, None)
        for name in ("toelichting", "hoe"):
            text = getattr(value, name, None) if value is not None else None
            if isinstance(text, str):
                yield (group, name), text


def language_warnings(kaart: Kaart, loaded: Loaded) -> list[Diagnostic]:
    """The warnings of this module for every activity, place and organisation, and for the
    labels and descriptions of the taxonomy terms."""
    out: list[Diagnostic] = []

    def report(file: str, path: FieldPath, message: str, code: str) -> None:
        doc = loaded.documents.get(file)
        line, col = doc.position(path) if doc else (0, 0)
        out.append(Diagnostic(file, line, col, field_name(path), message, "waarschuwing", code))

    entries: Iterable[Any] = [*kaart.organisaties.values(),
                              *(p for d in kaart.plekken.values() for p in d.values()),
                              *(a for d in kaart.activiteiten.values() for a in d.values())]
    for entry in entries:
        summary = getattr(entry, "samenvatting", None)
        if isinstance(entry, (Activiteit, Ontmoetingsplek)) and summary:
            problem = readability_problem(summary)
            if problem:
                report(entry.file, ("samenvatting",), problem, "leesbaarheid")
        for path, text in _texts(entry):
            for check, code in ((voice_problem, "aanspreekvorm"), (editor_problem, "redactie")):
                problem = check(text)
                if problem:
                    report(entry.file, path, problem, code)
    for vocab, taxonomy in kaart.taxonomies.items():
        file = next((f for f in loaded.documents if f.endswith(f"taxonomie/{vocab}.yaml")), "")
        for i, term in enumerate(taxonomy.termen):
            for name in ("label", "beschrijving"):
                text = getattr(term, name)
                problem = voice_problem(text) if text else None
                if problem and file:
                    report(file, ("termen", i, name), problem, "aanspreekvorm")
    return out
