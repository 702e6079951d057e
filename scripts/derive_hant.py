"""Derive translations/zh_Hant/LC_MESSAGES/messages.po from the zh_Hans catalog.

The conversion is the catalog's own (webapp/catalog/hant.py: OpenCC s2twp plus the reviewed fixes in
content/zh-hant.yaml), so UI strings and content use the same Taiwan/Hong Kong vocabulary.
Run by `make translations`. A hand-written zh_Hant string (one that is not simply the conversion of
the zh_Hans one and is marked with the comment 'hand-written') is kept.
"""

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp.catalog.hant import to_hant  # noqa: E402  (the repository root is on the path only now)
SOURCE = ROOT / "translations" / "zh_Hans" / "LC_MESSAGES" / "messages.po"
TARGET = ROOT / "translations" / "zh_Hant" / "LC_MESSAGES" / "messages.po"


def convert(value):
    if isinstance(value, (tuple, list)):
        return type(value)(to_hant(v) for v in value)
    return to_hant(value) if value else value


def main() -> None:
    with SOURCE.open("rb") as handle:
        source = read_po(handle, locale="zh_Hans")
    kept = {}
    if TARGET.exists():
        with TARGET.open("rb") as handle:
            for message in read_po(handle, locale="zh_Hant"):
                if message.id and "hand-written" in message.user_comments:
                    kept[message.id] = message
    source.locale = "zh_Hant"
    for message in source:
        if not message.id:
            continue
        if message.id in kept:
            message.string = kept[message.id].string
            message.user_comments = kept[message.id].user_comments
        else:
            message.string = convert(message.string)
    source.header_comment = "# Traditional Chinese, derived from zh_Hans by scripts/derive_hant.py (OpenCC s2twp + content/zh-hant.yaml)."
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with TARGET.open("wb") as handle:
        write_po(handle, source, width=0, omit_header=False)
    print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
