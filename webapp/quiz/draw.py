"""Which questions a run asks: one per scam type while the bank has types left, the audience's most
common scams more often. Pure: the caller passes the random source (secure for solo runs, seeded for
reproducible event sessions)."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence

from ..catalog import Question, ScamType

LISTED_MOST, LISTED_LEAST, UNLISTED = 4.0, 2.0, 1.0  # relative chance of a type being drawn


def type_weights(audience_types: Sequence[ScamType]) -> dict[str, float]:
    """The audience's own types, most common first (Catalog.types_for), weigh from 4 down to 2;
    any other type in the bank weighs 1."""
    last = max(len(audience_types) - 1, 1)
    return {
        t.slug: LISTED_MOST - (LISTED_MOST - LISTED_LEAST) * index / last
        for index, t in enumerate(audience_types)
    }


def draw(questions: Iterable[Question], length: int, weights: Mapping[str, float], rng: random.Random) -> list[Question]:
    """Up to `length` different questions. Each round takes one question from each of a weighted
    sample of the types still left (Efraimidis-Spirakis keys), so a run covers `length` different
    types whenever the bank has that many; only then does a type come round a second time."""
    pools: dict[str, list[Question]] = {}
    for question in questions:
        pools.setdefault(question.slug, []).append(question)
    for pool in pools.values():
        rng.shuffle(pool)
    picked: list[Question] = []
    while len(picked) < length and pools:
        keys = {slug: rng.random() ** (1.0 / weights.get(slug, UNLISTED)) for slug in pools}
        for slug in sorted(pools, key=keys.__getitem__, reverse=True)[: length - len(picked)]:
            picked.append(pools[slug].pop())
            if not pools[slug]:
                del pools[slug]
    rng.shuffle(picked)
    return picked
