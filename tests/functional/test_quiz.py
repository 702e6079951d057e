"""Solo quizzes played through the test client, and every kind of tampering refused."""

from __future__ import annotations

import random
import re
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest

from webapp.catalog.quizfiles import BANK_MINIMUMS
from webapp.quiz import scoring, service
from webapp.quiz.draw import draw, type_weights

AUDIENCES = ("elderly", "students", "rural")


def token_of(location: str) -> str:
    return parse_qs(urlsplit(location).query)["s"][0]


def start(client, quiz_id):
    response = client.post(f"/quiz/{quiz_id}/start")
    assert response.status_code == 303
    return token_of(response.headers["Location"])


def current_question(client, quiz, token):
    html = client.get(f"/quiz/play?s={token}").get_data(as_text=True)
    question_id = re.search(r'name="question" value="([^"]+)"', html).group(1)
    return quiz.question(question_id), html


def answer(client, token, question, choices):
    return client.post("/quiz/answer", data={"s": token, "question": question.id, "choice": [str(c) for c in choices]})


def wrong_choices(question):
    others = [i for i in range(len(question.choices)) if i not in question.answer]
    return [others[0]]


def test_each_audience_has_a_full_bank_covering_its_page(catalog):
    for audience, minimum in BANK_MINIMUMS.items():
        banks = catalog.quizzes_for(audience)
        assert banks and sum(len(q.questions) for q in banks) >= minimum, audience
        slugs = {question.slug for quiz in banks for question in quiz.questions}
        assert {t.slug for t in catalog.types_for(audience)} <= slugs, audience
    per_type = Counter(question.slug for quiz in catalog.quizzes.values() for question in quiz.questions)
    assert all(per_type[slug] >= 6 for slug in catalog.types), {s: per_type[s] for s in catalog.types if per_type[s] < 6}
    kinds = {q.kind for quiz in catalog.quizzes.values() for q in quiz.questions}
    assert kinds == {"single", "multiple", "truefalse", "scenario"}


def test_questions_are_tied_to_known_slugs_and_have_both_languages(catalog):
    for quiz in catalog.quizzes.values():
        for question in quiz.questions:
            assert question.slug in catalog.types
            assert question.prompt.zh_Hans and question.prompt.en and question.explanation.en
            assert all(choice.zh_Hant for choice in question.choices)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_full_play_through_with_right_and_wrong_answers(client, catalog, audience):
    quiz = catalog.quizzes_for(audience)[0]
    token = start(client, quiz.id)
    expected_score, streak, seen = 0, 0, set()
    for number in range(10):
        question, html = current_question(client, quiz, token)
        assert f"Question {number + 1} of 10" in client.get(f"/quiz/play?s={token}&lang=en").get_data(as_text=True)
        assert question.id not in seen  # drawn without repeats
        seen.add(question.id)
        right = number % 3 != 2  # every third answer wrong
        choices = sorted(question.answer) if right else wrong_choices(question)
        response = answer(client, token, question, choices)
        assert response.status_code == 303
        token = token_of(response.headers["Location"])
        points, streak = scoring.points_for(right, streak)
        expected_score += points
        feedback = client.get(f"/quiz/feedback?s={token}&lang=en").get_data(as_text=True)
        assert ("Right!" in feedback) == right
        assert question.explanation.en.replace("'", "&#39;").replace('"', "&#34;")[:30] in feedback
        assert f"/scams/{question.slug}" in feedback
    result = client.get(f"/quiz/result?s={token}&lang=en")
    html = result.get_data(as_text=True)
    assert "You got 7 of 10 right" in html
    assert f"{expected_score} <span" in html
    assert "Review:" in html  # advice per scam type for the wrong ones
    assert "progress=" in result.headers["Set-Cookie"]
    progress = client.get("/quiz/progress?lang=en").get_data(as_text=True)
    assert "Quizzes finished: 1" in progress and f"Points: {expected_score}" in progress
    # Reloading the result does not count the run twice.
    client.get(f"/quiz/result?s={token}")
    assert "Quizzes finished: 1" in client.get("/quiz/progress?lang=en").get_data(as_text=True)
    card = client.get(f"/quiz/card?s={token}&lang=en").get_data(as_text=True)
    assert "7/10" in card


# -- which questions a run draws ---------------------------------------------------------------

def test_every_ten_question_draw_covers_ten_different_types(catalog):
    for quiz in catalog.quizzes.values():
        weights = type_weights(catalog.types_for(quiz.audience))
        types_in_bank = len({q.slug for q in quiz.questions})
        for seed in range(400):
            picked = draw(quiz.questions, 10, weights, random.Random(seed))
            assert len({q.id for q in picked}) == 10, (quiz.id, seed)
            assert len({q.slug for q in picked}) == min(10, types_in_bank), (quiz.id, seed)


def test_a_long_draw_repeats_a_type_only_after_every_type_came_once(catalog):
    quiz = catalog.quizzes_for("elderly")[0]
    types_in_bank = len({q.slug for q in quiz.questions})
    picked = draw(quiz.questions, len(quiz.questions) + 5, type_weights(catalog.types_for("elderly")), random.Random(7))
    assert sorted(q.id for q in picked) == sorted(q.id for q in quiz.questions)  # all of them, none twice
    first_round = draw(quiz.questions, types_in_bank, {}, random.Random(8))
    assert len({q.slug for q in first_round}) == types_in_bank


def test_draws_favour_the_audiences_most_common_scams(catalog):
    quiz = catalog.quizzes_for("general")[0]
    listed = [t.slug for t in catalog.types_for("general")]
    weights = type_weights(catalog.types_for("general"))
    seen = Counter(q.slug for seed in range(3000) for q in draw(quiz.questions, 10, weights, random.Random(seed)))
    most, least = seen[listed[0]], seen[listed[-1]]
    assert most > 1.3 * least, (most, least)
    top, bottom = listed[: len(listed) // 3], listed[-(len(listed) // 3):]
    assert min(seen[s] for s in top) > max(seen[s] for s in bottom), seen
    # A type the audience page does not list still turns up, less often than the listed ones.
    students = catalog.quizzes_for("students")[0]
    unlisted = {q.slug for q in students.questions} - {t.slug for t in catalog.types_for("students")}
    assert unlisted
    weights = type_weights(catalog.types_for("students"))
    seen = Counter(q.slug for seed in range(3000) for q in draw(students.questions, 10, weights, random.Random(seed)))
    assert all(0 < seen[slug] < seen[t.slug] for slug in unlisted for t in catalog.types_for("students")), seen


@pytest.mark.parametrize("audience", (*AUDIENCES, "general"))
def test_runs_started_through_the_site_ask_ten_different_types(client, catalog, audience):
    quiz = catalog.quizzes_for(audience)[0]
    for _ in range(15):
        token = start(client, quiz.id)
        with client.application.test_request_context():
            run, _ = service.decode(token, catalog.quizzes.get)
        assert len(set(run.question_ids)) == 10
        assert len({quiz.question(qid).slug for qid in run.question_ids}) == 10
        first, _ = current_question(client, quiz, token)
        assert first.id == run.question_ids[0]


def test_multiple_choice_needs_exactly_the_right_set(client, catalog):
    quiz = next(q for q in catalog.quizzes.values() if any(x.kind == "multiple" for x in q.questions))
    question = next(x for x in quiz.questions if x.kind == "multiple")
    assert question.is_correct(set(question.answer))
    assert not question.is_correct(set(sorted(question.answer)[:1]))


def test_elderly_mode_has_big_buttons_and_no_timer(client, catalog):
    quiz = catalog.quizzes_for("elderly")[0]
    token = start(client, quiz.id)
    html = client.get(f"/quiz/play?s={token}").get_data(as_text=True)
    assert "elderly-mode" in html and "read-aloud" in html
    assert "countdown" not in html and "timer" not in html


# -- tampering ------------------------------------------------------------------------------

@pytest.fixture
def run(client, catalog):
    quiz = catalog.quizzes_for("students")[0]
    token = start(client, quiz.id)
    question, _ = current_question(client, quiz, token)
    return quiz, token, question


def test_unknown_question_is_refused(client, run):
    quiz, token, question = run
    other = next(q for q in quiz.questions if q.id != question.id)
    response = client.post("/quiz/answer", data={"s": token, "question": other.id, "choice": "0"})
    assert response.status_code == 400 and 'data-code="wrong_question"' in response.get_data(as_text=True)
    response = client.post("/quiz/answer", data={"s": token, "question": "nope-999", "choice": "0"})
    assert response.status_code == 400


@pytest.mark.parametrize("choice", ["9", "-1", "x"])
def test_choice_out_of_range_is_refused(client, run, choice):
    _, token, question = run
    response = client.post("/quiz/answer", data={"s": token, "question": question.id, "choice": choice})
    assert response.status_code == 400


def test_each_refused_choice_says_what_is_wrong(client, catalog):
    """One code, one meaning: two answers to a one-answer question ask for one answer; a number that is
    no choice says so; nothing chosen asks for a choice (the page shows the code and its own words)."""
    quiz = next(q for q in catalog.quizzes.values() if any(x.kind != "multiple" for x in q.questions))
    cases = (
        (["0", "1"], "one_choice", "Choose one answer for this question."),
        (["9"], "bad_choice", "That answer is not one of the choices."),
        ([], "no_choice", "Please choose an answer."),
    )
    for choices, code, words in cases:
        token = start(client, quiz.id)
        question, _ = current_question(client, quiz, token)
        while question.kind == "multiple":  # the run's first question: draw again until it takes one answer
            token = start(client, quiz.id)
            question, _ = current_question(client, quiz, token)
        response = client.post("/quiz/answer?lang=en", data={"s": token, "question": question.id, "choice": choices})
        html = response.get_data(as_text=True)
        assert f'data-code="{code}"' in html and words in html, code
        if code == "no_choice":  # nothing chosen: the same question again, the words beside it
            assert response.status_code == 422 and f'name="question" value="{question.id}"' in html
        else:
            assert response.status_code == 400 and "Back to the quizzes" in html


def test_replayed_answer_is_refused_and_changes_nothing(client, run):
    quiz, token, question = run
    first = answer(client, token, question, sorted(question.answer))
    assert first.status_code == 303
    # Back, then the same question answered again (wrongly this time): the first answer stands and the
    # player is taken on to where the run is, with a short note, not to a dead end.
    replay = answer(client, token, question, wrong_choices(question))
    assert replay.status_code == 303
    page = client.get(replay.headers["Location"] + "&lang=en").get_data(as_text=True)
    assert "your first answer counts" in page
    next_question, _ = current_question(client, quiz, token_of(replay.headers["Location"]))
    assert next_question.id != question.id
    assert "Question 2 of 10" in page and "Points: 100" in page
    next_token = token_of(first.headers["Location"])
    assert "Points: 100" in client.get(f"/quiz/play?s={next_token}&lang=en").get_data(as_text=True)


def test_replayed_answer_without_the_browser_cookie_is_refused(client, run):
    quiz, token, question = run
    assert answer(client, token, question, sorted(question.answer)).status_code == 303
    client.delete_cookie("quizrun", path="/quiz")
    replay = answer(client, token, question, sorted(question.answer))
    assert replay.status_code == 400 and 'data-code="replayed"' in replay.get_data(as_text=True)


def test_nothing_ticked_stays_on_the_question_with_a_message(client, catalog):
    quiz = next(q for q in catalog.quizzes.values() if any(x.kind == "multiple" for x in q.questions))
    token = start(client, quiz.id)
    question, _ = current_question(client, quiz, token)
    response = answer(client, token, question, [])
    assert response.status_code == 422
    html = client.post("/quiz/answer?lang=zh-Hans", data={"s": token, "question": question.id}).get_data(as_text=True)
    assert 'name="question" value="%s"' % question.id in html and 'role="alert"' in html
    expected = "请至少勾选一个答案" if question.kind == "multiple" else "请选一个答案"
    assert expected in html
    # The run is untouched: the same question can now be answered.
    assert answer(client, token, question, sorted(question.answer)).status_code == 303


def test_nothing_ticked_on_a_multiple_choice_question_asks_for_at_least_one(app, client, catalog):
    from webapp.quiz import service

    quiz = next(q for q in catalog.quizzes.values() if any(x.kind == "multiple" for x in q.questions))
    question = next(x for x in quiz.questions if x.kind == "multiple")
    with app.test_request_context():
        token = service.encode(service.Run("a" * 24, quiz.id, (question.id,)))
    html = client.post("/quiz/answer?lang=zh-Hans", data={"s": token, "question": question.id})
    assert html.status_code == 422
    text = html.get_data(as_text=True)
    assert "请至少勾选一个答案" in text and "请选一个答案" not in text


def test_feedback_repeats_the_choice_and_the_right_answer(client, run):
    quiz, token, question = run
    wrong = wrong_choices(question)
    location = answer(client, token, question, wrong).headers["Location"]
    html = client.get(location + "&lang=zh-Hans").get_data(as_text=True)
    chosen = question.choices[wrong[0]].get("zh-Hans")
    right = "；".join(question.choices[i].get("zh-Hans") for i in sorted(question.answer))
    assert f"您选了“{chosen}”，正确答案是“{right}”。" in html


@pytest.mark.parametrize("right, line", [(10, "我认得出骗子的套路"), (7, "大部分套路我认得出来"), (2, "我正在学着识别骗子的套路")])
def test_result_card_wording_depends_on_the_score(app, client, catalog, right, line):
    from webapp.quiz import service

    quiz = catalog.quizzes_for("elderly")[0]
    steps = tuple(service.Step(q.id, tuple(sorted(q.answer)), i < right, 100 if i < right else 0)
                  for i, q in enumerate(quiz.questions[:10]))
    with app.test_request_context():
        token = service.encode(service.Run("b" * 24, quiz.id, tuple(s.question_id for s in steps), steps))
    card = client.get(f"/quiz/card?s={token}&lang=zh-Hans").get_data(as_text=True)
    assert line in card and f"{right}/10" in card
    others = {"我认得出骗子的套路", "大部分套路我认得出来", "我正在学着识别骗子的套路"} - {line}
    assert not any(other in card for other in others)


def test_forged_score_or_signature_is_refused(client, run):
    _, token, question = run
    payload, _, signature = token.rpartition(".")
    forged = payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
    for bad in (forged, token[:-3], "garbage", ""):
        response = client.post("/quiz/answer", data={"s": bad, "question": question.id, "choice": "0"})
        assert response.status_code == 400
        assert client.get("/quiz/play", query_string={"s": bad}).status_code == 400


def test_forged_progress_cookie_is_ignored(client):
    client.set_cookie("progress", "eyJydW5zIjo5OTl9.forged")
    html = client.get("/quiz/progress?lang=en").get_data(as_text=True)
    assert "You have not finished a quiz yet." in html


def test_api_lists_the_banks(client, catalog):
    data = client.get("/api/v1/quizzes?lang=en").get_json()
    assert {q["id"] for q in data} == set(catalog.quizzes)
    for item in data:
        assert set(item) == {"id", "audience", "title", "questions"}
        assert item["questions"] == len(catalog.quizzes[item["id"]].questions)


def test_unknown_quiz_is_404(client):
    assert client.get("/quiz/nope").status_code == 404
    assert client.post("/quiz/nope/start").status_code == 404
