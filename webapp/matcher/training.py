"""What the matcher learns from, read from a content catalog (duck-typed: no import of the catalog package).

Every example is labelled with a scam slug or, for what is not a scam, "~" and the small-talk intent
whose reply fits (benign look-alikes, marketing and everyday matters answer with "~notice", labelled
"~notice:look-alike", "~notice:marketing", "~notice:everyday" so that stage 2 learns each kind on its own;
benign.yaml may also add texts to a chat intent by its name). `held_out` examples are the
ones a benchmark may leave out and ask: explainer phrases, scam scripts, benign texts, intent phrases;
titles, red flags, names and keywords are always learned.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    label: str  # slug, or "~intent"
    text: str
    lang: str  # zh-Hans | zh-Hant | en
    register: str  # phrase | pasted | narrated | smalltalk | fixed
    source: str  # the slug or key it was written under (benign look-alikes: the scam type they resemble)
    held_out: bool  # may be left out and asked
    also: tuple[str, ...] = ()  # other types this scam text fits as well (overlaps.yaml): right answers too


def examples(catalog) -> list[Example]:
    found: list[Example] = []
    training = getattr(catalog, "training", None)
    overlaps = getattr(training, "overlaps", {})
    for slug, scam_type in catalog.types.items():
        for locale in ("zh-Hans", "en"):
            explainer = catalog.explainer(slug, locale)
            found += [Example(slug, p, locale, "phrase", slug, True, overlaps.get((slug, p), ()))
                      for p in explainer.phrases]
            fixed = (explainer.title, *explainer.red_flags, *explainer.keywords)
            found += [Example(slug, t, locale, "fixed", slug, False) for t in fixed]
        found += [Example(slug, scam_type.name.zh_Hans, "zh-Hans", "fixed", slug, False),
                  Example(slug, scam_type.name.en, "en", "fixed", slug, False)]
    for name, intent in catalog.chat.intents.items():
        for phrase in intent.phrases:
            lang = "en" if phrase.isascii() else "zh-Hans"
            found.append(Example(f"~{name}", phrase, lang, "smalltalk", name, True))
    if training is not None:
        found += [Example(t.label, t.text, t.lang, t.register, t.label, True, overlaps.get((t.label, t.text), ()))
                  for t in training.scripts]
        intents = set(catalog.chat.intents)
        found += [Example(f"~{t.label}" if t.label in intents else f"~notice:{kind_of_benign(t.label, catalog.types)}",
                          t.text, t.lang, t.register, t.label, True) for t in training.benign]
    return found


def kind_of_benign(key: str, types) -> str:
    """The kind of a benign text written under `key` that is no chat intent: the look-alike of a scam type,
    marketing, an everyday matter. Stage 2 learns each kind as its own class; all answer as "notice"."""
    return "look-alike" if key in types else key


def roles(catalog) -> dict[str, str]:
    return {slug: scam_type.role for slug, scam_type in catalog.types.items()}
