"""The catalog: the real content is complete, and broken content is reported by file and field."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from webapp import create_app
from webapp.catalog import ContentError, check, load_catalog

ROOT = Path(__file__).resolve().parents[2]
CONTENT, QUIZZES = ROOT / "content", ROOT / "quizzes"
SLUGS = [t["slug"] for t in yaml.safe_load((CONTENT / "scam-types.yaml").read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CONTENT, QUIZZES)


def test_real_content_passes_the_check():
    assert check(CONTENT, QUIZZES) == []


def test_all_23_types_have_explainers_in_three_locales(catalog):
    assert len(SLUGS) == 23
    for slug in SLUGS:
        for locale in ("zh-Hans", "zh-Hant", "en"):
            explainer = catalog.explainer(slug, locale)
            assert explainer is not None, (slug, locale)
            assert explainer.title and explainer.summary and explainer.body_html.strip()
            assert len(explainer.steps) >= 3
            assert len(explainer.red_flags) >= 4
            assert len(explainer.what_to_do) >= 3
            assert len(explainer.phrases) >= 15
            assert explainer.law and all(law_id in catalog.law for law_id in explainer.law)


def test_accomplice_types_state_the_risk(catalog):
    accomplices = [slug for slug in SLUGS if catalog.types[slug].role == "accomplice"]
    assert sorted(accomplices) == ["money-mule-transfer", "rent-accounts-devices", "rent-sell-cards"]
    for slug in accomplices:
        for locale in ("zh-Hans", "en"):
            assert len(catalog.explainer(slug, locale).risk) > 40


def test_traditional_is_derived_from_simplified(catalog):
    hans = catalog.explainer("rent-sell-cards", "zh-Hans")
    hant = catalog.explainer("rent-sell-cards", "zh-Hant")
    assert "银行卡" in hans.title and "銀行卡" in hant.title


def test_catalog_objects_are_immutable(catalog):
    explainer = catalog.explainer("task-rebate", "en")
    with pytest.raises(AttributeError):
        explainer.title = "changed"
    with pytest.raises(TypeError):
        catalog.types["x"] = None  # type: ignore[index]


def test_audience_order_is_most_common_first(catalog):
    elderly = [t.slug for t in catalog.types_for("elderly")]
    assert elderly[0] == "fake-investment" and "impersonate-relative" in elderly
    ranks = [t.rank for t in catalog.types_for("students")]
    assert ranks == sorted(ranks)


# -- broken content -------------------------------------------------------------------------

@pytest.fixture
def broken(tmp_path):
    """A private copy of the real content to break."""
    shutil.copytree(CONTENT, tmp_path / "content")
    shutil.copytree(QUIZZES, tmp_path / "quizzes")
    return tmp_path


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in check(root / "content", root / "quizzes")]


def edit_front_matter(path: Path, change) -> None:
    text = path.read_text(encoding="utf-8")
    front, _, body = text[4:].partition("\n---")
    data = yaml.safe_load(front)
    change(data)
    path.write_text("---\n" + yaml.safe_dump(data, allow_unicode=True) + "---" + body, encoding="utf-8")


def test_bad_yaml_names_file_and_line(broken):
    path = broken / "content" / "law.yaml"
    path.write_text("refs: [unclosed\n", encoding="utf-8")
    found = problems_of(broken)
    assert any(p.startswith("content/law.yaml: bad YAML: line") for p in found), found


def test_unknown_law_id_names_file_and_field(broken):
    edit_front_matter(broken / "content/scams/task-rebate/en.md", lambda d: d["law"].append("atfl-999"))
    assert "content/scams/task-rebate/en.md: law.{}: unknown law id 'atfl-999' (not in content/law.yaml)".format(
        len(yaml.safe_load((CONTENT / "scams/task-rebate/en.md").read_text().split("---")[1])["law"])
    ) in problems_of(broken)


def test_missing_locale_is_reported(broken):
    (broken / "content/scams/fake-prize/en.md").unlink()
    assert "content/scams/fake-prize/en.md: file is missing" in problems_of(broken)


def test_missing_field_is_reported(broken):
    edit_front_matter(broken / "content/scams/fake-loan/zh-Hans.md", lambda d: d.pop("red_flags"))
    assert "content/scams/fake-loan/zh-Hans.md: red_flags: Field required" in problems_of(broken)


def test_too_few_phrases_is_reported(broken):
    edit_front_matter(broken / "content/scams/fake-loan/en.md", lambda d: d.update(phrases=d["phrases"][:3]))
    assert any(p.startswith("content/scams/fake-loan/en.md: phrases: ") for p in problems_of(broken))


def test_unknown_slug_folder_and_related_slug(broken):
    shutil.copytree(broken / "content/scams/fake-loan", broken / "content/scams/not-a-scam")
    edit_front_matter(broken / "content/scams/fake-shopping/en.md", lambda d: d.update(related=["nope"]))
    found = problems_of(broken)
    assert any("content/scams/not-a-scam: unknown scam slug 'not-a-scam'" in p for p in found), found
    assert "content/scams/fake-shopping/en.md: related.0: unknown or self slug 'nope'" in found


def edit_bank(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["questions"] = change(data["questions"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_real_banks_pass_after_a_yaml_round_trip(broken):
    edit_bank(broken / "quizzes" / "rural" / "rural-basics.yaml", lambda questions: questions)
    assert problems_of(broken) == []


def test_a_bank_below_its_count_is_reported(broken):
    edit_bank(broken / "quizzes" / "rural" / "rural-basics.yaml", lambda questions: questions[:79])
    edit_bank(broken / "quizzes" / "general" / "general-basics.yaml", lambda questions: questions[:59])
    found = problems_of(broken)
    assert "quizzes/rural: questions: 79 questions in the rural banks; at least 80 needed" in found, found
    assert "quizzes/general: questions: 59 questions in the general banks; at least 60 needed" in found, found
    assert not any(p.startswith(("quizzes/elderly", "quizzes/students")) for p in found), found


def test_a_bank_missing_a_type_its_audience_page_lists_is_reported(broken):
    path = broken / "quizzes" / "students" / "students-basics.yaml"
    edit_bank(path, lambda questions: [q for q in questions if q["slug"] != "game-trading"] + [
        {**q, "id": f"{q['id']}-copy"} for q in questions[:10]  # keep the count, lose the type
    ])
    found = problems_of(broken)
    assert found == ["quizzes/students: questions: no question on game-trading, listed on the students page"], found


def test_a_type_not_listed_for_the_audience_may_be_missing(broken):
    path = broken / "quizzes" / "rural" / "rural-basics.yaml"
    edit_bank(path, lambda questions: [q for q in questions if q["slug"] != "impersonate-relative"] + [
        {**q, "id": f"{q['id']}-copy"} for q in questions[:10]
    ])
    assert problems_of(broken) == []


def test_accomplice_without_risk_is_reported(broken):
    edit_front_matter(broken / "content/scams/rent-sell-cards/en.md", lambda d: d.pop("risk"))
    assert any(p.startswith("content/scams/rent-sell-cards/en.md: risk:") for p in problems_of(broken))


def test_app_refuses_to_start_on_broken_content(broken):
    (broken / "content/scams/fake-prize/en.md").unlink()
    with pytest.raises(ContentError) as caught:
        create_app({"TESTING": True, "CONTENT_DIR": str(broken / "content"), "QUIZ_DIR": str(broken / "quizzes")})
    assert "content/scams/fake-prize/en.md: file is missing" in str(caught.value)


def test_cli_lists_problems_and_exits_non_zero(broken):
    (broken / "content/scams/fake-prize/en.md").unlink()
    flask = Path(sys.executable).parent / "flask"
    result = subprocess.run(
        [str(flask), "content", "check", "--content-dir", str(broken / "content"), "--quiz-dir", str(broken / "quizzes")],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert result.returncode == 1
    assert "content/scams/fake-prize/en.md: file is missing" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_passes_on_real_content():
    flask = Path(sys.executable).parent / "flask"
    result = subprocess.run([str(flask), "content", "check"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Content OK" in result.stdout


def test_wsgi_start_on_broken_content_gives_a_message_not_a_traceback(broken, tmp_path):
    (broken / "content/scams/fake-prize/en.md").unlink()
    script = (
        "import webapp.config as c, pathlib;"
        f"c.PROJECT_ROOT = pathlib.Path({str(broken)!r});"
        "import wsgi"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120,
        env={"SECRET_KEY": "x", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert "Fangzha cannot start:" in result.stderr
    assert "fake-prize/en.md: file is missing" in result.stderr
    assert "Traceback" not in result.stderr
