"""The shapes of content files, as frozen pydantic models.

Validation errors carry the path of the offending field, so `flask content check`
can name the file and field of every problem.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Role = Literal["victim", "accomplice"]
Audience = Literal["elderly", "students", "rural", "general"]
AUTHORED_LOCALES = ("zh-Hans", "en")  # zh-Hant is derived with OpenCC unless hand-written
LOCALES = ("zh-Hans", "zh-Hant", "en")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(Frozen):
    """One piece of text in every locale."""

    zh_Hans: str
    zh_Hant: str
    en: str

    def get(self, locale: str) -> str:
        return getattr(self, locale.replace("-", "_"))


class AuthoredText(Frozen):
    """What a content file holds: zh-Hans and en, optionally a hand-written zh-Hant."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    zh_Hans: Line = Field(alias="zh-Hans")
    en: Line
    zh_Hant: Line | None = Field(default=None, alias="zh-Hant")


class AuthoredList(Frozen):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    zh_Hans: tuple[Line, ...] = Field(alias="zh-Hans", min_length=2, max_length=6)
    en: tuple[Line, ...] = Field(min_length=2, max_length=6)
    zh_Hant: tuple[Line, ...] | None = Field(default=None, alias="zh-Hant")


class ScamTypeFile(Frozen):
    """An entry of content/scam-types.yaml (the taxonomy)."""

    slug: Slug
    zh: Line
    en: Line
    role: Role
    audiences: tuple[Audience, ...] = Field(min_length=1)
    gist: Line


class ExplainerFile(Frozen):
    """The front matter of content/scams/<slug>/<locale>.md."""

    title: Line
    summary: Line
    audiences: tuple[Audience, ...] = Field(min_length=1)
    role: Role
    steps: tuple[Line, ...] = Field(min_length=3)
    red_flags: tuple[Line, ...] = Field(min_length=4)
    what_to_do: tuple[Line, ...] = Field(min_length=3)
    law: tuple[Slug, ...] = Field(min_length=1)
    risk: Line | tuple[Line, ...] | None = None  # a list shows as bullets: one penalty per point
    phrases: tuple[Line, ...] = Field(min_length=15)
    keywords: tuple[Line, ...] = ()
    related: tuple[Slug, ...] = ()


class PageFile(Frozen):
    """The front matter of content/pages/<name>/<locale>.md: a help page in plain words."""

    title: Line
    summary: Line


class LawNoteFile(Frozen):
    """content/law-notes.yaml: a hand-written caution shown with a reference on /law."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    later: AuthoredText  # a later document may have changed this reference


class LawRefFile(Frozen):
    id: Slug
    law: AuthoredText
    article: AuthoredText
    summary: AuthoredText
    penalty: AuthoredText | None = None
    status: str | None = None
    source_kind: str | None = None


class HotlineFile(Frozen):
    number: Annotated[str, StringConstraints(pattern=r"^[0-9-]{3,15}$")]
    region: Literal["CN", "TW", "HK"] = "CN"
    role: AuthoredText


class LawFile(Frozen):
    refs: tuple[LawRefFile, ...] = Field(min_length=1)
    hotlines: tuple[HotlineFile, ...] = Field(min_length=1)


QuestionKind = Literal["single", "multiple", "truefalse", "scenario"]


class QuestionFile(Frozen):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: Slug
    slug: Slug | None = None  # a bank question needs one (loader); an organizer's own question may have none
    kind: QuestionKind
    prompt: AuthoredText
    scene: AuthoredText | None = None
    choices: AuthoredList | None = None
    answer: bool | int | tuple[int, ...]
    explanation: AuthoredText

    @field_validator("answer", mode="before")
    @classmethod
    def _lists_to_tuples(cls, value):
        return tuple(value) if isinstance(value, list) else value


# -- an organizer's own questions (webapp/compose): the banks' format, in one language or several -------
OwnLine = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
OwnLong = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=800)]
OwnChoice = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
OWN_LIMITS = {"prompt": 300, "scene": 800, "explanation": 800, "choice": 150}


def _one_language(value):
    """A plain string is the text in whatever language it is written: one language for all."""
    return {"zh-Hans": value} if isinstance(value, str) else value


class OwnText(AuthoredText):
    """At least one of zh-Hans, zh-Hant, en; the others are filled in from it when shown."""

    zh_Hans: OwnLine | None = Field(default=None, alias="zh-Hans")
    en: OwnLine | None = None
    zh_Hant: OwnLine | None = Field(default=None, alias="zh-Hant")

    @model_validator(mode="before")
    @classmethod
    def _plain(cls, value):
        return _one_language(value)

    @model_validator(mode="after")
    def _some(self):
        if not (self.zh_Hans or self.en or self.zh_Hant):
            raise ValueError("write the text in at least one language")
        return self


class OwnLongText(OwnText):
    zh_Hans: OwnLong | None = Field(default=None, alias="zh-Hans")
    en: OwnLong | None = None
    zh_Hant: OwnLong | None = Field(default=None, alias="zh-Hant")


class OwnList(AuthoredList):
    """The choices, in at least one language; every language given has the same number of them."""

    zh_Hans: tuple[OwnChoice, ...] | None = Field(default=None, alias="zh-Hans", min_length=2, max_length=6)
    en: tuple[OwnChoice, ...] | None = Field(default=None, min_length=2, max_length=6)
    zh_Hant: tuple[OwnChoice, ...] | None = Field(default=None, alias="zh-Hant", min_length=2, max_length=6)

    @model_validator(mode="before")
    @classmethod
    def _plain(cls, value):
        return {"zh-Hans": value} if isinstance(value, list | tuple) else value

    @model_validator(mode="after")
    def _same_lengths(self):
        given = [len(v) for v in (self.zh_Hans, self.zh_Hant, self.en) if v is not None]
        if not given:
            raise ValueError("write the choices in at least one language")
        if len(set(given)) > 1:
            raise ValueError("every language must have the same number of choices")
        return self


class OwnQuestionFile(QuestionFile):
    """An organizer's question: the bank format (kind, prompt, scene, choices, answer, explanation), with
    the id given by the site and the scam type optional."""

    id: Annotated[str, StringConstraints(pattern=r"^q[0-9]{1,6}$")] | None = None
    prompt: OwnText
    scene: OwnLongText | None = None
    choices: OwnList | None = None
    explanation: OwnLongText


class QuizFile(Frozen):
    id: Slug
    audience: Audience
    title: AuthoredText
    description: AuthoredText
    questions: tuple[QuestionFile, ...] = Field(min_length=10)


class PhraseList(Frozen):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    zh_Hans: tuple[Line, ...] = Field(alias="zh-Hans", min_length=1)
    en: tuple[Line, ...] = Field(min_length=1)


class IntentFile(Frozen):
    phrases: PhraseList
    reply: AuthoredText


class ChatFile(Frozen):
    """content/chat.yaml: the chatbot's own words."""

    intents: dict[Literal["greeting", "thanks", "offtopic", "report", "notice"], IntentFile]
    fallback: AuthoredText
    disclaimer: AuthoredText
    urgent_intro: AuthoredText
    accomplice_intro: AuthoredText
    recovery_warning: AuthoredText
    emergency_steps: PhraseList


# -- content/training/: texts that only teach the chatbot's matcher --------------------------------------
Register = Literal["narrated", "pasted"]  # told in one's own words, or the message pasted as it came
TrainingLocale = Literal["zh-Hans", "zh-Hant", "en"]


class LocaleTexts(Frozen):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    zh_Hans: tuple[Line, ...] = Field(default=(), alias="zh-Hans")
    zh_Hant: tuple[Line, ...] = Field(default=(), alias="zh-Hant")
    en: tuple[Line, ...] = ()


class RegisterTexts(Frozen):
    """One entry of scripts.yaml or benign.yaml: texts by register and language."""

    pasted: LocaleTexts = LocaleTexts()
    narrated: LocaleTexts = LocaleTexts()


class UrgencyCaseFile(Frozen):
    """One labelled text of content/training/urgency.yaml."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    text: Line
    urgent: bool
    lang: TrainingLocale
    register_: Register = Field(alias="register")  # `register` itself is taken (ABCMeta.register)
    family: Annotated[str, StringConstraints(pattern=r"^[a-z-]+$", max_length=30)]
