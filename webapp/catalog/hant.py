"""Traditional Chinese for Taiwan and Hong Kong readers: OpenCC phrase conversion plus reviewed fixes.

OpenCC `s2tw` changes characters only and keeps mainland words (視頻, 短信, 網絡…); `s2twp` also converts
phrases (影片, 簡訊, 網路…) but still gets a few things wrong (賬戶, 卡里, 助學金髮放). content/zh-hant.yaml
holds the fixes applied after it and the words no zh-Hant page may contain. The same conversion serves
content (the catalog) and UI strings (scripts/derive_hant.py), so a reader sees one vocabulary.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import opencc

from .yaml_text import load_yaml

RULES = Path(__file__).resolve().parents[2] / "content" / "zh-hant.yaml"


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("s2twp")


@lru_cache(maxsize=1)
def rules() -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """(fixes as (wrong, right) pairs, longest first; forbidden words), from content/zh-hant.yaml."""
    data = load_yaml(RULES.read_text(encoding="utf-8"))
    fixes = tuple(sorted(((str(k), str(v)) for k, v in data["fixes"].items()), key=lambda kv: -len(kv[0])))
    return fixes, tuple(str(w) for w in data["forbidden"])


def to_hant(text: str) -> str:
    """Simplified -> Traditional as Taiwan and Hong Kong readers write it."""
    if not text:
        return text
    converted = _converter().convert(text)
    for wrong, right in rules()[0]:
        if wrong in converted:
            converted = converted.replace(wrong, right)
    return converted


def forbidden_in(text: str) -> list[str]:
    """The listed mainland words and wrong characters that occur in a zh-Hant text."""
    return [word for word in rules()[1] if word in text]
