"""Load content/ and quizzes/ into a Catalog, or report every problem with its file and field."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import markdown
import nh3
from pydantic import BaseModel, ValidationError

from .hant import to_hant
from .model import (
    Catalog, ChatTexts, Explainer, Hotline, Intent, LawRef, ScamType,
)
from .pages import MarkdownFiles
from .quizfiles import QuizFiles
from .trainingfiles import TrainingFiles
from .schema import (
    AUTHORED_LOCALES,
    LOCALES,
    AuthoredText,
    ChatFile,
    ExplainerFile,
    LawFile,
    LawNoteFile,
    ScamTypeFile,
    Text,
)
from .yaml_text import YAMLError, load_yaml

ALLOWED_TAGS = {"p", "strong", "em", "ul", "ol", "li", "blockquote", "br", "h3", "h4"}


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}" if self.field else f"{self.file}: {self.message}"


class ContentError(Exception):
    """Content is broken; str() lists every problem, one per line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = [f"Content check failed with {len(problems)} problem(s):"] + [f"  {p}" for p in problems]
        super().__init__("\n".join(lines))


def traditional(text: str) -> str:
    return to_hant(text)


class _Loader(MarkdownFiles, QuizFiles, TrainingFiles):
    def __init__(self, content_dir: Path, quiz_dir: Path):
        self.content_dir, self.quiz_dir = content_dir, quiz_dir
        self.root = content_dir.parent
        self.problems: list[Problem] = []

    # -- helpers -------------------------------------------------------------
    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def problem(self, path: Path, field: str, message: str) -> None:
        self.problems.append(Problem(self.rel(path), field, message))

    def read_yaml(self, path: Path, text: str | None = None) -> Any:
        try:
            if text is None:
                text = path.read_text(encoding="utf-8")
            return load_yaml(text)
        except FileNotFoundError:
            self.problem(path, "", "file is missing")
        except UnicodeDecodeError:
            self.problem(path, "", "file is not UTF-8 text")
        except YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            self.problem(path, "", f"bad YAML: {where}{getattr(error, 'problem', None) or error}")
        return None

    def validate(self, model: type[BaseModel], data: Any, path: Path, prefix: str = "") -> Any:
        try:
            return model.model_validate(data)
        except ValidationError as error:
            for item in error.errors():
                field = ".".join(str(part) for part in (prefix, *item["loc"]) if part != "")
                self.problem(path, field or "(top)", item["msg"])
        return None

    @staticmethod
    def text(value: AuthoredText) -> Text:
        return Text(zh_Hans=value.zh_Hans, en=value.en, zh_Hant=value.zh_Hant or traditional(value.zh_Hans))

    # -- the parts -------------------------------------------------------------
    def scam_types(self) -> dict[str, ScamType]:
        path = self.content_dir / "scam-types.yaml"
        data = self.read_yaml(path)
        if data is None:
            return {}
        if not isinstance(data, list):
            self.problem(path, "(top)", "must be a list of scam types")
            return {}
        types: dict[str, ScamType] = {}
        for index, item in enumerate(data):
            entry = self.validate(ScamTypeFile, item, path, prefix=str(index))
            if entry is None:
                continue
            if entry.slug in types:
                self.problem(path, f"{index}.slug", f"duplicate slug {entry.slug!r}")
            name = Text(zh_Hans=entry.zh, zh_Hant=traditional(entry.zh), en=entry.en)
            types[entry.slug] = ScamType(entry.slug, name, entry.role, entry.audiences, rank=index)
        return types

    def law(self) -> tuple[dict[str, LawRef], tuple[Hotline, ...]]:
        path = self.content_dir / "law.yaml"
        data = self.read_yaml(path)
        law_file = self.validate(LawFile, data, path) if data is not None else None
        if law_file is None:
            return {}, ()
        refs: dict[str, LawRef] = {}
        groups: dict[str, int] = {}
        for index, ref in enumerate(law_file.refs):
            if ref.id in refs:
                self.problem(path, f"refs.{index}.id", f"duplicate id {ref.id!r}")
            group = groups.setdefault(ref.law.zh_Hans, len(groups))
            refs[ref.id] = LawRef(
                ref.id, self.text(ref.law), self.text(ref.article), self.text(ref.summary),
                self.text(ref.penalty) if ref.penalty else None, ref.status, group, ref.source_kind,
            )
        hotlines = tuple(Hotline(h.number, self.text(h.role), h.region) for h in law_file.hotlines)
        notes_path = self.content_dir / "law-notes.yaml"
        notes = self.read_yaml(notes_path) if notes_path.exists() else None
        for law_id, item in (notes or {}).items():
            note = self.validate(LawNoteFile, item, notes_path, prefix=str(law_id))
            if law_id not in refs:
                self.problem(notes_path, str(law_id), f"unknown law id {law_id!r} (not in content/law.yaml)")
            elif note is not None:
                refs[law_id] = replace(refs[law_id], later=self.text(note.later))
        return refs, hotlines

    def explainer_file(self, path: Path) -> tuple[ExplainerFile | None, str]:
        data, body = self.front_matter(path)
        return (self.validate(ExplainerFile, data, path) if data is not None else None), body

    def explainers(self, types: dict[str, ScamType], law: dict[str, LawRef]) -> dict[tuple[str, str], Explainer]:
        scams_dir = self.content_dir / "scams"
        explainers: dict[tuple[str, str], Explainer] = {}
        if scams_dir.is_dir():
            for folder in sorted(p for p in scams_dir.iterdir() if p.is_dir()):
                if folder.name not in types:
                    self.problem(folder, "", f"unknown scam slug {folder.name!r} (not in content/scam-types.yaml)")
        for slug, scam_type in types.items():
            authored: dict[str, tuple[ExplainerFile, str]] = {}
            for locale in LOCALES:
                path = scams_dir / slug / f"{locale}.md"
                if locale not in AUTHORED_LOCALES and not path.exists():
                    continue  # zh-Hant is derived below
                parsed, body = self.explainer_file(path)
                if parsed is None:
                    continue
                self.cross_check(path, parsed, body, scam_type, types, law)
                authored[locale] = (parsed, body)
            if "zh-Hans" in authored and "zh-Hant" not in authored:
                parsed, body = authored["zh-Hans"]
                authored["zh-Hant"] = (self.to_traditional(parsed), traditional(body))
            if "zh-Hant" in authored:
                self.check_hant(scams_dir / slug / "zh-Hant.md", authored["zh-Hant"])
            for locale, (parsed, body) in authored.items():
                explainers[(slug, locale)] = self.build_explainer(slug, locale, parsed, body)
        return explainers

    def cross_check(self, path: Path, parsed: ExplainerFile, body: str, scam_type: ScamType,
                    types: dict[str, ScamType], law: dict[str, LawRef]) -> None:
        if parsed.role != scam_type.role:
            self.problem(path, "role", f"is {parsed.role!r} but scam-types.yaml says {scam_type.role!r}")
        if set(parsed.audiences) != set(scam_type.audiences):
            self.problem(path, "audiences", f"must be {list(scam_type.audiences)} as in scam-types.yaml")
        for index, law_id in enumerate(parsed.law):
            if law_id not in law:
                self.problem(path, f"law.{index}", f"unknown law id {law_id!r} (not in content/law.yaml)")
        for index, other in enumerate(parsed.related):
            if other not in types or other == scam_type.slug:
                self.problem(path, f"related.{index}", f"unknown or self slug {other!r}")
        if scam_type.role == "accomplice" and not parsed.risk:
            self.problem(path, "risk", "accomplice types must say plainly what the person risks")
        if not body.strip():
            self.problem(path, "(body)", "the realistic case is missing")

    @staticmethod
    def to_traditional(parsed: ExplainerFile) -> ExplainerFile:
        def convert(value: Any) -> Any:
            if isinstance(value, str):
                return traditional(value)
            if isinstance(value, tuple):
                return tuple(convert(v) for v in value)
            return value

        textual = ("title", "summary", "steps", "red_flags", "what_to_do", "risk", "phrases", "keywords")
        return parsed.model_copy(update={name: convert(getattr(parsed, name)) for name in textual})

    @staticmethod
    def build_explainer(slug: str, locale: str, parsed: ExplainerFile, body: str) -> Explainer:
        html = nh3.clean(markdown.markdown(body), tags=ALLOWED_TAGS, attributes={})
        points = parsed.risk if isinstance(parsed.risk, tuple) else ((parsed.risk,) if parsed.risk else ())
        risk = ("" if locale.startswith("zh") else " ").join(points) or None
        return Explainer(
            slug=slug, locale=locale, title=parsed.title, summary=parsed.summary, audiences=parsed.audiences,
            role=parsed.role, steps=parsed.steps, red_flags=parsed.red_flags, what_to_do=parsed.what_to_do,
            law=parsed.law, risk=risk, risk_points=points, phrases=parsed.phrases, keywords=parsed.keywords,
            related=parsed.related, body_html=html,
        )

    def chat(self) -> ChatTexts | None:
        path = self.content_dir / "chat.yaml"
        data = self.read_yaml(path)
        chat = self.validate(ChatFile, data, path) if data is not None else None
        if chat is None:
            return None
        intents = {
            name: Intent(name, (*intent.phrases.zh_Hans, *intent.phrases.en), self.text(intent.reply))
            for name, intent in chat.intents.items()
        }
        steps = chat.emergency_steps
        return ChatTexts(
            intents=MappingProxyType(intents), fallback=self.text(chat.fallback), disclaimer=self.text(chat.disclaimer),
            urgent_intro=self.text(chat.urgent_intro), accomplice_intro=self.text(chat.accomplice_intro),
            recovery_warning=self.text(chat.recovery_warning),
            emergency_steps=MappingProxyType({
                "zh-Hans": steps.zh_Hans, "zh-Hant": tuple(traditional(s) for s in steps.zh_Hans), "en": steps.en,
            }),
        )


def load_catalog(content_dir: str | Path, quiz_dir: str | Path) -> Catalog:
    """Load and validate everything; raise ContentError listing every problem."""
    loader = _Loader(Path(content_dir), Path(quiz_dir))
    types = loader.scam_types()
    law, hotlines = loader.law()
    explainers = loader.explainers(types, law)
    quizzes = loader.quizzes(types)
    chat = loader.chat()
    training = loader.training(types, set(chat.intents) if chat else set(), explainers)
    pages = loader.pages()
    if loader.problems:
        raise ContentError(loader.problems)
    return Catalog(
        types=MappingProxyType(types), explainers=MappingProxyType(explainers), law=MappingProxyType(law),
        hotlines=hotlines, quizzes=MappingProxyType(quizzes), chat=chat,
        training=training, pages=MappingProxyType(pages),
    )


def check(content_dir: str | Path, quiz_dir: str | Path) -> list[Problem]:
    try:
        load_catalog(content_dir, quiz_dir)
    except ContentError as error:
        return error.problems
    return []
