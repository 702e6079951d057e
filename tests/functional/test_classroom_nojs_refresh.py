"""A phone without JavaScript reloads its play page every few seconds to see the next step. The page carries
a Last-Modified standing for the session, the step, the language and the text size (phone.page_validator),
and the gate answers a reload that sends it back with 304 while the lobby, the player's answered question, a
reveal or the end lasts."""

from __future__ import annotations

from flask import request, request_started

from tests import factories

API = "/api/v1/sessions"
EN = {"Accept-Language": "en"}


def test_a_reload_of_an_unchanged_lobby_or_reveal_is_a_304_before_flask(db_app):
    app, host_client = db_app, db_app.test_client()
    code, host, (ann, bo) = factories.hall(app, "Ann", "Bo", time_limit=60)
    reached = []

    def count(sender, **extra):
        reached.append(request.path)

    request_started.connect(count, app)
    try:
        lobby = ann.get(f"/play/{code}", headers=EN)
        assert lobby.status_code == 200 and lobby.headers["Cache-Control"] == "no-cache, private"
        stamp = lobby.headers["Last-Modified"]
        assert stamp.endswith(" GMT") and int(stamp.split()[3]) < 2017  # no real time: never in the future
        reached.clear()

        again = ann.get(f"/play/{code}", headers={**EN, "If-Modified-Since": stamp})
        assert again.status_code == 304 and again.get_data() == b"" and reached == []
        assert again.headers["Last-Modified"] == stamp and "Content-Security-Policy" in again.headers
        # another language, the large text, no player cookie, a query string: the view draws it
        assert ann.get(f"/play/{code}", headers={"Accept-Language": "zh-CN", "If-Modified-Since": stamp}).status_code == 200
        ann.set_cookie("textsize", "large")
        assert ann.get(f"/play/{code}", headers={**EN, "If-Modified-Since": stamp}).status_code == 200
        ann.delete_cookie("textsize")
        stranger = app.test_client().get(f"/play/{code}", headers={**EN, "If-Modified-Since": stamp})
        assert stranger.status_code == 303
        assert ann.get(f"/play/{code}?lang=en", headers={"If-Modified-Since": stamp}).status_code == 200
        assert len(reached) == 4

        # the host starts: the lobby's date no longer matches; a question's page is never a 304 while it is not
        # answered (the seconds left change): the view draws it once, then the gate fills it for each load
        assert host_client.post(f"{API}/{code}/advance", headers=host).status_code == 200
        reached.clear()
        question = ann.get(f"/play/{code}", headers={**EN, "If-Modified-Since": stamp})
        assert question.status_code == 200 and 'class="answer-form"' in question.get_data(as_text=True)
        asked = question.headers["Last-Modified"]
        assert asked != stamp
        assert ann.get(f"/play/{code}", headers={**EN, "If-Modified-Since": asked}).status_code == 200
        # the date is no date: nothing compares it as one, not even the compression layer (a browser asks for gzip)
        later = {**EN, "If-Modified-Since": "Fri, 31 Dec 9999 23:59:59 GMT", "Accept-Encoding": "gzip"}
        zipped = ann.get(f"/play/{code}", headers=later)
        assert zipped.status_code == 200 and zipped.headers["Content-Encoding"] == "gzip"
        assert len(reached) == 1

        for phone in (ann, bo):  # both answer: the reveal
            phone.post(f"/play/{code}/answer", data={"question": "0", "choice": "0"})
        reveal = ann.get(f"/play/{code}", headers={**EN, "If-Modified-Since": asked})
        assert reveal.status_code == 200 and 'data-phase="reveal"' in reveal.get_data(as_text=True)
        shown = reveal.headers["Last-Modified"]
        reached.clear()
        assert ann.get(f"/play/{code}", headers={**EN, "If-Modified-Since": shown}).status_code == 304 and reached == []
        # Bo's page at the same step, language and size carries the same date: his own part was drawn with it
        assert bo.get(f"/play/{code}", headers={**EN, "If-Modified-Since": shown}).status_code == 304 and reached == []
    finally:
        request_started.disconnect(count, app)


def test_the_date_stands_for_the_session_the_step_the_language_and_the_text_size():
    from webapp.classroom import phone

    first = phone.page_validator(1, "L", "en", False)
    assert first != phone.page_validator(2, "L", "en", False)  # a code used again belongs to a new session
    assert first != phone.page_validator(1, "R0", "en", False) != phone.page_validator(1, "L", "en", True)
    assert first != phone.page_validator(1, "L", "zh-Hans", False)
    assert phone.page_step("Q3", True) == "Q3a" and phone.page_step("Q3", False) == "Q3"
    assert phone.page_step("R3", True) == "R3" and phone.page_validator(1, "Q3a", "en", False) != phone.page_validator(1, "Q3", "en", False)


def test_an_answered_question_is_a_304_until_the_reveal_and_an_unanswered_one_is_drawn_afresh(db_app, reached):
    app, host_client = db_app, db_app.test_client()
    code, host, (ann, bo, cy) = factories.hall(app, "Ann", "Bo", "Cy", time_limit=60)
    assert host_client.post(f"{API}/{code}/advance", headers=host).status_code == 200
    counted = reached(app)
    unanswered = bo.get(f"/play/{code}", headers=EN)
    assert 'class="answer-form"' in unanswered.get_data(as_text=True)
    own = unanswered.headers["Last-Modified"]
    sent = ann.post(f"/play/{code}/answer", data={"question": "0", "choice": "0"}, headers=EN)  # the no-JS form
    assert sent.status_code == 303
    waiting = ann.get(f"/play/{code}", headers=EN)
    text = waiting.get_data(as_text=True)
    assert 'class="answer-form"' not in text and '<meta http-equiv="refresh"' in text  # it reloads itself
    answered = waiting.headers["Last-Modified"]
    assert answered != own
    counted.clear()

    again = ann.get(f"/play/{code}", headers={**EN, "If-Modified-Since": answered})
    assert again.status_code == 304 and counted == [] and again.headers["Last-Modified"] == answered
    # the one who has not answered gets the question again, with the seconds left (filled by the gate)
    again = bo.get(f"/play/{code}", headers={**EN, "If-Modified-Since": own})
    assert again.status_code == 200 and 'class="answer-form"' in again.get_data(as_text=True) and counted == []

    for phone in (bo, cy):  # the others answer: the reveal, and Ann's date no longer matches
        phone.post(f"/play/{code}/answer", data={"question": "0", "choice": "0"})
    reveal = ann.get(f"/play/{code}", headers={**EN, "If-Modified-Since": answered})
    assert reveal.status_code == 200 and 'data-phase="reveal"' in reveal.get_data(as_text=True)
