"""Own questions as spreadsheet rows: the template, reading CSV/XLSX as Excel and WPS save them (UTF-8 with
or without BOM, GBK/GB18030), and the rows of an export that imports again unchanged (webapp/exports.py
writes them, as it writes the results and reports).

One row per question, one language per file (the importer says which). Columns, in any order, named in
Chinese or English: 题型 kind · 题目 prompt · 情景 scene · A … F · 答案 answer · 解析 explanation ·
诈骗类型 scam_type. Every problem is a RowProblem (row number as the spreadsheet shows it, a message code
of webapp/errors.py "compose", its values); a file with any problem imports nothing."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..catalog import Catalog, Question
from ..catalog import own
from ..catalog.schema import OWN_LIMITS

LETTERS = "ABCDEF"
COLUMNS = ("kind", "prompt", "scene", *LETTERS, "answer", "explanation", "scam_type")
HEADERS = {"kind": "题型 kind", "prompt": "题目 prompt", "scene": "情景 scene", "answer": "答案 answer",
           "explanation": "解析 explanation", "scam_type": "诈骗类型 scam_type", **{x: x for x in LETTERS}}
ALIASES = {
    "kind": "kind", "题型": "kind", "类型": "kind", "prompt": "prompt", "question": "prompt", "题目": "prompt",
    "问题": "prompt", "scene": "scene", "情景": "scene", "情境": "scene", "answer": "answer", "答案": "answer",
    "explanation": "explanation", "解析": "explanation", "解释": "explanation", "scam_type": "scam_type",
    "诈骗类型": "scam_type", "slug": "scam_type", **{x.lower(): x for x in LETTERS}, **{f"选项{x}": x for x in LETTERS},
}
KINDS = {"single": "single", "单选": "single", "单选题": "single", "multiple": "multiple", "多选": "multiple",
         "多选题": "multiple", "truefalse": "truefalse", "判断": "truefalse", "判断题": "truefalse",
         "scenario": "scenario", "情景": "scenario", "情景题": "scenario", "情境题": "scenario"}
TRUE = {"对", "√", "✓", "是", "正确", "true", "t", "yes", "y", "1"}
FALSE = {"错", "×", "✗", "否", "错误", "false", "f", "no", "n", "0"}
KIND_NAMES = {"single": "单选", "multiple": "多选", "truefalse": "判断", "scenario": "情景"}
MAX_BYTES = 1_000_000
MAX_ROWS, MAX_COLUMNS = 1000, 30  # read no further: a small file can unzip into a huge sheet
_SPLIT = re.compile(r"[\s,，、;；/]+")


@dataclass(frozen=True)
class RowProblem:
    row: int  # 1 is the column names
    code: str
    params: Mapping = field(default_factory=dict)


class SheetError(Exception):
    def __init__(self, problems: list[RowProblem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


# -- reading -----------------------------------------------------------------------------------------


def read_table(data: bytes) -> list[list[str]]:
    """The cells of the first sheet (XLSX) or of the CSV, as trimmed strings."""
    if len(data) > MAX_BYTES or not data:
        raise SheetError([RowProblem(0, "bad_file")])
    if data[:2] == b"PK":
        return _xlsx_rows(data)
    for encoding in ("utf-8-sig", "gb18030"):  # GB18030 reads GBK too (WPS and older Excel in China)
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SheetError([RowProblem(0, "bad_file")])
    if "\x00" in text:
        raise SheetError([RowProblem(0, "bad_file")])
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    return [[cell.strip() for cell in row[:MAX_COLUMNS]] for row, _ in zip(rows, range(MAX_ROWS))]


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook  # only an import needs it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise SheetError([RowProblem(0, "bad_file")]) from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS, values_only=True)
        return [[_cell_text(value) for value in row] for row in rows]
    finally:
        book.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "对" if value else "错"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _unprotect(value: str) -> str:
    """An exported cell kept from running as a formula ("'=…") reads as it was written."""
    return value[1:] if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@", "\t", "\r") else value


def parse(data: bytes, catalog: Catalog, lang: str) -> list[dict]:
    """Every row as a stored own question (catalog/own.py), or SheetError with every bad row."""
    table = [row for row in read_table(data)]
    while table and not any(table[0]):
        table.pop(0)
    if not table:
        raise SheetError([RowProblem(0, "no_rows")])
    columns: dict[str, int] = {}
    for index, cell in enumerate(table[0]):
        for token in [cell.strip().lower(), *_SPLIT.split(cell.strip().lower())]:
            if token in ALIASES and ALIASES[token] not in columns:
                columns[ALIASES[token]] = index
                break
    missing = [HEADERS[c] for c in ("kind", "prompt", "answer", "explanation") if c not in columns]
    if missing:
        raise SheetError([RowProblem(1, "bad_header", {"columns": ", ".join(missing)})])
    questions, problems = [], []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        values = {name: _unprotect(cells[i]) if i < len(cells) else "" for name, i in columns.items()}
        try:
            questions.append(row_question(values, number, catalog, lang))
        except SheetError as error:
            problems.extend(error.problems)
    if problems:
        raise SheetError(problems)
    if not questions:
        raise SheetError([RowProblem(0, "no_rows")])
    return questions


def scam_slug(raw: str, catalog: Catalog) -> str | None:
    key = raw.strip().lower()
    if key in catalog.types:
        return key
    for t in catalog.types.values():
        if key in {t.name.zh_Hans, t.name.zh_Hant, t.name.en.lower()}:
            return t.slug
    return None


def row_question(values: Mapping[str, str], row: int, catalog: Catalog, lang: str) -> dict:
    """One row (column name → text) as a stored own question; also the one-question form's way in."""

    def fail(code: str, **params):
        raise SheetError([RowProblem(row, code, {"row": row, **params})])

    kind = KINDS.get(values.get("kind", "").strip().lower())
    if kind is None:
        fail("row_kind", value=values.get("kind", ""))
    prompt = values.get("prompt", "").strip()
    if not prompt or len(prompt) > OWN_LIMITS["prompt"]:
        fail("row_prompt", max=OWN_LIMITS["prompt"])
    scene = values.get("scene", "").strip()
    if (kind == "scenario") != bool(scene) or len(scene) > OWN_LIMITS["scene"]:
        fail("row_scene", max=OWN_LIMITS["scene"])
    explanation = values.get("explanation", "").strip()
    if not explanation or len(explanation) > OWN_LIMITS["explanation"]:
        fail("row_explanation", max=OWN_LIMITS["explanation"])
    slug = None
    if raw_type := values.get("scam_type", "").strip():
        slug = scam_slug(raw_type, catalog)
        if slug is None:
            fail("row_type", value=raw_type)
    choices = [values.get(x, "").strip() for x in LETTERS]
    while choices and not choices[-1]:
        choices.pop()
    raw_answer = values.get("answer", "").strip()
    question: dict = {"kind": kind, "prompt": {lang: prompt}, "explanation": {lang: explanation}}
    if kind == "truefalse":
        flag = raw_answer.lower()
        if choices or flag not in TRUE | FALSE:
            fail("row_truefalse")
        question["answer"] = flag in TRUE
    else:
        if len(choices) < 2 or not all(choices):
            fail("row_choices")
        for letter, choice in zip(LETTERS, choices):
            if len(choice) > OWN_LIMITS["choice"]:
                fail("row_choice_long", letter=letter, max=OWN_LIMITS["choice"])
        letters = [x for x in _SPLIT.split(raw_answer.upper()) if x]
        letters = [ch for group in letters for ch in group] if all(g.isalpha() for g in letters) else letters
        for letter in letters or [raw_answer]:
            if letter not in list(LETTERS[: len(choices)]):
                fail("row_answer", value=letter)
        indexes = sorted({LETTERS.index(x) for x in letters})
        if kind == "multiple" and len(indexes) < 2:
            fail("row_multiple")
        if kind != "multiple" and len(indexes) != 1:
            fail("row_single")
        question["choices"] = {lang: choices}
        question["answer"] = indexes if kind == "multiple" else indexes[0]
    if scene:
        question["scene"] = {lang: scene}
    if slug:
        question["slug"] = slug
    stored, problems = own.check_question(question, catalog.types)
    if stored is None:
        fail("row_other", problem="; ".join(f"{f}: {m}" for f, m in problems))
    return stored


# -- writing -----------------------------------------------------------------------------------------


def rows_of(questions: Iterable[Question], lang: str) -> list[list[str]]:
    """The column names, then a row per question in `lang` (what an import reads back)."""
    rows = [[HEADERS[c] for c in COLUMNS]]
    for q in questions:
        choices = [c.get(lang) for c in q.choices] if q.kind != "truefalse" else []
        if q.kind == "truefalse":
            answer = "对" if 0 in q.answer else "错"
        else:
            answer = "".join(LETTERS[i] for i in sorted(q.answer))
        rows.append([
            KIND_NAMES[q.kind], q.prompt.get(lang), q.scene.get(lang) if q.scene else "",
            *(choices + [""] * (len(LETTERS) - len(choices))), answer, q.explanation.get(lang), q.slug or "",
        ])
    return rows


def template_rows() -> list[list[str]]:
    """Three example rows an organizer overwrites."""
    return [
        [HEADERS[c] for c in COLUMNS],
        ["单选", "有人打电话说是快递客服，要给您退款，让您下载一个软件。您该怎么办？", "",
         "照他说的下载", "挂断电话，打快递官方电话问", "把银行卡号告诉他", "", "", "", "B",
         "退款不用下载陌生软件。挂断后自己打官方电话核实。", ""],
        ["判断", "陌生人让您“共享屏幕”，是为了帮您。", "", "", "", "", "", "", "", "错",
         "共享屏幕会让骗子看到您的验证码和密码。", ""],
        ["多选", "下面哪些是骗子常说的话？", "", "“这事不能告诉家人”", "“您的账户涉嫌洗钱”", "“祝您生活愉快”",
         "", "", "", "AB", "让您保密、说您涉案，都是骗子的套路。", ""],
    ]
