"""Where a pattern of many alternatives first matches: the same span as `re.search`, found in less time.

This runs on every training text at build time (pairs.py, cues.py: about forty patterns a text). Python's
regular-expression engine skips ahead to the possible first characters of a pattern only when every one of
its alternatives starts with a literal character; a `\\b`, a lookbehind or an `^` among them, and it tries
the whole pattern at every position of the text. So a pattern is searched as parts:

- its Chinese alternatives (those not starting with `\\b`), cut into runs at any alternative that does not
  start with a literal character (`(?:^|[,.!?])妈`), each run searched on its own; the earliest match wins,
  and at the same start the run written first, as in the whole pattern;
- its English alternatives (those starting with `\\b`), only in a text with Latin letters, as one pattern
  without the leading `\\b`, whose match counts where a word boundary is (else it is searched again one
  character on): `\\b` is the same test for every alternative at a position, so this finds what `\\bA|\\bB`
  finds.

A Chinese and an English alternative never start at the same position (the English ones start with a word
boundary and a Latin letter; the Chinese ones with a Chinese character, a digit, punctuation or a Latin
literal that no English alternative of the same pattern starts with), so their relative order does not
matter. tests/unit/test_matcher_learned.py compares every part with the whole pattern on the training texts.
"""

from __future__ import annotations

import re

_LATIN = re.compile(r"[a-z]")
_BOUNDARY = re.compile(r"\b")
_LITERAL_START = re.compile(r"[^\\()\[.^$|?*+{]")  # a plain character first (no class, group, anchor, escape)


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression, in order."""
    parts, depth, start, index, in_class = [], 0, 0, 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[index + 1:index + 2] == "]":
                index += 1  # "[]...]": a literal ] first
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
        index += 1
    parts.append(pattern[start:])
    return parts


def latin(text: str) -> bool:
    return _LATIN.search(text) is not None


class FirstMatch:
    """`re.compile(pattern).search(text).span()`, or None, in parts (see the module's docstring)."""

    def __init__(self, pattern: str):
        self.pattern = pattern
        chinese, english = [], []
        for alternative in alternatives(pattern):
            (english if alternative.startswith(r"\b") else chinese).append(alternative)
        runs: list[tuple[bool, list[str]]] = []  # (literal-first, alternatives)
        for alternative in chinese:
            literal = bool(_LITERAL_START.match(alternative))
            if literal and runs and runs[-1][0]:
                runs[-1][1].append(alternative)
            else:
                runs.append((literal, [alternative]))
        self.chinese = [re.compile("|".join(run)) for _, run in runs]
        self.english = re.compile("|".join(a[2:] for a in english)) if english else None

    def span(self, text: str, has_latin: bool | None = None) -> tuple[int, int] | None:
        found = None
        for part in self.chinese:
            match = part.search(text)
            if match is not None and (found is None or match.start() < found.start()):
                found = match
        if self.english is not None and (latin(text) if has_latin is None else has_latin):
            match = self.english.search(text)
            while match is not None and not _BOUNDARY.match(text, match.start()):
                match = self.english.search(text, match.start() + 1)
            if match is not None and (found is None or match.start() < found.start()):
                found = match
        return found.span() if found is not None else None
