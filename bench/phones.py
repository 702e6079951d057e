"""Phones as they really are in a class: a browser that loads HTML pages, keeps cookies, posts forms and
follows the 303; with JavaScript it polls /play/<code>/state with If-None-Match at the interval the
server sets (as static/js/classroom.js does) and, when the phase or the question changes, swaps in the
fragment the poll brought instead of loading a page; without it, the page's <noscript> refresh reloads it
every 3 s (more in a big session) while it waits.

Retries as a phone does them: a failed poll (no connection, a 5xx) waits for the next tick; a failed
page load is tried again after 2 s (the person taps reload); a failed answer is sent again after 1-3 s.
Used by bench/classroom.py; everything here is plain http.client, loopback only.
"""

from __future__ import annotations

import gzip
import html
import http.client
import json
import random
import re
import threading
import time
from urllib.parse import urlencode

POLL_SECONDS = 2.0
REFRESH_SECONDS = 3.0  # the <noscript> meta refresh of the play page
KINDS = ("join", "page", "poll", "answer", "answer_trip")

_attr = {name: re.compile(rf'data-{name}="([^"]*)"')
         for name in ("phase", "index", "state-url", "csrf", "etag", "remaining", "poll-ms")}
_csrf = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
_refresh = re.compile(r'http-equiv="refresh" content="(\d+)"')
_points = re.compile(r'class="points">\+(\d+)')


class Failed(Exception):
    """A request that got no usable answer: no connection, a timeout, or a 5xx."""


class Browser:
    """One phone's browser: one keep-alive connection (re-opened when the server closes it), a cookie jar
    that honours cookie paths, latencies recorded per request kind into `out`."""

    def __init__(self, port: int, out: dict, game=None):
        self.port, self.out, self.game = port, out, game  # game: an Event set when the host starts
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, tuple[str, str]] = {}  # name → (value, path)

    def send(self, kind: str, method: str, path: str, body: bytes | None = None, headers=None):
        headers = {"Accept-Encoding": "gzip", **(headers or {})}  # as every phone's browser: ETags then read "…:gzip"
        jar = [f"{name}={value}" for name, (value, cookie_path) in self.cookies.items() if path.startswith(cookie_path)]
        if jar:
            headers["Cookie"] = "; ".join(jar)
        started = time.perf_counter()
        for attempt in (1, 2):
            reused = self.connection.sock is not None
            if not reused:
                self.out["connects"].append(1)  # a new TCP connection (the first, or the server closed the last)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                payload = response.read()
                if response.getheader("Content-Encoding", "") == "gzip":
                    payload = gzip.decompress(payload)
                break
            except (OSError, http.client.HTTPException) as error:
                self.connection.close()
                if reused and attempt == 1:  # the server had closed the idle connection: a browser retries at once
                    continue
                self.out["failures"].append(f"{kind}: {type(error).__name__}")
                raise Failed(kind) from error
        self.out[kind].append((time.perf_counter() - started) * 1000)
        self.out["trace"].append((time.time(), kind, self.out[kind][-1]))  # for bench.classroom --timeline
        if self.game is not None and self.game.is_set():
            self.out[f"game_{kind}"].append(self.out[kind][-1])
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        for line in response.msg.get_all("Set-Cookie") or []:
            name, _, value = line.split(";", 1)[0].partition("=")
            path_match = re.search(r"Path=([^;]+)", line)
            self.cookies[name.strip()] = (value.strip(), path_match.group(1).strip() if path_match else "/")
        if response.status >= 500:
            self.out["failures"].append(f"{kind}: {response.status}")
            raise Failed(kind)
        return response.status, response, payload

    def form(self, kind: str, path: str, fields) -> tuple[int, str | None]:
        status, response, _ = self.send(kind, "POST", path, urlencode(fields, doseq=True).encode(),
                                        {"Content-Type": "application/x-www-form-urlencoded"})
        return status, response.getheader("Location")


class Page:
    """What a phone reads off the play page."""

    def __init__(self, text: str):
        self.text = text
        self.last_modified: str | None = None  # the response's, for a refresh
        found = {name: (m.group(1) if (m := pattern.search(text)) else None) for name, pattern in _attr.items()}
        self.phase, self.state_url = found["phase"], html.unescape(found["state-url"] or "")
        self.index = int(found["index"]) if found["index"] else None
        self.etag = html.unescape(found["etag"] or "")
        self.remaining = float(found["remaining"]) if found["remaining"] else None
        self.poll_seconds = int(found["poll-ms"]) / 1000 if found["poll-ms"] else POLL_SECONDS  # the server sets it
        self.csrf = (m.group(1) if (m := _csrf.search(text)) else found["csrf"])
        self.choices = text.count('name="choice"')
        self.multiple = 'type="checkbox" name="choice"' in text
        refresh = _refresh.search(text)
        self.refreshes = refresh is not None
        self.refresh_seconds = int(refresh.group(1)) if refresh else REFRESH_SECONDS  # the server sets it too
        self.can_answer = 'class="answer-form"' in text
        self.late = 'class="feedback late"' in text or 'data-reason="too_late"' in text
        self.refused = 'class="notice error"' in text
        points = _points.search(text)
        self.points = int(points.group(1)) if points else None

    @classmethod
    def swapped(cls, body: dict, before: "Page", etag: str) -> "Page":
        """The page after classroom.js swapped in the phase a poll brought (its fragment and `me`)."""
        page = cls(body["html"])
        page.phase, page.index, page.remaining = body["phase"], body["index"], body["remaining"]
        page.poll_seconds = body["poll_ms"] / 1000 or before.poll_seconds
        page.state_url, page.csrf, page.etag = before.state_url, before.csrf, etag
        me = body.get("me") or {}  # a question's shared body has none
        page.late = me.get("feedback") == "late"
        page.points = me.get("gained") if me.get("feedback") == "right" else None
        return page


class Phone:
    """One player on one phone: join with the form, then play to the end."""

    def __init__(self, port: int, code: str, nickname: str, *, javascript: bool, resend: bool, time_limit: int,
                 stop: threading.Event, out: dict, form_answers: bool = False, game=None, typing=(0.0, 0.0)):
        self.browser = Browser(port, out, game)
        self.code, self.nickname, self.javascript, self.resend = code, nickname, javascript, resend
        self.time_limit, self.stop, self.out = time_limit, stop, out
        self.form_answers = form_answers  # with JavaScript, still the plain form (classroom.js before fetch)
        self.typing = typing  # (low, high) seconds to type a nickname
        self.rng = random.Random(nickname)
        self.page: Page | None = None
        self.answered: set[int] = set()

    def run(self) -> None:
        try:
            self._join()
            while not self.stop.is_set() and self.page.phase != "finished":
                self._step()
        except Exception as error:  # never a silent thread death: counted as an error
            self.out["errors"].append(f"{self.nickname}: {type(error).__name__}: {error}"[:200])

    def _retrying(self, action, wait: tuple[float, float]):
        while not self.stop.is_set():
            try:
                return action()
            except Failed:
                self.stop.wait(self.rng.uniform(*wait))
        return None

    def load(self, refresh: bool = False) -> None:
        """Load the play page; a <noscript> refresh sends back the page's Last-Modified as Chromium does
        (If-Modified-Since; never an ETag there) and keeps the page it has on a 304."""
        def get():
            kept = self.page if refresh else None
            headers = {"If-Modified-Since": kept.last_modified} if kept is not None and kept.last_modified else {}
            status, response, payload = self.browser.send("page", "GET", f"/play/{self.code}", headers=headers)
            if status == 304 and kept is not None:
                return kept
            if status != 200:
                raise AssertionError(f"play page {status}")
            page = Page(payload.decode())
            page.last_modified = response.getheader("Last-Modified")
            return page
        page = self._retrying(get, (2.0, 2.0))
        if page is not None:
            self.show(page)

    def show(self, page: Page) -> None:
        self.page = page
        if page.phase == "reveal" and page.points is not None and page.index is not None:
            self.out["points_seen"].append((self.nickname, page.index, page.points))

    def _join(self) -> None:
        typing = [self.rng.uniform(*self.typing)]  # the nickname, typed once the form is open (not again on a retry)

        def join():
            status, _, payload = self.browser.send("page", "GET", f"/join?code={self.code}")
            token = _csrf.search(payload.decode()).group(1)
            if typing and self.stop.wait(typing.pop()):
                return
            status, location = self.browser.form("join", "/join", {"code": self.code, "nickname": self.nickname, "csrf_token": token})
            if status != 303 or location != f"/play/{self.code}":
                raise AssertionError(f"join {status} {location}")
        self._retrying(join, (1.0, 3.0))
        self.load()

    def _step(self) -> None:
        page = self.page
        if page.can_answer and page.index not in self.answered:
            think = self.rng.uniform(1.0, max(1.5, min(6.0, self.time_limit - 2.0)))  # reading, thinking
            due = time.monotonic() + think
            if self.javascript and self._poll_until_change(until=due):
                return  # the question closed while they were thinking: the page has reloaded
            if self.stop.wait(max(0.0, due - time.monotonic())):
                return
            self._answer(page)
        elif self.javascript:
            self._poll_until_change()
        elif page.refreshes:
            self.stop.wait(page.refresh_seconds)
            self.load(refresh=True)
        else:
            raise AssertionError(f"a page without JavaScript that never moves on: phase {page.phase}")

    def _answer(self, page: Page) -> None:
        choice = [0, 1] if page.multiple and page.choices > 1 else [self.rng.randrange(page.choices)]
        fields = {"csrf_token": page.csrf, "question": str(page.index), "choice": [str(c) for c in choice]}

        def post():
            started = time.perf_counter()
            status, _location = self.browser.form("answer", f"/play/{self.code}/answer", fields)
            if status != 303:
                raise AssertionError(f"answer {status}")
            self.load()
            self.out["answer_trip"].append((time.perf_counter() - started) * 1000)

        def fetch():
            """classroom.js: the form sent with fetch, a JSON reply, no page; on a network failure, the plain POST."""
            started = time.perf_counter()
            try:
                status, _, payload = self.browser.send(
                    "answer", "POST", f"/play/{self.code}/answer", urlencode(fields, doseq=True).encode(),
                    {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
                )
            except Failed:
                return post()
            self.out["answer_trip"].append((time.perf_counter() - started) * 1000)
            if status == 200 and json.loads(payload).get("accepted"):
                return "sent"
            if status != 409:
                raise AssertionError(f"answer {status} {payload[:100]!r}")
            # too late, or the question moved on: the page says so, and its next poll brings the reveal
            return "late" if json.loads(payload).get("reason") == "too_late" else "refused"

        outcome = None
        for _send in range(2 if self.resend else 1):  # a double tap on a bad network
            outcome = self._retrying(fetch if self.javascript and not self.form_answers else post, (1.0, 3.0))
        self.answered.add(page.index)
        if outcome in ("sent", "late", "refused"):
            self.out[{"sent": "accepted"}.get(outcome, outcome)].append((self.nickname, page.index))
            return
        after = self.page
        if after.late:
            self.out["late"].append((self.nickname, page.index))
        elif not after.refused:
            self.out["accepted"].append((self.nickname, page.index))
        else:
            self.out["refused"].append((self.nickname, page.index))

    def _poll_until_change(self, until: float | None = None) -> bool:
        """Poll as classroom.js does until the phase or question changes (then reload the page and return
        True) or, with `until`, until that time comes (False)."""
        page, etag = self.page, self.page.etag
        interval = page.poll_seconds
        ends = time.monotonic() + page.remaining if page.remaining is not None else None
        next_poll = time.monotonic() + interval
        while not self.stop.is_set():
            if ends is not None and time.monotonic() < ends:
                next_poll = min(next_poll, ends + self.rng.uniform(0.3, 1.3))  # at zero the countdown asks soon
            if until is not None and until <= next_poll:
                self.stop.wait(max(0.0, until - time.monotonic()))
                return False
            if self.stop.wait(max(0.0, next_poll - time.monotonic())):
                return False
            next_poll = time.monotonic() + interval
            headers = {"Accept": "application/json", **({"If-None-Match": etag} if etag else {})}
            try:
                status, response, payload = self.browser.send("poll", "GET", page.state_url, headers=headers)
            except Failed:
                continue  # offline for a moment: the next tick tries again
            finally:
                next_poll = time.monotonic() + interval  # counted from the answer, as classroom.js does
            if status == 304:
                self.out["poll_304"].append(1)
                if int(response.getheader("X-Poll-Ms") or 0) > 0:  # a lobby's interval as the hall fills (classroom.js)
                    interval = page.poll_seconds = int(response.getheader("X-Poll-Ms")) / 1000
                    next_poll = time.monotonic() + interval
                continue
            etag = response.getheader("ETag") or etag
            state = json.loads(payload)
            if state.get("reload"):
                self.load()
                return True
            interval = state.get("poll_ms", 0) / 1000 or interval
            if "html" in state:  # /play/<code>/state: the phase comes with the poll
                if (state["phase"], state["index"]) != (page.phase, page.index):
                    self.show(Page.swapped(state, page, etag))
                    return True
                continue
            index = state["question"]["index"] if state.get("question") else None
            if state["phase"] != page.phase or (index is not None and index != page.index):
                self.load()
                return True
        return False


def phones_process(port: int, code: str, nicknames: list[str], options: dict, seconds: float, queue, game=None) -> None:
    """One client process of phone threads; puts what they saw on `queue`. Latencies are also kept apart
    for the game itself (`game_<kind>`: after the multiprocessing Event `game` is set, when the host starts)."""
    import resource

    out = {key: [] for key in (*KINDS, *(f"game_{k}" for k in KINDS), "poll_304", "accepted", "late", "refused",
                               "points_seen", "failures", "errors", "trace", "connects")}
    stop = threading.Event()
    rng = random.Random(nicknames[0])
    threads = [
        threading.Thread(target=Phone(
            port, code, name, javascript=rng.random() >= options["no_js_share"], resend=rng.random() < options["retry_share"],
            time_limit=options["time_limit"], stop=stop, out=out, form_answers=options.get("form_answers", False),
            game=game, typing=tuple(options.get("typing", (0.0, 0.0))),
        ).run, daemon=True)
        for name in nicknames
    ]
    for thread in threads:
        thread.start()
        time.sleep(options.get("join_spacing", 0.01))  # a class doesn't join in the same millisecond
    deadline = time.monotonic() + seconds
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    stop.set()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out["cpu"] = [usage.ru_utime + usage.ru_stime]
    queue.put(out)
