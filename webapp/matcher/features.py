"""Turn normalised text into weighted features, each remembering where in the text it came from."""

from __future__ import annotations

import logging
import marshal
import re
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

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
logging.getLogger("jieba").setLevel(logging.WARNING)  # it announces loading its dictionary on stderr
_SEGMENTER = jieba.Tokenizer()  # its own instance: no global state shared with anything else


def prepare() -> None:
    """Load the segmenter's dictionary now, not on the first message.

    jieba keeps its prefix dictionary in a marshal cache (made on first use) and reads it with
    marshal.load(file), which fetches the 9 MB piece by piece: about a second on the server. Read whole
    and handed to marshal.loads, the same cache loads in a third of that. Any trouble: jieba's own way."""
    segmenter = _SEGMENTER
    with segmenter.lock:
        if segmenter.initialized:
            return
        if segmenter.dictionary == jieba.DEFAULT_DICT:
            cache = Path(segmenter.tmp_dir or tempfile.gettempdir()) / (segmenter.cache_file or "jieba.cache")
            try:
                segmenter.FREQ, segmenter.total = marshal.loads(cache.read_bytes())  # jieba's own file
                segmenter.initialized = isinstance(segmenter.FREQ, dict) and segmenter.total > 0
            except (OSError, EOFError, ValueError, TypeError):
                pass
    if not segmenter.initialized:
        segmenter.initialize()


def segmenter() -> jieba.Tokenizer:
    """The one word segmenter of the matcher (features and the highlighted words), loaded."""
    prepare()
    return _SEGMENTER


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


def blocks(text: str) -> tuple[list[Feature], list[Feature], list[Feature], list[Feature]]:
    """The features of normalised text in four blocks: characters (Chinese 1-4-grams, English letter 3-4-grams
    within a word), words (jieba; English stems and pairs), sounds (pinyin pairs), signals (URL, money). Built as lists, the kind known at each step:
    this runs on every training text at build time."""
    chars: list[Feature] = []
    words: list[Feature] = []
    sound: list[Feature] = []
    signals: list[Feature] = []
    for run in CJK_RUN.finditer(text):
        run_text, base = run.group(), run.start()
        length = len(run_text)
        for n in (1, 2, 3, 4):
            kind = f"c{n}:"
            chars += [(kind + run_text[i:i + n], base + i, base + i + n) for i in range(length - n + 1)]
        position = base
        for word in _SEGMENTER.cut(run_text, HMM=False):  # words: 银行卡, 验证码, 保证金 weigh as wholes
            if len(word) >= 2:
                words.append(("j:" + word, position, position + len(word)))
            position += len(word)
        sounds = [_pinyin(c) for c in run_text]
        sound += [(f"py:{sounds[i]}_{sounds[i + 1]}", base + i, base + i + 2) for i in range(length - 1)]
    previous: tuple[str, int, int] | None = None  # (stem, start, end)
    for match in WORD.finditer(text):
        word = match.group()
        if word.isdigit():
            previous = None
            continue
        if word in STOPWORDS:
            continue
        stem = _stem(word)
        words.append(("w:" + stem, match.start(), match.end()))
        padded, start, end = f"<{word}>", match.start(), match.end()  # letter grams: "verif" in verify, verification
        chars += [("e3:" + padded[i:i + 3], start, end) for i in range(len(padded) - 2)]
        chars += [("e4:" + padded[i:i + 4], start, end) for i in range(len(padded) - 3)]
        if previous is not None and match.start() - previous[2] < 12:
            words.append((f"w2:{previous[0]}_{stem}", previous[1], match.end()))
        previous = (stem, match.start(), match.end())
    signals += [("sig:url", *match.span()) for match in URL_RE.finditer(text)]
    signals += [("sig:money", *match.span()) for match in MONEY.finditer(text)]
    return chars, words, sound, signals


def features(text: str) -> Iterator[Feature]:
    """Character 1-4-grams, words and pinyin for Chinese, stemmed words, pairs and letter grams for English, URL
    and money signals."""
    for block in blocks(text):
        yield from block


def kind_of(feature: str) -> str:
    return feature.partition(":")[0]


def raw_grams(text: str) -> tuple[str, ...]:
    """Character 1-3-grams of the whole normalised text, spaces, digits and punctuation included: the second,
    plainer view of a text that stage 1 (scam or not) also asks."""
    length = len(text)
    return (*text, *[text[i:i + 2] for i in range(length - 1)], *[text[i:i + 3] for i in range(length - 2)])
