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
print("\n== a school assembly: 1,000 real-behaving phones, postgresql (issue 19's target) ==")
failures += classroom.failed(classroom.main(["--players", "1000", "--questions", "3", "--time-limit", "20",
                                             "--database", "postgresql"]))
if failures:  # answers lost, duplicated or rescored, or server errors
    raise SystemExit(1)
