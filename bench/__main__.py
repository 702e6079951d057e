"""`make bench`: every benchmark, one after the other."""

from . import chat, classroom, pages

print("== chatbot on the dev set ==")
chat.main(["--held-out"])  # with the misses, as issue 5 asks
print("\n== pages ==")
pages.main([])
failures = 0
for database in ("sqlite", "postgresql"):
    print(f"\n== a live class session: 300 real-behaving phones, {database} ==")
    failures += classroom.failed(classroom.main(["--database", database]))  # latency alone never fails
for phones in (1000, 2000):  # issue 19's targets: p95 < 100 ms, and < 250 ms
    print(f"\n== a school assembly: {phones:,} real-behaving phones joining at once, postgresql ==")
    failures += classroom.failed(classroom.main(["--players", str(phones), "--questions", "3", "--time-limit", "20",
                                                 "--database", "postgresql"]))
if failures:  # answers lost, duplicated or rescored, or server errors
    raise SystemExit(1)
