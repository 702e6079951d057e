"""Every UI string is in the catalogs, translated, and zh_Hant is the catalog's conversion of zh_Hans."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from webapp.catalog.hant import forbidden_in, to_hant

ROOT = Path(__file__).resolve().parents[2]


def load(locale):
    with (ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def ids(catalog):
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def test_catalogs_cover_every_string_in_the_code(tmp_path):
    pot = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [str(pybabel), "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."],
        cwd=ROOT, check=True, timeout=120,
    )
    with pot.open("rb") as handle:
        extracted = ids(read_po(handle))
    for locale in ("zh_Hans", "zh_Hant", "en"):
        missing = extracted - ids(load(locale))
        assert not missing, f"{locale} lacks {sorted(missing)[:5]}: run `make translations`"


def test_every_simplified_string_is_translated():
    untranslated = [m.id for m in load("zh_Hans") if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    assert untranslated == []


def test_traditional_is_derived_from_simplified():
    hant = {m.id: m for m in load("zh_Hant") if m.id}
    for message in load("zh_Hans"):
        if not message.id or "hand-written" in hant[message.id].user_comments:
            continue
        expected = message.string if isinstance(message.string, str) else message.string[0]
        got = hant[message.id].string if isinstance(hant[message.id].string, str) else hant[message.id].string[0]
        assert got == to_hant(expected), message.id


def test_traditional_ui_strings_use_taiwan_and_hong_kong_words():
    bad = {m.id: forbidden_in(m.string if isinstance(m.string, str) else " ".join(m.string))
           for m in load("zh_Hant") if m.id}
    assert {k: v for k, v in bad.items() if v} == {}
