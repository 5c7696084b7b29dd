"""URL canonicalisation: one article per canonical URL.

``canonicalize`` removes what changes a URL without changing the page: tracking
parameters, fragments, default ports, host case, query order, credentials.
``prefer_canonical`` takes a page's ``<link rel=canonical>`` only when it stays on the
same site, because a hostile or broken page could otherwise claim another site's URL.
"""

from __future__ import annotations

from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

from tld import get_fld

__all__ = ["TRACKING_PARAMS", "canonicalize", "is_tracking_param", "prefer_canonical", "same_site"]

# Click and campaign identifiers added by ad, mail and social platforms; never part of the page.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "vero_id",
        "oly_anon_id", "oly_enc_id", "__s", "ttclid", "li_fat_id", "s_cid", "wt_mc", "cmpid",
        "ncid", "sr_share", "spm", "ocid",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_param(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMS or name.startswith(_TRACKING_PREFIXES)


def canonicalize(url: str) -> str:
    """The canonical spelling of ``url``; non-http(s) URLs come back stripped but unchanged otherwise."""
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return urlunsplit(parts._replace(fragment=""))
    host = parts.hostname.rstrip(".")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass  # leave exotic names as written rather than fail
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    pairs = [p for p in parts.query.split("&") if p]
    kept = [p for p in pairs if not is_tracking_param(unquote_plus(p.split("=", 1)[0]))]
    query = "&".join(sorted(kept))
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def _site(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if not host:
        return None
    # Registrable domain ("bbc.co.uk") when the public suffix list knows the name; the host otherwise.
    return get_fld(host, fix_protocol=True, fail_silently=True) or host


def same_site(a: str, b: str) -> bool:
    """True when both URLs belong to the same registrable domain (scheme and port ignored)."""
    site_a, site_b = _site(a), _site(b)
    return site_a is not None and site_a == site_b


def prefer_canonical(url: str, canonical: str | None) -> str:
    """Canonical form of the page's declared canonical URL if it stays on ``url``'s site, else of ``url``."""
    if canonical:
        absolute = urljoin(url, canonical.strip())
        if urlsplit(absolute).scheme in _DEFAULT_PORTS and same_site(url, absolute):
            return canonicalize(absolute)
    return canonicalize(url)
