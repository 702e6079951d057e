"""A4 print layout for the paper quiz sheet and its answer key: questions are grouped into pages here, on
the server, by a cautious estimate of the lines each takes, and every page is its own block with a page
break after it. So a sheet prints on exactly the pages the page itself announces ("page 1 of 3"), and a
question never starts at the foot of one page and ends on the next. Pure functions: no Flask."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import TypeVar

from ..catalog import Question

T = TypeVar("T")

# The sheet prints at 18 pt on A4 with 12 mm margins: a line holds about 27 Chinese characters (less the
# indent of the choices) and a page about 30 units (a line, plus the gaps) of 18 pt text; these budgets keep a margin for
# fonts that set wider than the estimate.
SHEET_LINE = 25.0         # full-width characters in one line of a prompt, a scene or a choice
SHEET_PAGE = 27.0         # lines on a page
SHEET_FIRST_PAGE = 20.0   # the first page also holds the title, the name line and how to tick
# (28 and 21 until a sheet of one draw in about a hundred spilled its footer onto a page more than it announced:
# rendered by Chromium, 1 of 168 random draws over the four banks, and a fresh-clone CI run.)
# The answer key prints at 13 pt: for the organizer, not for the participants.
KEY_LINE = 36.0
KEY_PAGE = 36.0
KEY_FIRST_PAGE = 30.0


def width(text: str) -> float:
    """How wide a text sets, in full-width characters (a Latin letter or digit is about half of one)."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


def lines(text: str, per_line: float) -> int:
    if not text:
        return 0
    return sum(max(1, -(-int(width(part) * 100) // int(per_line * 100))) for part in text.splitlines() or [""])


def sheet_cost(question: Question, tag: str) -> float:
    cost = lines(question.prompt.get(tag), SHEET_LINE) + 0.8  # the gap before a question
    if question.kind == "multiple":
        cost += 0.3  # "(tick every right answer)" often wraps
    if question.scene:
        cost += lines(question.scene.get(tag), SHEET_LINE - 2) + 1.0  # the box around the message
    cost += sum(lines(choice.get(tag), SHEET_LINE - 3) + 0.15 for choice in question.choices)
    return cost


def key_cost(question: Question, tag: str) -> float:
    answer = "; ".join(question.choices[i].get(tag) for i in sorted(question.answer))
    return (lines(answer, KEY_LINE - 4) + lines(question.prompt.get(tag), KEY_LINE)
            + lines(question.explanation.get(tag), KEY_LINE) + 0.8)


def paginate(items: Sequence[T], cost: Callable[[T], float], first_page: float, page: float) -> list[list[T]]:
    """Split items, in order, into pages: each page takes items while their cost fits its budget
    (an item bigger than a whole page still gets a page of its own)."""
    pages: list[list[T]] = [[]]
    budget = first_page
    for item in items:
        need = cost(item)
        if pages[-1] and need > budget:
            pages.append([])
            budget = page
        pages[-1].append(item)
        budget -= need
    return pages if pages[0] else []


def sheet_pages(questions: Sequence[Question], tag: str) -> list[list[tuple[int, Question]]]:
    """The sheet's pages as lists of (number from 1, question)."""
    numbered = list(enumerate(questions, start=1))
    return paginate(numbered, lambda item: sheet_cost(item[1], tag), SHEET_FIRST_PAGE, SHEET_PAGE)


def key_pages(questions: Sequence[Question], tag: str) -> list[list[tuple[int, Question]]]:
    numbered = list(enumerate(questions, start=1))
    return paginate(numbered, lambda item: key_cost(item[1], tag), KEY_FIRST_PAGE, KEY_PAGE)
