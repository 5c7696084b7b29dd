"""HTTPS through the safe backend: we connect to the checked address, yet TLS still sends the
host name (SNI) and verifies the certificate against it, not against the IP."""

from __future__ import annotations

import asyncio
import datetime as dt
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from flows.http.fetch import FetchConfig, Fetcher, FetchResult, Politeness
from flows.sources.files import RawPage, Reject


def _certificate(tmp_path: Path, name: str) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))  # fmt: skip
    return cert_file, key_file


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        body = b"<p>secure</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[tuple[int, Path, list[str]]]:
    cert, key = _certificate(tmp_path, "news.test")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    names: list[str] = []

    def remember(_sock: object, name: str | None, _ctx: object) -> None:
        names.append(name or "")

    context.sni_callback = remember  # type: ignore[assignment]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], cert, names
    finally:
        server.shutdown()
        server.server_close()


def test_tls_uses_the_host_name_while_connecting_to_the_checked_address(
    https_server: tuple[int, Path, list[str]],
) -> None:
    port, cert, names = https_server

    async def resolver(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    async def fetch(host: str) -> FetchResult:
        config = FetchConfig(respect_robots=False, retries=0, politeness=Politeness(delay=0),
                             allow_private_addresses=True, ca_file=str(cert))  # fmt: skip
        async with Fetcher(config, resolver=resolver) as fetcher:
            return await fetcher.fetch(f"https://{host}:{port}/story", source="t")

    page = asyncio.run(fetch("news.test"))
    assert isinstance(page, RawPage) and page.content == b"<p>secure</p>"
    assert names[0] == "news.test"
    wrong = asyncio.run(fetch("other.test"))  # same address, a name the certificate does not cover
    assert isinstance(wrong, Reject) and "certificate" in wrong.detail.lower()
