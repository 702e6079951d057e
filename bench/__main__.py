"""`make bench`: every benchmark, one after the other."""

from . import chat, pages

print("== chatbot on the dev set ==")
chat.main(["--no-misses", "--held-out"])
print("\n== pages ==")
pages.main([])
