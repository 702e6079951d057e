"""Turn normalised text into weighted features, each remembering where in the text it came from."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from functools import lru_cache

import jieba
from pypinyin import Style, lazy_pinyin

from .normalise import URL_RE

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
WORD = re.compile(r"[a-z][a-z0-9']*|\d+")
MONEY = re.compile(r"\d+(?:\.\d+)?\s*(?:万|千|百|元|块|w|k|rmb|yuan)|[一二两三四五六七八九十百千万]+(?:块|元|万)")
STOPWORDS = frozenset(
    "a an the and or but if of to in on at for from by with about as is are was were be been being am i me my "
    "mine we our you your he him his she her it its they them their this that these those there here what which "
    "who whom how when where why do does did done have has had can could would should will shall may might must "
    "not no so very just also then than too s t d ll m re ve some any all one".split()
)
# Feature kinds and their weights: longer pieces of text carry more meaning.
WEIGHTS = {"c1": 0.5, "c2": 0.8, "c3": 1.0, "c4": 1.1, "py": 0.45, "j": 1.5, "w": 1.0, "w2": 0.9, "sig": 1.0}
logging.getLogger("jieba").setLevel(logging.WARNING)  # it announces loading its dictionary on stderr
_SEGMENTER = jieba.Tokenizer()  # its own instance: no global state shared with anything else


def prepare() -> None:
    """Load the segmenter's dictionary now (about a second), not on the first message."""
    _SEGMENTER.initialize()


@lru_cache(maxsize=65536)
def _pinyin(char: str) -> str:
    sounds = lazy_pinyin(char, style=Style.NORMAL, errors="ignore")
    return sounds[0] if sounds else char


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


Feature = tuple[str, int, int]  # (feature, start, end) in the normalised text


def features(text: str) -> Iterator[Feature]:
    """Character 1-4-grams, words and pinyin for Chinese, stemmed words and pairs for English, URL and money signals."""
    for run in CJK_RUN.finditer(text):
        chars, base = run.group(), run.start()
        for n, kind in ((1, "c1"), (2, "c2"), (3, "c3"), (4, "c4")):
            for i in range(len(chars) - n + 1):
                yield f"{kind}:{chars[i:i + n]}", base + i, base + i + n
        position = base
        for word in _SEGMENTER.cut(chars, HMM=False):  # words: 银行卡, 验证码, 保证金 weigh as wholes
            if len(word) >= 2:
                yield f"j:{word}", position, position + len(word)
            position += len(word)
        sounds = [_pinyin(c) for c in chars]
        for i in range(len(chars) - 1):
            yield f"py:{sounds[i]}_{sounds[i + 1]}", base + i, base + i + 2
    previous: tuple[str, int, int] | None = None  # (stem, start, end)
    for match in WORD.finditer(text):
        word = match.group()
        if word.isdigit():
            previous = None
            continue
        if word in STOPWORDS:
            continue
        stem = _stem(word)
        yield f"w:{stem}", match.start(), match.end()
        if previous is not None and match.start() - previous[2] < 12:
            yield f"w2:{previous[0]}_{stem}", previous[1], match.end()
        previous = (stem, match.start(), match.end())
    for match in URL_RE.finditer(text):
        yield "sig:url", match.start(), match.end()
    for match in MONEY.finditer(text):
        yield "sig:money", match.start(), match.end()


def weight_of(feature: str) -> float:
    return WEIGHTS[feature.partition(":")[0]]


def kind_of(feature: str) -> str:
    return feature.partition(":")[0]
