"""Reading pages from disk: discovery, content sniffing, gzip, limits, missing paths."""

from __future__ import annotations

import gzip

from flows.sources.files import LocalFile, RawPage, Reject, discover_files, read_file
from parsers import sniff_content


def test_discovery_lists_pages_and_skips_litter(tmp_path):
    (tmp_path / "a.html").write_text("<html><body><p>x</p></body></html>")
    (tmp_path / "b.txt").write_text("text")
    (tmp_path / "b.expected.json").write_text("{}")
    (tmp_path / ".hidden").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c").write_text("no extension")
    files, missing = discover_files([tmp_path, tmp_path / "nope"])
    assert [f.path.name for f in files] == ["a.html", "b.txt", "c"]
    assert [(r.reason, r.stage) for r in missing] == [("path_not_found", "discover")]


def test_content_not_extension_decides_the_kind():
    assert sniff_content(b"<!DOCTYPE html><html><p>Hi</p></html>") == "html"
    assert sniff_content(b"  <div><p>one</p><p>two</p><a href=x>3</a></div>") == "html"
    assert sniff_content(b"Headline\n\nA paragraph of text.\n") == "text"
    assert sniff_content(b"%PDF-1.7 ...") == "binary"
    assert sniff_content(b"\x00\x01\x02" * 100) == "binary"
    assert sniff_content(b" \n\t ") == "empty"


def test_gzipped_page_is_read_decompressed(tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(b"<html><body><p>Hello</p></body></html>"))
    page = read_file(LocalFile(path, str(tmp_path)))
    assert isinstance(page, RawPage) and page.content.startswith(b"<html>")


def test_gzip_bomb_and_oversize_files_are_rejected(tmp_path):
    bomb = tmp_path / "bomb.gz"
    bomb.write_bytes(gzip.compress(b"\0" * (5 * 1024 * 1024)))
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2048)
    assert read_file(LocalFile(bomb, "t"), max_bytes=1024 * 1024).reason == "too_large"
    assert read_file(LocalFile(big, "t"), max_bytes=1024).reason == "too_large"
    truncated = tmp_path / "cut.gz"
    truncated.write_bytes(gzip.compress(b"<html>" * 1000)[:40])
    outcome = read_file(LocalFile(truncated, "t"))
    assert isinstance(outcome, Reject) and outcome.reason == "bad_gzip"
