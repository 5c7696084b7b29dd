"""Decoding page bytes: header, BOM, <meta>, the page that lies, windows-1251, detection."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from parsers.charset import declared_charset, decode_html

RUSSIAN = (
    "Правительство объявило о новых мерах поддержки малого бизнеса. "
    "По словам министра экономики, программа начнёт работать уже в следующем месяце, "
    "а заявки можно будет подать через портал государственных услуг. "
) * 4
FRENCH = "Le président a annoncé une réforme des retraites très contestée à l'Assemblée générale. " * 3


def html(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"


def test_http_header_charset():
    content = html(RUSSIAN).encode("cp1251")
    assert RUSSIAN in decode_html(content, content_type="text/html; charset=windows-1251")


def test_byte_order_marks():
    assert FRENCH in decode_html(codecs.BOM_UTF8 + html(FRENCH).encode("utf-8"))
    assert FRENCH in decode_html(codecs.BOM_UTF16_LE + html(FRENCH).encode("utf-16-le"))
    # A BOM wins over a header that says otherwise.
    with_bom = codecs.BOM_UTF8 + html(FRENCH).encode("utf-8")
    assert FRENCH in decode_html(with_bom, content_type="text/html; charset=cp1252")


@pytest.mark.parametrize(
    "head",
    ['<meta charset="windows-1251">', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'],
)
def test_meta_charset_cp1251(head):
    content = html(RUSSIAN, head).encode("cp1251")
    assert declared_charset(content) == "cp1251"
    assert RUSSIAN in decode_html(content)


def test_page_that_claims_utf8_but_is_cp1252():
    content = html(FRENCH + " “quoted” – dash", '<meta charset="utf-8">').encode("cp1252")
    text = decode_html(content)
    assert FRENCH in text
    assert "“quoted” – dash" in text


def test_header_that_lies_falls_back_to_the_bytes():
    content = html(RUSSIAN).encode("cp1251")
    assert RUSSIAN in decode_html(content, content_type="text/html; charset=utf-8")


def test_valid_utf8_wins_over_a_stale_legacy_declaration():
    content = html(FRENCH, '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">').encode("utf-8")
    assert FRENCH in decode_html(content)
    chinese = "促进航天技术更好惠及人民，习近平主席致贺信。" * 5
    content = html(chinese, '<meta http-equiv="content-type" content="text/html;charset=GB2312"/>').encode("utf-8")
    assert chinese in decode_html(content)


def test_legacy_chinese_page_decodes_with_its_declared_charset():
    chinese = "促进航天技术更好惠及人民，习近平主席致贺信。" * 5
    content = html(chinese, '<meta charset="gb2312">').encode("gb18030")
    assert chinese in decode_html(content)


def test_cp1251_without_any_declaration_is_detected():
    assert RUSSIAN in decode_html(html(RUSSIAN).encode("cp1251"))


def test_cp1252_without_any_declaration_is_detected():
    assert FRENCH in decode_html(html(FRENCH).encode("cp1252"))


def test_latin1_label_means_windows_1252():
    content = html("Price: 5 € – “offer”", '<meta charset="iso-8859-1">').encode("cp1252")
    assert "5 € – “offer”" in decode_html(content)


def test_utf8_page_with_a_few_stray_bytes_stays_utf8():
    content = html(FRENCH, '<meta charset="utf-8">').encode("utf-8") + b"<p>caf\xe9</p>"
    text = decode_html(content)
    assert FRENCH in text
    assert "caf\ufffd" in text


def test_ascii_and_unknown_labels():
    assert decode_html(b"<html><body>plain</body></html>") == "<html><body>plain</body></html>"
    content = html(FRENCH, '<meta charset="x-no-such-charset">').encode("utf-8")
    assert FRENCH in decode_html(content, content_type="text/html; charset=bogus")


def test_meta_beyond_the_first_4kb_is_not_read():
    content = b"<html><head>" + b" " * 5000 + b'<meta charset="windows-1251"></head></html>'
    assert declared_charset(content) is None


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=600), st.sampled_from([None, "text/html", "text/html; charset=utf-8", "charset=bogus"]))
def test_any_bytes_decode_without_error(content, content_type):
    assert isinstance(decode_html(content, content_type=content_type), str)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_utf8_text_round_trips(text):
    assume(not text.startswith("\ufeff"))  # a leading BOM is dropped, as it should be
    assert decode_html(text.encode("utf-8")) == text


def test_xhtml_xml_declaration():
    content = ('<?xml version="1.0" encoding="windows-1251"?>\n' + html(RUSSIAN)).encode("cp1251")
    assert declared_charset(content) == "cp1251"
    assert RUSSIAN in decode_html(content)
