"""The person's own words behind a match, cut at word boundaries. Pure: no Flask, no web layer.

The ranker points at pieces of text ("有人让我扫", "服让我开了屏幕共享"); people should see whole words
("有人让我扫码", "客服让我开了屏幕共享"). A piece is widened to the jieba word boundaries around it (English:
whole words), dropped when it touches a link or a number (we never highlight half a URL or a phone number),
merged with its neighbours, and at most five are kept, in the order they appear in the text.

    whole_words(original, normal, ["有人让我扫"])  ->  ("有人让我扫码",)

`normal` is the normalised text (same length as `original`: see matcher.normalise); segmenting it finds
Simplified-Chinese word boundaries for Traditional input too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .features import segmenter
from .normalise import URL_RE

LIMIT = 5
_NUMBER = re.compile(r"[+]?\d[\d\s\-.,:/]*\d|\d")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TRIM = " \t\r\n，。、！？；：,.!?;:“”\"'()（）【】[]<>《》…~～-—"


def prepare() -> None:
    """Load the dictionary now rather than on the first message (the matcher's own: loaded once)."""
    segmenter()


def protected(text: str) -> list[tuple[int, int]]:
    """Spans no highlight may touch: links, e-mail addresses and numbers."""
    spans = [m.span() for pattern in (URL_RE, _EMAIL) for m in pattern.finditer(text)]
    spans += [m.span() for m in _NUMBER.finditer(text)]
    return sorted(spans)


def boundaries(normal: str) -> tuple[set[int], set[int]]:
    """Word starts and word ends in `normal` (jieba for Chinese; runs of letters for English)."""
    starts, ends = {0, len(normal)}, {0, len(normal)}
    for _word, start, end in segmenter().tokenize(normal, HMM=True):
        starts.add(start)
        ends.add(end)
    return starts, ends


def _locate(original: str, piece: str, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    start = original.find(piece)
    while start != -1:
        span = (start, start + len(piece))
        if span not in taken:
            return span
        start = original.find(piece, start + 1)
    return None


def _overlaps(span: tuple[int, int], others: Iterable[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


def whole_words(original: str, normal: str, pieces: Iterable[str], limit: int = LIMIT) -> tuple[str, ...]:
    """The pieces widened to whole words, never inside a link or number, adjacent ones merged, at most `limit`."""
    if len(normal) != len(original):
        normal = original
    starts, ends = boundaries(normal)
    guarded = protected(original)
    spans: list[tuple[int, int]] = []
    for piece in pieces:
        piece = piece.strip(_TRIM)
        if not piece:
            continue
        located = _locate(original, piece, spans)
        if located is None:
            continue
        start, end = located
        while start > 0 and start not in starts:
            start -= 1
        while end < len(original) and end not in ends:
            end += 1
        while start < end and original[start] in _TRIM:
            start += 1
        while end > start and original[end - 1] in _TRIM:
            end -= 1
        if end - start < 2 or _overlaps((start, end), guarded):
            continue
        spans.append((start, end))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or not original[merged[-1][1]:start].strip()):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    words = [original[start:end] for start, end in merged]
    if len(words) > limit:  # keep the longest, shown in the order they were written
        keep = sorted(sorted(range(len(words)), key=lambda i: -len(words[i]))[:limit])
        words = [words[i] for i in keep]
    return tuple(words)
