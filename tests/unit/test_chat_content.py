"""The chatbot's checked content files: `flask content check` refuses unverified ids and unknown numbers."""

from __future__ import annotations

import shutil

from webapp import config
from webapp.cli import content_check


def copy_content(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(config.PROJECT_ROOT / "content", content)
    return content


def test_the_shipped_files_pass(capsys):
    assert content_check(str(config.PROJECT_ROOT / "content"), str(config.PROJECT_ROOT / "quizzes")) == 0


def test_a_law_id_that_is_not_verified_is_refused(tmp_path, capsys):
    content = copy_content(tmp_path)
    path = content / "chat-law.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\n  atfl-20:\n", "\n  jpm-2024:\n"), encoding="utf-8")
    assert content_check(str(content), str(config.PROJECT_ROOT / "quizzes")) == 1
    assert "jpm-2024: not a verified reference" in capsys.readouterr().err


def test_a_number_that_is_not_a_verified_hotline_is_refused(tmp_path, capsys):
    content = copy_content(tmp_path)
    path = content / "official-contacts.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("number: '12321'", "number: '95588'"), encoding="utf-8")
    assert content_check(str(content), str(config.PROJECT_ROOT / "quizzes")) == 1
    assert "95588: not a hotline" in capsys.readouterr().err
