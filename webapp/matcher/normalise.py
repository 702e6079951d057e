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


@lru_cache(maxsize=8192)  # a few thousand distinct characters in all our texts: a lookup, not NFKC, each time
def _char(c: str) -> str:
    folded = unicodedata.normalize("NFKC", c)
    if len(folded) != 1:
        folded = c
    return folded.lower()


# Written Cantonese to Mandarin, character for character (same length), so "我已经转咗" reads as "我已经转了".
_CANTONESE = str.maketrans("咗唔佢喺畀俾嘅係冇睇攞諗啲", "了不他在给给的是没看拿想些")
_CANTONESE_WORDS = re.compile("而家|点算|乜嘢|边度|几多|琴日|听日|佢哋|我哋|你哋")
_CANTONESE_MANDARIN = {"而家": "现在", "点算": "咋办", "乜嘢": "什么", "边度": "哪里", "几多": "多少",
                       "琴日": "昨天", "听日": "明天", "佢哋": "他们", "我哋": "我们", "你哋": "你们"}


# Characters that t2s keeps because Simplified has them too, though Traditional texts use them for the common
# word: 帳戶/帳號/轉帳 come out as 帐户/帐号/转帐 (our Simplified texts write 账户, 账号, 转账), and 跟著/拿著/著急
# as 跟著/拿著/著急 (Simplified 跟着, 拿着, 着急). Folded to the common word's character, except in the words
# where the kept character is right: a tent (帐篷), a mosquito net (蚊帐); famous, a work (著名, 著作, 名著).
_ACCOUNT = re.compile(r"(?<![蚊营])帐(?![篷幕子])")
_WEARING = re.compile(r"(?<![显名巨原专论土卓编])著(?![名作称述者])")


def normalise(text: str) -> str:
    """Full width to half width, lower case, Traditional to Simplified, Cantonese to Mandarin; same length."""
    folded = text.lower() if text.isascii() else "".join(map(_char, text))
    simplified = _t2s().convert(folded)
    if len(simplified) != len(folded):  # a phrase-level conversion changed the length: go char by char
        simplified = "".join(s if len(s := _t2s().convert(c)) == 1 else c for c in folded)
    simplified = _CANTONESE_WORDS.sub(lambda m: _CANTONESE_MANDARIN[m.group()], simplified.translate(_CANTONESE))
    if "帐" in simplified:
        simplified = _ACCOUNT.sub("账", simplified)
    if "著" in simplified:
        simplified = _WEARING.sub("着", simplified)
    return simplified


def is_chinese(text: str) -> bool:
    return bool(CJK_RE.search(text))


def has_url(text: str) -> bool:
    return bool(URL_RE.search(text))
