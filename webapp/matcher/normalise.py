"""Normalisation that keeps a 1:1 map to the user's original characters (so `why` can quote them)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

URL_RE = re.compile(r"(?:https?://|www\.)[^\s，。、！？；：“”\"'<>（）()]+|\b[a-z0-9-]{2,}\.(?:com|cn|net|top|xyz|vip|cc|co|info|shop|site|online|app|me)(?:/[^\s，。]*)?", re.I)
DIGITS_RE = re.compile(r"\d[\d\s-]{3,}\d")
CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _char(c: str) -> str:
    folded = unicodedata.normalize("NFKC", c)
    if len(folded) != 1:
        folded = c
    return folded.lower()


def normalise(text: str) -> str:
    """Full width to half width, lower case, Traditional to Simplified, same length as the input."""
    folded = "".join(_char(c) for c in text)
    simplified = _t2s().convert(folded)
    if len(simplified) != len(folded):  # a phrase-level conversion changed the length: go char by char
        simplified = "".join(s if len(s := _t2s().convert(c)) == 1 else c for c in folded)
    return simplified


def is_chinese(text: str) -> bool:
    return bool(CJK_RE.search(text))


def has_url(text: str) -> bool:
    return bool(URL_RE.search(text))
