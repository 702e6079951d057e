"""content/training/: the texts that only teach the chatbot's matcher (scam scripts, benign look-alikes, the
labelled urgency set) and the scam texts that fit a second type (overlaps.yaml). A part of the content loader
(catalog/loader.py)."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

from .model import Explainer, ScamType, Training, TrainingText, UrgencyCase
from .schema import RegisterTexts, UrgencyCaseFile


class TrainingFiles:
    """The loader's training texts; uses its read_yaml, validate and problem helpers and content_dir."""

    def training(self, types: dict[str, ScamType], intents: set[str],
                 explainers: dict[tuple[str, str], Explainer] | None = None) -> Training:
        """content/training/: scam scripts and benign look-alikes by type, the labelled urgency set, and the scam
        texts that fit more than one type (overlaps.yaml)."""
        folder = self.content_dir / "training"
        if not folder.is_dir():
            return Training()
        scripts = self.register_texts(folder / "scripts.yaml", set(types))
        benign = self.register_texts(folder / "benign.yaml", set(types) | {"marketing", "everyday"} | intents)
        urgency: list[UrgencyCase] = []
        path = folder / "urgency.yaml"
        data = self.read_yaml(path)
        if data is not None and not isinstance(data, list):
            self.problem(path, "(top)", "must be a list of {text, urgent, lang, register, family}")
        seen: set[str] = set()
        for index, item in enumerate(data if isinstance(data, list) else []):
            case = self.validate(UrgencyCaseFile, item, path, prefix=str(index))
            if case is None:
                continue
            if case.text in seen:
                self.problem(path, f"{index}.text", "duplicate text")
            seen.add(case.text)
            urgency.append(UrgencyCase(case.text, case.urgent, case.lang, case.register_, case.family))
        if urgency and {c.urgent for c in urgency} != {True, False}:
            self.problem(path, "(top)", "needs both urgent and not urgent texts")
        phrases = {(slug, p) for (slug, _), explainer in (explainers or {}).items() for p in explainer.phrases}
        written = phrases | {(t.label, t.text) for t in scripts}
        overlaps = self.overlaps(folder / "overlaps.yaml", set(types), written)
        return Training(tuple(scripts), tuple(benign), tuple(urgency), MappingProxyType(overlaps))

    def overlaps(self, path: Path, slugs: set[str],
                 written: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, ...]]:
        """slug -> {text: [other slugs]}: each text an explainer phrase or a script written under that slug."""
        data = self.read_yaml(path)
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.problem(path, "(top)", "must map a scam slug to {text: [the other slugs it fits]}")
            return {}
        found: dict[tuple[str, str], tuple[str, ...]] = {}
        for slug, texts in data.items():
            if slug not in slugs:
                self.problem(path, str(slug), f"unknown scam slug {slug!r}")
                continue
            if not isinstance(texts, dict):
                self.problem(path, str(slug), "must map each text to a list of other scam slugs")
                continue
            for text, others in texts.items():
                where = f"{slug}.{str(text)[:30]}"
                if (slug, text) not in written:
                    self.problem(path, where, "no explainer phrase or script under this slug has this text")
                elif not isinstance(others, list) or not others or not all(isinstance(o, str) for o in others):
                    self.problem(path, where, "must be a list of other scam slugs")
                elif unknown := [o for o in others if o not in slugs or o == slug]:
                    self.problem(path, where, f"not another scam slug: {', '.join(map(str, unknown))}")
                else:
                    found[slug, text] = tuple(dict.fromkeys(others))
        return found

    def register_texts(self, path: Path, labels: set[str]) -> list[TrainingText]:
        data = self.read_yaml(path)
        if data is None:
            return []
        if not isinstance(data, dict):
            self.problem(path, "(top)", "must map a scam slug to its texts by register and language")
            return []
        texts: list[TrainingText] = []
        seen: set[str] = set()
        for label, item in data.items():
            if label not in labels:
                self.problem(path, str(label), f"unknown key {label!r}: a scam slug{', marketing, everyday or a chat intent' if 'marketing' in labels else ''}")
                continue
            entry = self.validate(RegisterTexts, item, path, prefix=str(label))
            if entry is None:
                continue
            for register in ("pasted", "narrated"):
                by_locale = getattr(entry, register)
                for lang, field in (("zh-Hans", "zh_Hans"), ("zh-Hant", "zh_Hant"), ("en", "en")):
                    for index, text in enumerate(getattr(by_locale, field)):
                        if text in seen:
                            self.problem(path, f"{label}.{register}.{lang}.{index}", "duplicate text")
                        seen.add(text)
                        texts.append(TrainingText(label, text, lang, register))
        return texts
