"""content/law.yaml states only what shared/legal-refs.yaml verified, word for word."""

import os
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT.parent / "shared" / "legal-refs.yaml"
LAW = yaml.safe_load((ROOT / "content" / "law.yaml").read_text(encoding="utf-8"))

REQUIRED = bool(os.environ.get("FANGZHA_REQUIRE_PG")) or os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture
def shared():
    """../shared (the research files); without it these tests skip on a developer's machine and FAIL
    under CI (CI or FANGZHA_REQUIRE_PG set), where an unchecked law.yaml must not pass unnoticed."""
    if not SOURCE.exists():
        why = f"{SOURCE} is not beside this checkout"
        if REQUIRED:
            pytest.fail(f"{why}; it is required here (CI or FANGZHA_REQUIRE_PG is set)", pytrace=False)
        pytest.skip(why)
    return SOURCE.parent


@pytest.fixture
def source(shared):
    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    return {entry["id"]: entry for entry in data["refs"]}, {h["number"]: h for h in data["hotlines"]}


def test_every_reference_is_verified_and_copied_exactly(source):
    refs, _ = source
    for ref in LAW["refs"]:
        entry = refs[ref["id"]]
        assert entry["verified"] is True, ref["id"]
        assert not str(entry.get("status", "")).startswith("superseded"), ref["id"]
        assert ref["summary"] == {"zh-Hans": entry["summary_zh"], "en": entry["summary_en"]}
        assert ref["article"] == {"zh-Hans": entry["article"], "en": entry["article_en"]}
        assert ref["law"] == {"zh-Hans": entry["law"], "en": entry["law_en"]}
        if entry.get("penalty_zh"):
            assert ref["penalty"] == {"zh-Hans": entry["penalty_zh"], "en": entry["penalty_en"]}
        else:
            assert "penalty" not in ref


def test_unverified_entries_are_left_out(source):
    refs, _ = source
    ours = {ref["id"] for ref in LAW["refs"]}
    for ref_id, entry in refs.items():
        if entry["verified"] is not True:
            assert ref_id not in ours


def test_hotlines_are_verified(source):
    _, hotlines = source
    for line in LAW["hotlines"]:
        assert hotlines[line["number"]]["verified"] is True
        assert line["role"]["zh-Hans"] == hotlines[line["number"]]["role_zh"]


def test_explainer_law_lists_come_from_the_slug_mapping(shared):
    data = yaml.safe_load((shared / "legal-refs.yaml").read_text(encoding="utf-8"))
    for folder in sorted((ROOT / "content" / "scams").iterdir()):
        for path in folder.glob("*.md"):
            front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
            assert set(front["law"]) <= set(data["slugs"][folder.name]), path


def test_taxonomy_matches_shared(shared):
    assert (ROOT / "content" / "scam-types.yaml").read_text(encoding="utf-8") == (
        shared / "scam-types.yaml"
    ).read_text(encoding="utf-8")
