"""Outreach events: creating them, and their reports computed from the recorded players and answers.
Plain values in, model rows and dataclasses out; no request, no g."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ..catalog import Question, Quiz, get_catalog
from ..catalog.schema import Text
from ..classroom import codes, queries, self_paced, sessions
from ..classroom.results import PaceSummary, pace_summaries
from ..errors import DomainError
from ..extensions import db
from ..models import Answer, Event, LiveSession, Player

QUESTIONS = 10  # per event: the same ten for everyone, so the per-question results compare
PLACE_MAX = 100
AUDIENCE_MAX = 100
LABEL_MAX = codes.NICKNAME_MAX
MISSED_TYPES = 5
KINDS = ("school", "enterprise", "community", "village", "family")  # their names: outreach/forms.py
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")



def refused(code: str, **params) -> DomainError:
    """A refused event (its words are in webapp/errors.py); always a 400."""
    return DomainError(code, 400, domain="outreach", **params)


def parse_date(raw) -> date | None:
    """'2025-03-15' → date; anything else (other formats, impossible days, odd years) → None."""
    if not isinstance(raw, str) or not _DATE.fullmatch(raw.strip()):
        return None
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


def clean_text(raw, limit: int, required: bool) -> str | None:
    """Trimmed, inner white space collapsed; None when missing (if required), too long or unprintable."""
    if raw is None and not required:
        return ""
    if not isinstance(raw, str):
        return None
    text = " ".join(raw.split())
    if (required and not text) or len(text) > limit or any(not ch.isprintable() for ch in text):
        return None
    return text


def create_event(organizer_id: int, kind, place, day, quiz: Quiz | None, audience=None) -> Event:
    """Check everything, then open the event's self-paced session with ten questions drawn from the quiz."""
    if not isinstance(kind, str) or kind not in KINDS:
        raise refused("bad_kind")
    place = clean_text(place, PLACE_MAX, required=True)
    if place is None:
        raise refused("bad_place", max=PLACE_MAX)
    if isinstance(day, date):
        day = parse_date(day.isoformat())
    else:
        day = parse_date(day)
    if day is None:
        raise refused("bad_date")
    audience = clean_text(audience, AUDIENCE_MAX, required=False)
    if audience is None:
        raise refused("bad_audience", max=AUDIENCE_MAX)
    if quiz is None or not quiz.questions:
        raise refused("bad_quiz")
    live, _host_token = self_paced.create_session(organizer_id, quiz, QUESTIONS)
    event = Event(
        organizer_id=organizer_id, live_session_id=live.id, kind=kind, place=place, date=day,
        audience=audience, quiz_id=quiz.id,
    )
    db.session.add(event)
    db.session.commit()
    return event


def owned_event(event_id: int, organizer_id: int | None) -> Event | None:
    """The event, if this organizer created it; None otherwise (others can't tell it exists)."""
    event = db.session.get(Event, event_id)
    if event is None or organizer_id is None or event.organizer_id != organizer_id:
        return None
    return event


def event_of_session(live: LiveSession) -> Event | None:
    return db.session.scalar(select(Event).where(Event.live_session_id == live.id))


def events_of(organizer_id: int) -> list[tuple[Event, PaceSummary]]:
    """The organizer's events, latest date first, each with its totals."""
    events = list(db.session.scalars(
        select(Event).where(Event.organizer_id == organizer_id).order_by(Event.date.desc(), Event.id.desc())
    ))
    summaries = pace_summaries([e.live_session for e in events]) if events else {}
    return [(e, summaries[e.live_session_id]) for e in events]


def grand_total(rows: list[tuple[Event, PaceSummary]]) -> PaceSummary:
    """The sum over events. Events of composed quizzes may have another number of questions: then there is
    no common total, and the page gives the share of right answers instead of an average out of N."""
    lengths = {s.total for _e, s in rows} or {QUESTIONS}
    return PaceSummary(
        online=sum(s.online for _e, s in rows), paper=sum(s.paper for _e, s in rows),
        finished=sum(s.finished for _e, s in rows), right_finished=sum(s.right_finished for _e, s in rows),
        total=lengths.pop() if len(lengths) == 1 else 0, possible=sum(s.possible for _e, s in rows),
    )


def quiz_of(event: Event) -> Quiz | None:
    """The bank quiz, or the copy of the composed quiz the event's session keeps."""
    return sessions.quiz_of(event.live_session)


def questions_of(event: Event) -> list[Question]:
    return sessions.questions_of(event.live_session)


# -- the report ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionLine:
    index: int
    question: Question
    answered: int
    right: int

    @property
    def wrong(self) -> int:
        return self.answered - self.right

    @property
    def share_right(self) -> int | None:
        """Percent of those who answered it who got it right."""
        return round(100 * self.right / self.answered) if self.answered else None


@dataclass(frozen=True)
class MissedType:
    slug: str
    name: Text | None
    answered: int
    wrong: int

    @property
    def share_wrong(self) -> int:
        return round(100 * self.wrong / self.answered) if self.answered else 0


@dataclass(frozen=True)
class Report:
    event: Event
    summary: PaceSummary
    questions: list[QuestionLine]
    missed: list[MissedType]  # the scam types people got wrong most, most wrong answers first


def report(event: Event) -> Report:
    live = event.live_session
    questions = sessions.questions_of(live)
    rows = db.session.execute(
        select(Answer.question_index, func.count(Answer.id), queries.right_count())
        .join(Player, Answer.player_id == Player.id)
        .where(queries.active_players(live.id))
        .group_by(Answer.question_index)
    )
    counts = {index: (int(answered), int(rights)) for index, answered, rights in rows}
    lines = [QuestionLine(i, q, *counts.get(i, (0, 0))) for i, q in enumerate(questions)]
    by_type: dict[str, list[int]] = {}
    for line in lines:
        if line.question.slug is None:  # an organizer's own question on no particular scam type
            continue
        tally = by_type.setdefault(line.question.slug, [0, 0])
        tally[0] += line.answered
        tally[1] += line.wrong
    types = get_catalog().types
    missed = [
        MissedType(slug, types[slug].name if slug in types else None, answered, wrong)
        for slug, (answered, wrong) in by_type.items() if wrong
    ]
    missed.sort(key=lambda m: (-m.wrong, -m.share_wrong, m.slug))
    return Report(event, pace_summaries([live])[live.id], lines, missed[:MISSED_TYPES])


def paper_sheets(event: Event) -> list[tuple[Player, int, int]]:
    """The paper sheets typed in for an event, newest first: (player, answered, right)."""
    rows = db.session.execute(
        select(Player, func.count(Answer.id), queries.right_count())
        .outerjoin(Answer, Answer.player_id == Player.id)
        .where(queries.active_players(event.live_session_id), Player.paper.is_(True))
        .group_by(Player.id)
        .order_by(Player.id.desc())
    )
    return [(player, int(answered), int(rights)) for player, answered, rights in rows]
