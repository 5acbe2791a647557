"""Charset detection when the header lies: bytes kept as sent, the charset that decodes them recorded."""
from __future__ import annotations

import codecs

from hypothesis import given
from hypothesis import strategies as st

from tasks.charset import detect_charset, header_charset, meta_charset
from tasks.fetch import fetch_url
from tasks.settings import Settings
from tests.conftest import FIXTURES
from tests.local_server import local_server, typed

DATA = FIXTURES / "fetch"
FAST = Settings(allow_private_hosts=True, per_host_delay_s=0.0)


def test_header_and_meta_charsets_are_read():
    assert header_charset('text/html; charset="ISO-8859-1"') == "iso-8859-1"
    assert header_charset("text/html") is None
    assert meta_charset((DATA / "legacy-cp1252.html").read_bytes()) == "windows-1252"
    assert meta_charset(b'<meta charset="utf-8">') == "utf-8"


def test_legacy_page_served_as_utf8_is_detected_from_its_meta():
    body = (DATA / "legacy-cp1252.html").read_bytes()
    with local_server({"/alt": typed(body, "text/html; charset=utf-8")}) as server:
        result = fetch_url(server.base_url + "/alt", FAST)
    assert result.body == body and result.declared_charset == "utf-8" and result.charset == "windows-1252"
    text = body.decode(result.charset)
    assert "„Wir geben die Straßen den Menschen zurück“" in text


def test_utf8_page_served_as_latin1_is_detected_as_utf8():
    body = (DATA / "article-wire.html").read_bytes()
    with local_server({"/a": typed(body, "text/html; charset=ISO-8859-1")}) as server:
        result = fetch_url(server.base_url + "/a", FAST)
    assert (result.declared_charset, result.charset) == ("iso-8859-1", "utf-8")
    assert "Marta Kovač" in body.decode(result.charset)


def test_bom_wins_and_undeclared_legacy_bytes_are_guessed():
    assert detect_charset(codecs.BOM_UTF16_LE + "<p>x</p>".encode("utf-16-le"), "utf-8") == "utf-16-le"
    legacy = (DATA / "legacy-cp1252.html").read_bytes().replace(b"charset=windows-1252", b"")
    guessed = detect_charset(legacy, None)
    assert "Zürich" in legacy.decode(guessed)


@given(st.text(min_size=1).filter(lambda t: not t.isascii()))
def test_any_utf8_text_is_read_as_utf8_whatever_the_header_says(text):
    body = f"<html><body><p>{text}</p></body></html>".encode("utf-8", errors="surrogatepass")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return   # lone surrogates are not UTF-8 at all
    assert detect_charset(body, "iso-8859-1") == "utf-8"


def is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@given(st.text(alphabet="äöüßéèàçñÄÖÜ€„“ abcdefghij", min_size=3).filter(lambda t: not t.isascii()))
def test_windows_1252_text_declared_by_the_header_decodes_back(text):
    body = f"<p>{text}</p>".encode("windows-1252")
    # The one known ambiguity: legacy bytes that also form valid UTF-8 ("Ä€" is c4 80, "Ā" in
    # UTF-8) are read as UTF-8, since UTF-8 served under a legacy label is the far commoner case.
    if is_utf8(body):
        assert detect_charset(body, "windows-1252") == "utf-8"
        return
    charset = detect_charset(body, "windows-1252")
    assert body.decode(charset) == f"<p>{text}</p>"
