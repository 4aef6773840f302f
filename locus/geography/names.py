"""Place names spelled one way for searching, so that what a person types finds the official name.

ONS names are written "St. Helens", "Bristol, City of", "Na h-Eileanan Siar", "King's Lynn and West
Norfolk", "Barking & Dagenham and Havering". People type "St Helens", "Saint Helens", "City of
Bristol", "Na h Eileanan Siar", "Kings Lynn", "Barking and Dagenham". ``name_words`` turns both
into the same words: lower case, accents dropped, apostrophes dropped, "&" read as "and", every
other mark (full stop, comma, hyphen, slash, brackets) read as a space, and "Saint" read as "St".
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_SPELLINGS = {"saint": "st"}


def name_words(text: str) -> list[str]:
    """The words of a place name or a query, spelled one way (see the module docstring)."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    plain = _APOSTROPHES.sub("", plain).replace("&", " and ")
    return [_SPELLINGS.get(word, word) for word in _NOT_WORD.sub(" ", plain).split()]


def name_key(text: str) -> str:
    """``name_words`` joined by single spaces: equal keys are the same name however it is typed."""
    return " ".join(name_words(text))


def search_text(name: str, code: str, name_welsh: str = "") -> str:
    """What a search looks words up in: the name's key, the code and the Welsh name's key when there is
    one ("ynys mon" for Isle of Anglesey), with a space at each end so a word can be matched at the start
    of a name word (" hull") or anywhere inside one ("hull")."""
    welsh = name_key(name_welsh)
    return f" {name_key(name)} {code.lower()} " + (f"{welsh} " if welsh and welsh != name_key(name) else "")


def words_match(*, query_words: list[str], name: str) -> bool:
    """True when every query word appears in the name's key (inside a word counts: "hampton")."""
    key = name_key(name)
    return all(word in key for word in query_words)


def same_words(*, query_words: list[str], name: str) -> bool:
    """The query has exactly the name's words in any order ("City of Bristol" = "Bristol, City of")."""
    return sorted(query_words) == sorted(name_words(name))
