"""The yardstick for bench.pages: a Flask app that returns one fixed 10 KB page, on the same gunicorn."""

from flask import Flask

app = Flask(__name__)
PAGE = ("<!doctype html><title>x</title>" + "<p>" + "反诈" * 1700 + "</p>").encode()[:10 * 1024]


@app.get("/")
def page():
    return PAGE, 200, {"Content-Type": "text/html; charset=utf-8"}
