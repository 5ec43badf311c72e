"""Registry of Arabic news outlets by host (akhbar/data/outlets.json).

The generic spider reads outlets it has no spider for. From the page's host alone it learns
the outlet's printed names (to strip ``<site> - <headline>`` and never take the outlet for an
author) and the IANA zone of its newsroom (printed dates carry no zone: a Cairo outlet prints
Cairo clock time).

A host matches a registered domain when it is that domain or one of its subdomains
(``www.``, ``m.``, ``arabic.`` ...); the longest registered suffix wins, so ``arabic.cnn.com``
may differ from ``cnn.com`` and ``gate.ahram.org.eg`` from ``ahram.org.eg``.

The data is read once, through ``importlib.resources`` (the package runs from a zipped egg
under Scrapyd, where no file sits beside ``__file__``), and validated as it is read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any, Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DATA_PACKAGE = "akhbar"
DATA_FILE = "data/outlets.json"
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
# A registrable host: dot-separated labels of letters, digits and hyphens, lower case.
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]{2,}$")


class OutletDataError(ValueError):
    """The outlets data breaks a rule (unknown zone, bad country code, a domain listed twice ...)."""


@dataclass(frozen=True)
class Outlet:
    domain: tuple[str, ...]  # registrable hosts, the first is the main one
    name_ar: str  # the name as the outlet prints it
    names: tuple[str, ...]  # other printed names / short names
    name_en: str | None
    country: str  # ISO 3166 alpha-2 of where it is edited
    timezone: str  # IANA zone of its newsroom

    @property
    def printed_names(self) -> list[str]:
        """Every printed name, the main one first, each once."""
        return list(dict.fromkeys((self.name_ar, *self.names)))


class OutletRegistry:
    """Outlets indexed by registered domain; built from the JSON rows, which it validates."""

    def __init__(self, rows: Iterable[dict[str, Any]]):
        self._by_domain: dict[str, Outlet] = {}
        for position, row in enumerate(rows):
            outlet = _outlet_from_row(row, position)
            for domain in outlet.domain:
                if domain in self._by_domain:
                    raise OutletDataError(f"domain {domain!r} is listed twice (row {position})")
                self._by_domain[domain] = outlet
        self.outlets: list[Outlet] = list(dict.fromkeys(self._by_domain.values()))

    def __len__(self) -> int:
        return len(self.outlets)

    def lookup(self, host: str) -> Outlet | None:
        """The outlet of the longest registered domain that is ``host`` or a suffix of it."""
        labels = _normalise_host(host).split(".")
        for start in range(len(labels) - 1):  # longest suffix first; never a bare TLD
            outlet = self._by_domain.get(".".join(labels[start:]))
            if outlet is not None:
                return outlet
        return None


def _normalise_host(host: str) -> str:
    """Lower case, without port, user info or the trailing dot of a fully qualified name."""
    host = host.strip().lower().rsplit("@", 1)[-1]
    if host.startswith("["):  # an IPv6 literal is never an outlet
        return ""
    return host.split(":", 1)[0].rstrip(".")


def _outlet_from_row(row: dict[str, Any], position: int) -> Outlet:
    where = f"outlet row {position} ({row.get('name_ar')!r})"
    domains = row.get("domain")
    if isinstance(domains, str):
        domains = [domains]
    if not domains or not all(isinstance(d, str) and _DOMAIN.match(d) for d in domains):
        raise OutletDataError(f"{where}: domain must be one or more lower-case hosts, got {domains!r}")
    name_ar = row.get("name_ar")
    if not isinstance(name_ar, str) or not name_ar.strip():
        raise OutletDataError(f"{where}: name_ar is required")
    names = row.get("names") or []
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        raise OutletDataError(f"{where}: names must be a list of non-empty strings")
    country = row.get("country")
    if not isinstance(country, str) or not _COUNTRY_CODE.match(country):
        raise OutletDataError(f"{where}: country must be an ISO 3166 alpha-2 code, got {country!r}")
    zone = row.get("timezone")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, TypeError, ValueError):
        raise OutletDataError(f"{where}: timezone {zone!r} is not an IANA zone") from None
    if not row.get("source"):
        raise OutletDataError(f"{where}: source (the public list it comes from) is required")
    return Outlet(domain=tuple(domains), name_ar=name_ar.strip(), names=tuple(n.strip() for n in names),
                  name_en=row.get("name_en") or None, country=country, timezone=zone)


def load_document() -> dict[str, Any]:
    """The outlets JSON document as shipped in the package."""
    return json.loads(files(DATA_PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def registry() -> OutletRegistry:
    """The shipped registry, read and validated once per process."""
    return OutletRegistry(load_document()["outlets"])


def outlet_for_host(host: str) -> Outlet | None:
    """The outlet whose registered domain is ``host`` or its longest registered suffix, else None."""
    return registry().lookup(host)


def site_names(host: str) -> list[str]:
    """Every name the outlet of ``host`` prints (empty for an unknown host)."""
    outlet = outlet_for_host(host)
    return outlet.printed_names if outlet else []
