"""Composed quizzes: an organizer's pick from the site's banks plus questions of their own. Plain values
in, model rows and catalog Quizzes out; no request, no g.

A session or event started from a composed quiz copies the questions it plays into its own row
(LiveSession.snapshot, see classroom/sessions.py): editing or deleting the quiz afterwards changes
nothing in it, and its results keep their questions. The quiz itself is edited in place."""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping, Sequence

from sqlalchemy import select

from ..catalog import Catalog, Question, Quiz, own
from ..catalog.model import AUDIENCES
from ..errors import DomainError
from ..extensions import db
from ..models import ComposedQuiz, utcnow
from ..quiz.draw import draw as spread_draw

TITLE_MAX = 80
OWN_MAX = 50  # own questions in one quiz
BANK_MAX = 50  # bank questions in one quiz
ORDERS = ("bank", "shuffled")
_random = secrets.SystemRandom()


def refused(code: str, status: int = 400, **params) -> DomainError:
    """A refusal of compose/ (its words are in webapp/errors.py); `field` names what was wrong."""
    return DomainError(code, status, domain="compose", **params)


# -- checking what an organizer sends ----------------------------------------------------------------


def clean_title(raw) -> str:
    title = " ".join(raw.split()) if isinstance(raw, str) else ""
    if not title or len(title) > TITLE_MAX or any(not ch.isprintable() for ch in title):
        raise refused("bad_title", field="title", max=TITLE_MAX)
    return title


def check_bank(catalog: Catalog, audience, types, count, order) -> tuple[str, list[str], int, str]:
    """(audience, scam-type slugs, number of bank questions, order), or refused naming the field."""
    if audience not in AUDIENCES:
        raise refused("bad_audience", field="audience")
    if not isinstance(types, list | tuple) or any(not isinstance(t, str) or t not in catalog.types for t in types):
        raise refused("bad_types", field="from_bank.types")
    slugs = [t.slug for t in sorted((catalog.types[t] for t in set(types)), key=lambda t: t.rank)]
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= BANK_MAX:
        raise refused("bad_count", field="from_bank.count", max=BANK_MAX)
    if order not in ORDERS:
        raise refused("bad_order", field="from_bank.order")
    return audience, slugs, count, order


def check_question(catalog: Catalog, raw, field: str) -> dict:
    stored, problems = own.check_question(raw, catalog.types, field)
    if stored is None:
        where, problem = problems[0]
        raise refused("bad_question", field=where or field, problem=problem)
    return stored


def numbered(questions: Sequence[dict], first: int) -> list[dict]:
    return [{"id": f"q{first + i}", **q} for i, q in enumerate(questions)]


# -- making and changing them ------------------------------------------------------------------------


def create(organizer_id: int, catalog: Catalog, title, audience, from_bank: Mapping | None, questions) -> ComposedQuiz:
    """Check everything (the first problem is raised, naming its field), then store the quiz."""
    title = clean_title(title)
    bank = from_bank if from_bank is not None else {}
    if not isinstance(bank, Mapping):
        raise refused("bad_types", field="from_bank")
    audience, types, count, order = check_bank(
        catalog, audience, bank.get("types", []), bank.get("count", 10 if bank.get("types") else 0), bank.get("order", "bank"),
    )
    questions = [] if questions is None else questions
    if not isinstance(questions, list) or len(questions) > OWN_MAX:
        raise refused("too_many", field="questions", max=OWN_MAX)
    stored = [check_question(catalog, q, f"questions.{i}") for i, q in enumerate(questions)]
    if count == 0 and not stored:
        raise refused("empty", field="from_bank.count")
    row = ComposedQuiz(
        organizer_id=organizer_id, title=title, audience=audience, bank_types=types, bank_count=count,
        bank_order=order, questions=numbered(stored, 1), next_number=len(stored) + 1,
    )
    db.session.add(row)
    db.session.commit()
    return row


def update_settings(row: ComposedQuiz, catalog: Catalog, title, audience, types, count, order) -> None:
    row.title = clean_title(title)
    row.audience, row.bank_types, row.bank_count, row.bank_order = check_bank(catalog, audience, types, count, order)
    touch(row)


def add_questions(row: ComposedQuiz, stored: Sequence[dict]) -> None:
    """Append checked questions (all or none: the caller checked every one)."""
    if len(row.questions) + len(stored) > OWN_MAX:
        raise refused("too_many", field="questions", max=OWN_MAX)
    row.questions = [*row.questions, *numbered(stored, row.next_number)]
    row.next_number += len(stored)
    touch(row)


TEXT_FIELDS = ("prompt", "scene", "choices", "explanation")


def edited(old: dict, new: dict, lang: str) -> tuple[dict, bool]:
    """A question edited in one language (the page's), and whether its other languages were dropped.

    The other languages are kept while they still fit what was edited: the same kind, answer and number of
    choices (only the wording in `lang` changed). Otherwise they would show another answer than this one, so
    the question keeps only the language it was edited in."""
    others = {tag for field in TEXT_FIELDS for tag in (old.get(field) or {}) if tag != lang}
    if not others:
        return new, False
    counts = {len(v) for v in (old.get("choices") or {}).values()}
    same_shape = (old.get("kind") == new.get("kind") and old.get("answer") == new.get("answer")
                  and counts <= {len((new.get("choices") or {}).get(lang, ()))} and bool(old.get("scene")) == bool(new.get("scene")))
    if not same_shape:
        return new, True
    merged = dict(new)
    for field in TEXT_FIELDS:
        if field in new:
            merged[field] = {**old.get(field, {}), **new[field]}
    return merged, False


def replace_question(row: ComposedQuiz, question_id: str, stored: dict) -> None:
    if not any(q["id"] == question_id for q in row.questions):
        raise refused("no_question", 404)
    row.questions = [{"id": question_id, **stored} if q["id"] == question_id else q for q in row.questions]
    touch(row)


def remove_question(row: ComposedQuiz, question_id: str) -> None:
    row.questions = [q for q in row.questions if q["id"] != question_id]
    touch(row)


def touch(row: ComposedQuiz) -> None:
    row.updated_at = utcnow()
    db.session.commit()


def copy(row: ComposedQuiz, title: str) -> ComposedQuiz:
    twin = ComposedQuiz(
        organizer_id=row.organizer_id, title=title[:TITLE_MAX], audience=row.audience, bank_types=list(row.bank_types),
        bank_count=row.bank_count, bank_order=row.bank_order, questions=[dict(q) for q in row.questions],
        next_number=row.next_number,
    )
    db.session.add(twin)
    db.session.commit()
    return twin


def delete(row: ComposedQuiz) -> None:
    """Sessions and events played from it keep their own copy of its questions."""
    db.session.delete(row)
    db.session.commit()


# -- finding them ------------------------------------------------------------------------------------


def owned(quiz_id, organizer_id: int | None) -> ComposedQuiz | None:
    """The quiz with this id ("own:<n>" or the bare number), if this organizer made it; None otherwise."""
    number = quiz_id if isinstance(quiz_id, int) and not isinstance(quiz_id, bool) else own.quiz_number(quiz_id)
    if number is None or organizer_id is None:
        return None
    row = db.session.get(ComposedQuiz, number)
    return row if row is not None and row.organizer_id == organizer_id else None


def quizzes_of(organizer_id: int | None) -> list[ComposedQuiz]:
    if organizer_id is None:
        return []
    return list(db.session.scalars(
        select(ComposedQuiz).where(ComposedQuiz.organizer_id == organizer_id).order_by(ComposedQuiz.id.desc())
    ))


def find_quiz(catalog: Catalog, quiz_id, organizer_id: int | None, rng: random.Random | None = None) -> Quiz | None:
    """A quiz to play: one of the site's banks, or one of this organizer's composed quizzes."""
    if isinstance(quiz_id, str) and quiz_id in catalog.quizzes:
        return catalog.quizzes[quiz_id]
    row = owned(quiz_id, organizer_id)
    return to_quiz(row, catalog, rng) if row is not None else None


# -- playing them ------------------------------------------------------------------------------------


def bank_pool(row: ComposedQuiz, catalog: Catalog) -> list[Question]:
    """The audience's bank questions on the chosen types (every type when none is ticked), in bank order;
    then, for a ticked type the audience's banks lack, the other banks' questions on it."""
    chosen = set(row.bank_types)
    pool = [q for bank in catalog.quizzes_for(row.audience) for q in bank.questions if not chosen or q.slug in chosen]
    lacking = chosen - {q.slug for q in pool}
    return pool + [q for bank in catalog.quizzes.values() if bank.audience != row.audience
                   for q in bank.questions if q.slug in lacking]


def own_questions(row: ComposedQuiz, catalog: Catalog) -> list[Question]:
    made = (own.make_stored({k: v for k, v in q.items() if k != "id"}, f"{own.quiz_id(row.id)}:{q['id']}", catalog.types)
            for q in row.questions)
    return [q for q in made if q is not None]


def to_quiz(row: ComposedQuiz, catalog: Catalog, rng: random.Random | None = None) -> Quiz:
    """The catalog Quiz a session plays. In bank order: the first question of each chosen type, then the
    second…, shown in the banks' order, then the organizer's own; shuffled: drawn like a solo run, one per
    type while types are left, and everything mixed."""
    pool = bank_pool(row, catalog)
    count = min(row.bank_count, len(pool))
    if row.bank_order == "shuffled":
        rng = rng or _random
        picked = spread_draw(pool, count, {}, rng)
        questions = [*picked, *own_questions(row, catalog)]
        rng.shuffle(questions)
    else:
        questions = [*round_robin(pool, count), *own_questions(row, catalog)]
    return own.build_quiz(row.id, row.audience, row.title, questions)


def round_robin(pool: list[Question], count: int) -> list[Question]:
    by_type: dict[str | None, list[Question]] = {}
    for question in pool:
        by_type.setdefault(question.slug, []).append(question)
    chosen: set[str] = set()
    depth = 0
    while len(chosen) < count:
        for questions in by_type.values():
            if depth < len(questions) and len(chosen) < count:
                chosen.add(questions[depth].id)
        depth += 1
    return [q for q in pool if q.id in chosen]


def size(row: ComposedQuiz, catalog: Catalog) -> int:
    """How many questions a session of it plays."""
    return min(row.bank_count, len(bank_pool(row, catalog))) + len(row.questions)
