"""Fetch one URL safely: the ingest command and the API server (user-submitted URLs) share this.

Guards, each raising `FetchError` with a one-line reason naming the URL: only http/https; every hop
(redirects are followed by hand, at most `max_redirects`) is resolved with DNS and refused when any
address is private, loopback, link-local, multicast, reserved or unspecified (SSRF), unless
`allow_private`; link-local addresses (169.254.0.0/16, fe80::/10: cloud metadata services) and
metadata host names are refused even with `allow_private`, on every hop; connect/read timeouts
and one total deadline per fetch (`fetch_deadline`: connect + every byte, redirects included; each
network wait is cut to what is left of it, so a server dripping a byte a second cannot hold an
ingest); the body is streamed and cut off past `max_bytes`; the content type must be one we can read. The address policy is injectable (`address_allowed`) so tests
can allow exactly one local test server. Residual risk: httpx resolves the name again when
connecting, so a DNS answer that changes between the check and the connection (rebinding) is not
caught; run the server behind an egress proxy where that matters.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from storyline.ingest.errors import IngestError
from storyline.ingest.settings import IngestSettings

AddressPolicy = Callable[[str, int, ipaddress.IPv4Address | ipaddress.IPv6Address], bool]

_FORMATS = {
    "text/html": "html", "application/xhtml+xml": "html", "text/plain": "txt",
    "application/rss+xml": "feed", "application/atom+xml": "feed", "application/xml": None, "text/xml": None,
    "application/json": "json", "application/x-ndjson": "jsonl", "application/jsonl": "jsonl",
}


class FetchError(IngestError):
    """A URL that could not be fetched; str() is "<url>: <reason>"."""


@dataclass
class FetchedPage:
    url: str  # final URL after redirects
    status: int
    content_type: str
    body: bytes
    format: str | None  # "html" | "txt" | "feed" | "json" | "jsonl" | None (sniff)
    redirects: list[str]


def public_address(host: str, port: int, addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """The default policy: only globally routable unicast addresses."""
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    return not (addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_multicast
                or addr.is_reserved or addr.is_unspecified or not addr.is_global)


#: cloud metadata endpoints by name; their addresses are link-local and refused as such too
METADATA_HOSTS = {"metadata", "metadata.google.internal", "metadata.goog", "metadata.azure.com",
                  "instance-data", "instance-data.ec2.internal"}


def _link_local(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    return addr.is_link_local or addr == ipaddress.ip_address("fd00:ec2::254")


def _check_target(url: str, original: str, allow_private: bool, policy: AddressPolicy) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(original, f"refused URL scheme {parts.scheme or '(none)'!r} in {url} "
                                   "(only http and https)")
    host = parts.hostname
    if not host:
        raise FetchError(original, f"no host name in {url}")
    where = "" if url == original else f" (redirected to {url})"
    if host.rstrip(".").lower() in METADATA_HOSTS:
        raise FetchError(original, f"refused: {host} is a cloud metadata host{where}; never fetched, "
                                   "not even with --allow-private")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchError(original, f"cannot resolve host {host} ({exc.strerror})") from None
    for info in infos:
        addr = ipaddress.ip_address(info[4][0].split("%")[0])
        if _link_local(addr):
            raise FetchError(original, f"refused: {host} resolves to link-local address {addr}{where} "
                                       "(cloud metadata range); never fetched, not even with --allow-private")
        if allow_private:
            continue
        if not policy(host, port, addr):
            raise FetchError(original, f"refused: {host} resolves to non-public address {addr}{where}; "
                                       "use --allow-private to fetch from local networks")


def fetch_url(url: str, settings: IngestSettings | None = None, allow_private: bool = False, *,
              address_allowed: AddressPolicy | None = None) -> FetchedPage:
    """GET `url` under the guards above; raises FetchError."""
    import httpx

    settings = settings or IngestSettings()
    policy = address_allowed or public_address
    headers = {"User-Agent": settings.user_agent, "Accept": ", ".join(settings.accept_content_types)}
    current, redirects = url, []
    began = time.monotonic()
    deadline = began + float(settings.fetch_deadline)

    def left(phase: str) -> float:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(url, f"gave up after {time.monotonic() - began:.1f}s {phase}: the whole fetch may "
                                  f"take at most {settings.fetch_deadline:g}s ([ingest] fetch_deadline)")
        return remaining

    def timeout() -> httpx.Timeout:
        remaining = left("before the request")
        return httpx.Timeout(min(settings.read_timeout, remaining), connect=min(settings.connect_timeout, remaining))

    with httpx.Client(follow_redirects=False, headers=headers) as client:
        while True:
            _check_target(current, url, allow_private, policy)
            try:
                with client.stream("GET", current, timeout=timeout()) as resp:
                    if resp.is_redirect:
                        location = resp.headers.get("location")
                        if not location:
                            raise FetchError(url, f"redirect ({resp.status_code}) without a Location header")
                        if len(redirects) >= settings.max_redirects:
                            raise FetchError(url, f"too many redirects (more than {settings.max_redirects})")
                        current = urljoin(current, location)
                        redirects.append(current)
                        continue
                    if resp.status_code >= 400:
                        raise FetchError(url, f"HTTP {resp.status_code} {resp.reason_phrase}".rstrip())
                    ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                    if ctype and ctype not in settings.accept_content_types:
                        raise FetchError(url, f"unsupported content type {ctype!r} (expected HTML, text, "
                                              "RSS/Atom or JSON)")
                    declared = resp.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > settings.max_bytes:
                        raise FetchError(url, f"response is {int(declared):,} bytes, over the "
                                              f"{settings.max_bytes:,}-byte cap ([ingest] max_bytes)")
                    chunks, size = [], 0
                    for chunk in resp.iter_bytes():
                        left(f"reading the body ({size + len(chunk):,} bytes received)")
                        size += len(chunk)
                        if size > settings.max_bytes:
                            raise FetchError(url, f"response is over the {settings.max_bytes:,}-byte cap "
                                                  "([ingest] max_bytes)")
                        chunks.append(chunk)
                    return FetchedPage(url=str(resp.url), status=resp.status_code, content_type=ctype,
                                       body=b"".join(chunks), format=_FORMATS.get(ctype), redirects=redirects)
            except httpx.TimeoutException as exc:
                took = time.monotonic() - began
                if isinstance(exc, httpx.ConnectTimeout):
                    kind, limit = "connecting", settings.connect_timeout
                else:
                    kind, limit = "waiting for the response", settings.read_timeout
                cut = deadline - time.monotonic() < 0.05
                why = (f"the {settings.fetch_deadline:g}s deadline for the whole fetch ([ingest] fetch_deadline)"
                       if cut else f"{limit:g}s without data ([ingest] {kind == 'connecting' and 'connect' or 'read'}"
                                   "_timeout)")
                raise FetchError(url, f"timed out {kind} after {took:.1f}s in all: {why}") from None
            except httpx.HTTPError as exc:
                raise FetchError(url, f"request failed ({type(exc).__name__}: {str(exc)[:120]})") from None
