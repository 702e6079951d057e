"""Read-aloud shows only where the phone can really speak the page's language (speechSynthesis voices)."""

from __future__ import annotations

import json

import pytest

from tests.browser.helpers import screenshot

# The browser's voice list, as a phone reports it: empty at first, then (perhaps) voices and a
# "voiceschanged" event a moment later, as Chrome on Android does.
FAKE_VOICES = """
(() => {
  const later = %s;
  let list = [];
  speechSynthesis.getVoices = () => list;
  setTimeout(() => { list = later; speechSynthesis.dispatchEvent(new Event('voiceschanged')); }, 300);
})();
"""


def page_with_voices(context_factory, langs):
    context = context_factory()
    voices = [{"lang": lang, "name": f"voice {lang}", "default": i == 0, "localService": True, "voiceURI": lang}
              for i, lang in enumerate(langs)]
    context.add_init_script(FAKE_VOICES % json.dumps(voices))
    return context.new_page()


@pytest.mark.parametrize("voices, path, shown", [
    ([], "/scams/impersonate-relative", False),                 # no voice at all: hidden
    (["en-US", "en-GB"], "/scams/impersonate-relative", False),  # only English on a Chinese page: hidden
    (["en-US", "zh-CN"], "/scams/impersonate-relative", True),   # a Mandarin voice, arriving late: shown
    (["zh-TW"], "/scams/impersonate-relative?lang=zh-Hant", True),
    (["en-US"], "/scams/impersonate-relative?lang=en", True),
    (["zh-CN"], "/scams/impersonate-relative?lang=en", False),
])
def test_read_aloud_needs_a_voice_for_the_page_language(context_factory, live_server, voices, path, shown):
    page = page_with_voices(context_factory, voices)
    page.goto(live_server + path)
    button = page.locator("button.read-aloud").first
    assert button.count() == 1
    page.wait_for_timeout(700)  # past the late voiceschanged
    assert button.is_visible() == shown
    if shown and path.endswith("relative"):
        screenshot(page, "read-aloud-shown")


def test_read_aloud_hidden_in_this_chromium_unless_it_has_a_chinese_voice(page, live_server):
    page.goto(live_server + "/quiz/")
    page.goto(live_server + "/scams/impersonate-relative")
    page.wait_for_timeout(500)
    has_voice = page.evaluate("speechSynthesis.getVoices().some(v => v.lang.toLowerCase().startsWith('zh'))")
    assert page.locator("button.read-aloud").first.is_visible() == has_voice
