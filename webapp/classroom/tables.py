"""A live session's results as a table in the page's language, for the CSV and XLSX downloads."""

from __future__ import annotations

from flask_babel import gettext as _

from ..models import LiveSession
from . import results


def results_rows(live: LiveSession) -> list[list]:
    """One row per player: rank, nickname, points, right answers, questions, then the points of each question."""
    answers = results.player_points(live)
    total = len(live.question_ids)
    rows: list[list] = [[
        _("Rank"), _("Nickname"), _("Points"), _("Right answers"), _("Questions"),
        *[_("Q%(number)s", number=i + 1) for i in range(total)],
    ]]
    for standing in results.leaderboard(live):
        mine = answers.get(standing.player_id, {})
        rows.append([
            standing.rank, standing.nickname, standing.points, standing.right, total,
            *[mine[i].points if i in mine else None for i in range(total)],
        ])
    return rows


def results_title() -> str:
    return _("Results")
