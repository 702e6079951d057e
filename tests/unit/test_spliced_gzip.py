"""page_cache.Spliced: a gzip body compressed once around holes, filled per visitor without compressing."""

from __future__ import annotations

import gzip
import zlib

from hypothesis import given
from hypothesis import strategies as st

from webapp.classroom.phone_pages import HOLES, Holed
from webapp.page_cache import Spliced


@given(st.lists(st.binary(max_size=3000), min_size=1, max_size=5), st.data())
def test_any_parts_and_fillings_make_one_valid_gzip_stream_of_their_join(parts, data):
    fillings = data.draw(st.lists(st.binary(max_size=2000), min_size=len(parts) - 1, max_size=len(parts) - 1))
    body = Spliced(parts).fill(fillings)
    joined = parts[0] + b"".join(filling + part for filling, part in zip(fillings, parts[1:]))
    assert gzip.decompress(body) == joined
    reader = zlib.decompressobj(wbits=31)  # one member, nothing after its trailer: as a browser reads it
    assert reader.decompress(body) == joined and reader.eof and reader.unused_data == b""


def test_a_filling_longer_than_one_stored_block_and_a_repeated_page():
    page = "<p>反诈学堂</p>".encode() * 400
    spliced = Spliced([page, page])
    long = "昵称".encode() * 20000  # 120,000 bytes: two stored blocks
    assert gzip.decompress(spliced.fill([long])) == page + long + page
    assert len(spliced.fill([b"x"])) < len(gzip.compress(page, compresslevel=1)) * 2  # the parts stay compressed


def test_a_drawing_filled_for_a_phone_gives_the_gzip_of_its_own_text():
    drawn = Holed.of(0, f"<h1>{HOLES['nickname']}</h1><input value=\"{HOLES['csrf']}\"><p>{HOLES['nickname']}</p>")
    page = drawn.fill(nickname="<b>小明</b>", csrf="tok.en")
    assert page == '<h1>&lt;b&gt;小明&lt;/b&gt;</h1><input value="tok.en"><p>&lt;b&gt;小明&lt;/b&gt;</p>'
    assert gzip.decompress(page.gzipped()).decode() == page  # escaped in both
