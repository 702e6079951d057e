"""Points, streaks and levels: pure functions, no Flask."""

from __future__ import annotations

BASE_POINTS = 100
STREAK_STEP = 25  # each correct answer in a row adds this much, up to STREAK_CAP
STREAK_CAP = 100
# (minimum share of right answers, level key) from the top.
RUN_LEVELS = ((0.9, "guardian"), (0.6, "expert"), (0.0, "beginner"))
# (minimum points ever, level key) for the progress page.
OVERALL_LEVELS = ((4000, "guardian"), (1500, "expert"), (0, "beginner"))
MASTERY_RIGHT = 3  # right answers about a scam type, at least...
MASTERY_SHARE = 0.8  # ...and this share of all answers about it, earn its badge


def points_for(correct: bool, streak_before: int) -> tuple[int, int]:
    """Points for one answer and the streak after it."""
    if not correct:
        return 0, 0
    bonus = min(streak_before * STREAK_STEP, STREAK_CAP)
    return BASE_POINTS + bonus, streak_before + 1


def run_level(right: int, total: int) -> str:
    share = right / total if total else 0.0
    return next(level for minimum, level in RUN_LEVELS if share >= minimum)


def overall_level(points: int) -> str:
    return next(level for minimum, level in OVERALL_LEVELS if points >= minimum)


def mastered(right: int, answered: int) -> bool:
    return right >= MASTERY_RIGHT and right / answered >= MASTERY_SHARE


def missed_slugs(answers) -> list[str]:
    """The scam types of the questions answered wrong, in the order given, each once.

    `answers`: (scam type slug, right or not) pairs, as a solo run or a self-paced player answered them."""
    slugs: list[str] = []
    for slug, correct in answers:
        if not correct and slug not in slugs:
            slugs.append(slug)
    return slugs
