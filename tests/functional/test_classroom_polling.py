"""Polling a live session stays cheap: during a question a phone gets 304 until something it shows
changes, while the host's screen still sees every new answer."""

from __future__ import annotations

from tests import factories
from webapp.classroom import live as classroom

API = "/api/v1/sessions"


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_answers_do_not_wake_every_phone_but_the_host_sees_the_count(app, client):
    with app.app_context():
        organizer = factories.organizer()
        live, host_token = classroom.create_session(organizer.id, app.extensions["catalog"].quizzes["elderly-basics"], count=2)
        code = live.code
    tokens = [client.post(f"{API}/{code}/players", json={"nickname": name}).get_json()["player_token"] for name in ("A", "B", "C")]
    assert client.post(f"{API}/{code}/advance", headers=bearer(host_token)).status_code == 200

    def poll(token, etag=None):
        headers = bearer(token) | ({"If-None-Match": etag} if etag else {})
        response = client.get(f"{API}/{code}/state", headers=headers)
        return response.status_code, response.headers["ETag"], response.get_json(silent=True)

    _, phone_etag, phone_state = poll(tokens[2])
    _, host_etag, host_state = poll(host_token)
    assert phone_state["phase"] == "question" and host_state["answers"] == 0
    assert phone_state["leaderboard"] == []  # sent between questions only

    client.post(f"{API}/{code}/answers", headers=bearer(tokens[0]), json={"question": 0, "choice": 0})

    assert poll(tokens[2], phone_etag)[0] == 304  # C's screen has not changed
    status, host_etag, host_state = poll(host_token, host_etag)
    assert status == 200 and host_state["answers"] == 1  # the host's count has
    status, _, own = poll(tokens[0])
    assert own["me"]["answered"] is True
    assert poll(tokens[0], phone_etag)[0] == 200  # A's own view changed: answered

    client.post(f"{API}/{code}/answers", headers=bearer(tokens[1]), json={"question": 0, "choice": 0})
    client.post(f"{API}/{code}/answers", headers=bearer(tokens[2]), json={"question": 0, "choice": 1})
    status, _, revealed = poll(tokens[2], phone_etag)  # everyone answered: the reveal wakes every phone
    assert status == 200 and revealed["phase"] == "reveal"
    assert sum(revealed["reveal"]["counts"]) == 3
    board = revealed["leaderboard"]
    assert sorted(row["nickname"] for row in board) == ["A", "B", "C"]
    # ties share a rank (1, 1, 3): A and B chose the same, so equal points mean equal right answers too
    assert [row["rank"] for row in board] == [1 + sum(o["points"] > row["points"] for o in board) for row in board]
    assert [row["points"] for row in board] == sorted((row["points"] for row in board), reverse=True)
    chose = {"A": [0], "B": [0], "C": [1]}  # only a right answer scores
    assert all((row["points"] > 0) is (chose[row["nickname"]] == revealed["reveal"]["answer"]) for row in board)
    assert revealed["me"]["rank"] == next(row["rank"] for row in board if row["nickname"] == "C")
