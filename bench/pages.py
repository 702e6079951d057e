"""Bytes a phone downloads for a first view, and gunicorn's requests per second on a scam page.

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

    with gunicorn() as port:
        for path in ("/scams/rent-sell-cards",):
            result = run_load("127.0.0.1", port, path, args.seconds, args.concurrency, headers={"Accept-Encoding": "gzip"})
            print(
                f"gunicorn 2 sync workers, GET {path}: {result['rps']:.0f} requests/s over {result['seconds']:.1f} s, "
                f"{args.concurrency} connections; p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms; "
                f"{result['errors']} errors of {result['requests']}"
            )


if __name__ == "__main__":
    main()
