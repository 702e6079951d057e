"""An outreach event's report as a table in the page's language, for the CSV and XLSX downloads: the totals,
a row per question, then the scam types people got wrong most. Names, never slugs."""

from __future__ import annotations

from flask_babel import gettext as _

from ..catalog import Quiz, get_catalog
from .forms import kind_label
from .service import Report


def report_rows(rep: Report, quiz: Quiz | None, tag: str) -> list[list]:
    event, summary = rep.event, rep.summary
    types = get_catalog().types

    def type_name(slug: str) -> str:
        return types[slug].name.get(tag) if slug in types else slug

    rows: list[list] = [
        [_("Item"), _("Value")],
        [_("Kind of event"), kind_label(event.kind)],
        [_("Place"), event.place],
        [_("Date"), event.date.isoformat()],
        [_("Audience"), event.audience],
        [_("Quiz"), quiz.title.get(tag) if quiz else event.quiz_id],
        [_("Code"), event.live_session.code],
        [_("People reached"), summary.people],
        [_("Online"), summary.online],
        [_("On paper"), summary.paper],
        [_("Quizzes finished"), summary.finished],
        [_("Average score"), summary.average],
        [_("Questions"), summary.total],
        [],
        [_("Question no."), _("Scam type"), _("Question text"), _("Answered"), _("Right"), _("Right (%)")],
    ]
    for line in rep.questions:
        rows.append([line.index + 1, type_name(line.question.slug), line.question.prompt.get(tag), line.answered,
                     line.right, line.share_right])
    rows += [[], [_("Scam type people got wrong most"), _("Answered"), _("Wrong"), _("Wrong (%)")]]
    for missed in rep.missed:
        rows.append([missed.name.get(tag) if missed.name else missed.slug, missed.answered, missed.wrong,
                     missed.share_wrong])
    return rows
