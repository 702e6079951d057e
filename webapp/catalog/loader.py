"""Load content/ and quizzes/ into a Catalog, or report every problem with its file and field."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import markdown
import nh3
import opencc
import yaml
from pydantic import BaseModel, ValidationError

from .model import Catalog, ChatTexts, Explainer, Intent, Hotline, LawRef, Question, Quiz, ScamType
from .schema import (
    AUTHORED_LOCALES,
    LOCALES,
    AuthoredList,
    AuthoredText,
    ChatFile,
    ExplainerFile,
    LawFile,
    QuizFile,
    ScamTypeFile,
    Text,
)

TRUE_FALSE = {"zh-Hans": ("对", "错"), "en": ("True", "False")}
ALLOWED_TAGS = {"p", "strong", "em", "ul", "ol", "li", "blockquote", "br", "h3", "h4"}
# The fewest questions an audience's banks hold together, so that a run of 10 rarely repeats one.
BANK_MINIMUMS = {"elderly": 80, "students": 80, "rural": 80, "general": 60}


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


@lru_cache(maxsize=1)
def _to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2tw")


def traditional(text: str) -> str:
    return _to_traditional().convert(text)


class _Loader:
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
            return yaml.safe_load(text)
        except FileNotFoundError:
            self.problem(path, "", "file is missing")
        except UnicodeDecodeError:
            self.problem(path, "", "file is not UTF-8 text")
        except yaml.YAMLError as error:
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
        return refs, hotlines

    def explainer_file(self, path: Path, text: str | None = None) -> tuple[ExplainerFile | None, str]:
        if text is None:
            try:
                text = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                self.problem(path, "", "file is missing")
                return None, ""
            except UnicodeDecodeError:
                self.problem(path, "", "file is not UTF-8 text")
                return None, ""
        if not text.startswith("---\n") or "\n---" not in text[3:]:
            self.problem(path, "", "must start with YAML front matter between two '---' lines")
            return None, ""
        front, _, body = text[4:].partition("\n---")
        body = body.partition("\n")[2]
        data = self.read_yaml(path, front)
        if data is None:
            return None, body
        if not isinstance(data, dict):
            self.problem(path, "(front matter)", "must be a mapping of fields")
            return None, body
        return self.validate(ExplainerFile, data, path), body

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
        return Explainer(
            slug=slug, locale=locale, title=parsed.title, summary=parsed.summary, audiences=parsed.audiences,
            role=parsed.role, steps=parsed.steps, red_flags=parsed.red_flags, what_to_do=parsed.what_to_do,
            law=parsed.law, risk=parsed.risk, phrases=parsed.phrases, keywords=parsed.keywords,
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

    def quizzes(self, types: dict[str, ScamType]) -> dict[str, Quiz]:
        quizzes: dict[str, Quiz] = {}
        seen_questions: dict[str, str] = {}
        if not self.quiz_dir.is_dir():
            return quizzes
        for path in sorted(self.quiz_dir.glob("*/*.yaml")):
            data = self.read_yaml(path)
            quiz_file = self.validate(QuizFile, data, path) if data is not None else None
            if quiz_file is None:
                continue
            if quiz_file.id != path.stem:
                self.problem(path, "id", f"{quiz_file.id!r} must equal the file name {path.stem!r}")
            if quiz_file.audience != path.parent.name:
                self.problem(path, "audience", f"{quiz_file.audience!r} must equal the folder {path.parent.name!r}")
            if quiz_file.id in quizzes:
                self.problem(path, "id", f"duplicate quiz id {quiz_file.id!r}")
            questions = []
            for index, q in enumerate(quiz_file.questions):
                question = self.question(path, f"questions.{index}", q, types)
                if question is None:
                    continue
                if q.id in seen_questions:
                    self.problem(path, f"questions.{index}.id", f"duplicate question id {q.id!r} (also in {seen_questions[q.id]})")
                seen_questions[q.id] = self.rel(path)
                questions.append(question)
            quizzes[quiz_file.id] = Quiz(
                quiz_file.id, quiz_file.audience, self.text(quiz_file.title), self.text(quiz_file.description),
                tuple(questions), MappingProxyType({q.id: q for q in questions}),
            )
        self.bank_coverage(quizzes, types)
        return quizzes

    def bank_coverage(self, quizzes: dict[str, Quiz], types: dict[str, ScamType]) -> None:
        """Each audience's banks hold enough questions and every type its audience page lists."""
        for audience, minimum in BANK_MINIMUMS.items():
            banks = [q for q in quizzes.values() if q.audience == audience]
            folder = self.quiz_dir / audience
            count = sum(len(q.questions) for q in banks)
            if count < minimum:
                self.problem(folder, "questions", f"{count} questions in the {audience} banks; at least {minimum} needed")
            present = {question.slug for quiz in banks for question in quiz.questions}
            listed = [t.slug for t in sorted(types.values(), key=lambda t: t.rank) if audience in t.audiences]
            missing = [slug for slug in listed if slug not in present]
            if missing:
                self.problem(folder, "questions", f"no question on {', '.join(missing)}, listed on the {audience} page")

    def question(self, path: Path, field: str, q, types: dict[str, ScamType]) -> Question | None:
        bad = len(self.problems)
        if q.slug not in types:
            self.problem(path, f"{field}.slug", f"unknown scam slug {q.slug!r}")
        if (q.kind == "scenario") != (q.scene is not None):
            self.problem(path, f"{field}.scene", "scenario questions need a scene; other kinds must not have one")
        if q.kind == "truefalse":
            if q.choices is not None or not isinstance(q.answer, bool):
                self.problem(path, f"{field}.answer", "true/false questions have no choices and answer true or false")
                return None
            choices = tuple(
                Text(zh_Hans=zh, zh_Hant=traditional(zh), en=en) for zh, en in zip(TRUE_FALSE["zh-Hans"], TRUE_FALSE["en"])
            )
            answer = frozenset({0 if q.answer else 1})
        else:
            choices_file: AuthoredList | None = q.choices
            if choices_file is None:
                self.problem(path, f"{field}.choices", "required for this kind of question")
                return None
            if len(choices_file.zh_Hans) != len(choices_file.en):
                self.problem(path, f"{field}.choices", "zh-Hans and en must have the same number of choices")
                return None
            hant = choices_file.zh_Hant or tuple(traditional(c) for c in choices_file.zh_Hans)
            choices = tuple(Text(zh_Hans=zh, zh_Hant=tw, en=en) for zh, tw, en in zip(choices_file.zh_Hans, hant, choices_file.en))
            raw = q.answer
            if isinstance(raw, bool):
                self.problem(path, f"{field}.answer", "must be a choice index, not true/false")
                return None
            indexes = (raw,) if isinstance(raw, int) else raw
            if q.kind == "multiple" and (not isinstance(raw, tuple) or len(raw) < 2):
                self.problem(path, f"{field}.answer", "multiple-choice questions need a list of at least 2 right choices")
            if q.kind in ("single", "scenario") and not isinstance(raw, int):
                self.problem(path, f"{field}.answer", "must be one choice index")
            if any(not 0 <= i < len(choices) for i in indexes) or len(set(indexes)) != len(indexes):
                self.problem(path, f"{field}.answer", f"out of range: choices are 0..{len(choices) - 1}")
                return None
            answer = frozenset(indexes)
        if len(self.problems) > bad:
            return None
        return Question(
            q.id, q.slug, q.kind, self.text(q.prompt), self.text(q.scene) if q.scene else None,
            choices, answer, self.text(q.explanation),
        )


def load_catalog(content_dir: str | Path, quiz_dir: str | Path) -> Catalog:
    """Load and validate everything; raise ContentError listing every problem."""
    loader = _Loader(Path(content_dir), Path(quiz_dir))
    types = loader.scam_types()
    law, hotlines = loader.law()
    explainers = loader.explainers(types, law)
    quizzes = loader.quizzes(types)
    chat = loader.chat()
    if loader.problems:
        raise ContentError(loader.problems)
    return Catalog(
        types=MappingProxyType(types), explainers=MappingProxyType(explainers), law=MappingProxyType(law),
        hotlines=hotlines, quizzes=MappingProxyType(quizzes), chat=chat,
    )


def check(content_dir: str | Path, quiz_dir: str | Path) -> list[Problem]:
    try:
        load_catalog(content_dir, quiz_dir)
    except ContentError as error:
        return error.problems
    return []
