"""Bytes a phone downloads for a first view, and gunicorn's requests per second on shared pages, side by side
with a trivial Flask app on the same gunicorn (the framework's limit here).

    python -m bench.pages [--seconds 10] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import gzip
import re
from pathlib import Path

from webapp import create_app

from .load import gunicorn, run_load

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 60 * 1024


def first_view_bytes(client, path: str) -> dict:
    """Transferred bytes (gzip) of a page and everything it loads, as a browser with an empty cache."""
    sizes = {}
    response = client.get(path, headers={"Accept-Encoding": "gzip"})
    sizes[path] = len(response.data)
    html = gzip.decompress(response.data).decode() if response.headers.get("Content-Encoding") == "gzip" else response.get_data(as_text=True)
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        sizes[asset] = len(client.get(asset, headers={"Accept-Encoding": "gzip"}).data)
    return sizes




def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--no-cache", action="store_true", help="the site with PAGE_CACHE off (the before figure)")
    args = parser.parse_args(argv)

    app = create_app({"TESTING": True, "RATELIMIT_ENABLED": False})
    client = app.test_client()
    for path in ("/", "/scams/rent-sell-cards", "/chat"):
        sizes = first_view_bytes(client, path)
        total = sum(sizes.values())
        verdict = "within" if total <= BUDGET else "OVER"
        print(f"first view {path}: {total / 1024:.1f} KB gzip ({verdict} the 60 KB budget)")
        for name, size in sizes.items():
            print(f"    {size:>7} B  {name}")

    gzip_headers = {"Accept-Encoding": "gzip", "Accept-Language": "zh-CN,zh;q=0.9"}
    with gunicorn("bench.trivial_app:app") as port:
        trivial = run_load("127.0.0.1", port, "/", args.seconds, args.concurrency, headers=gzip_headers)
    print(f"a trivial Flask app, fixed 10 KB page, same gunicorn: {_line(trivial)}")
    with gunicorn(**({"PAGE_CACHE": "0"} if args.no_cache else {})) as port:
        for path in ("/scams/rent-sell-cards", "/", "/law", "/for/elderly"):
            result = run_load("127.0.0.1", port, path, args.seconds, args.concurrency, headers=gzip_headers)
            print(f"GET {path}: {_line(result)}; {result['rps'] / trivial['rps']:.2f} of the trivial app")
        etag = _etag(port, "/scams/rent-sell-cards", gzip_headers)
        repeat = run_load("127.0.0.1", port, "/scams/rent-sell-cards", args.seconds, args.concurrency,
                          headers={**gzip_headers, "If-None-Match": etag}, expect=304)
        print(f"repeat visit (If-None-Match) /scams/rent-sell-cards: {_line(repeat)}")


def _line(result: dict) -> str:
    return (f"{result['rps']:.0f} requests/s over {result['seconds']:.1f} s, p50 {result['p50']:.1f} ms, "
            f"p99 {result['p99']:.1f} ms, {result['errors']} errors of {result['requests']}")


def _etag(port: int, path: str, headers: dict) -> str:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.getheader("ETag", "")


if __name__ == "__main__":
    main()
