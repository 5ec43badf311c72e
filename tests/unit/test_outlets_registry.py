"""akhbar.outlets: the registry of Arabic news outlets by host (akhbar/data/outlets.json)."""

import importlib
import inspect
import pkgutil
from zoneinfo import ZoneInfo

import pytest

import akhbar.spiders
from akhbar.outlets import (Outlet, OutletDataError, OutletRegistry, load_document, outlet_for_host,
                            registry, site_names)
from akhbar.spiders.base import NewsSpider

# The registry is built from public lists, a row only where a list supports it; this is the
# size it has reached (321 rows), so that rows are not lost unnoticed.
MIN_OUTLETS = 320


def row(domain, name_ar="اسم", country="EG", timezone="Africa/Cairo", **extra):
    return {"domain": domain, "name_ar": name_ar, "country": country, "timezone": timezone,
            "source": ["test"], **extra}


def site_spiders():
    """Every outlet spider class of akhbar/spiders (the generic spider has no domains)."""
    found = []
    for module_info in pkgutil.iter_modules(akhbar.spiders.__path__):
        module = importlib.import_module(f"akhbar.spiders.{module_info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, NewsSpider) and cls.__module__ == module.__name__ and cls.allowed_domains:
                found.append(cls)
    return found


# --- validation -------------------------------------------------------------------------

def test_shipped_data_loads_and_is_large():
    assert len(registry()) >= MIN_OUTLETS


def test_every_zone_exists_and_every_country_is_two_letters():
    for outlet in registry().outlets:
        ZoneInfo(outlet.timezone)
        assert len(outlet.country) == 2 and outlet.country.isupper(), outlet


def test_every_row_names_its_public_sources_and_zone_exceptions_say_why():
    doc = load_document()
    for entry in doc["outlets"]:
        assert entry["source"] and set(entry["source"]) <= set(doc["sources"]), entry
        if entry["timezone"] != doc["country_zones"][entry["country"]]:
            assert entry.get("note"), f"{entry['domain']}: zone differs from its country's without a note"


def test_unknown_zone_is_rejected():
    with pytest.raises(OutletDataError, match="IANA"):
        OutletRegistry([row(["a.example"], timezone="Africa/Atlantis")])


@pytest.mark.parametrize("country", ["EGY", "eg", "", None, "E1"])
def test_bad_country_code_is_rejected(country):
    with pytest.raises(OutletDataError, match="ISO 3166"):
        OutletRegistry([row(["a.example"], country=country)])


def test_domain_listed_twice_is_rejected():
    with pytest.raises(OutletDataError, match="listed twice"):
        OutletRegistry([row(["a.example"]), row(["b.example", "a.example"])])


@pytest.mark.parametrize("domain", [[], ["https://a.example"], ["A.example"], ["a example"]])
def test_malformed_domain_is_rejected(domain):
    with pytest.raises(OutletDataError, match="domain"):
        OutletRegistry([row(domain)])


def test_row_without_source_is_rejected():
    bad = row(["a.example"])
    del bad["source"]
    with pytest.raises(OutletDataError, match="source"):
        OutletRegistry([bad])


# --- matching ---------------------------------------------------------------------------

def test_subdomains_match_their_registered_domain():
    reg = OutletRegistry([row(["news.example"], name_ar="الخبر")])
    for host in ["news.example", "www.news.example", "m.news.example", "WWW.News.Example.",
                 "www.news.example:443", "amp.www.news.example"]:
        assert reg.lookup(host).name_ar == "الخبر", host


def test_unregistered_hosts_do_not_match():
    reg = OutletRegistry([row(["news.example"])])
    for host in ["othernews.example", "news.example.org", "example", "", "[::1]", "127.0.0.1"]:
        assert reg.lookup(host) is None, host


def test_longest_registered_suffix_wins():
    reg = OutletRegistry([row(["cnn.example"], name_ar="أم", timezone="America/New_York", country="US"),
                          row(["arabic.cnn.example"], name_ar="عربي", timezone="Asia/Dubai", country="AE")])
    assert reg.lookup("arabic.cnn.example").timezone == "Asia/Dubai"
    assert reg.lookup("www.arabic.cnn.example").name_ar == "عربي"
    assert reg.lookup("edition.cnn.example").timezone == "America/New_York"


def test_shipped_subdomain_outlets_differ_from_their_parent():
    assert outlet_for_host("gate.ahram.org.eg").name_ar == "بوابة الأهرام"
    assert outlet_for_host("www.ahram.org.eg").name_ar == "الأهرام"
    assert outlet_for_host("edition.cnn.com") is None  # CNN in English is not an Arabic outlet


def test_one_outlet_with_several_domains():
    old, new = outlet_for_host("arabic.sputniknews.com"), outlet_for_host("sputnikarabic.ae")
    assert old is new and old.domain == ("arabic.sputniknews.com", "sputnikarabic.ae")


def test_site_names_lists_every_printed_name_once():
    assert site_names("www.alarabiya.net") == ["العربية", "العربية.نت", "العربية نت"]
    assert site_names("unknown.example") == []


def test_outlet_is_frozen():
    outlet = outlet_for_host("youm7.com")
    assert isinstance(outlet, Outlet)
    with pytest.raises(AttributeError):
        outlet.timezone = "UTC"


def test_london_based_pan_arab_papers_keep_london_time():
    for host in ["aawsat.com", "www.alquds.co.uk", "www.alaraby.co.uk"]:
        assert outlet_for_host(host).timezone == "Europe/London", host


# --- the corpus outlets, as their spiders declare them ----------------------------------

SPIDERS = site_spiders()


def test_every_site_spider_is_found():
    assert {s.name for s in SPIDERS} >= {"youm7", "albayan", "alyaum", "lbcgroup", "elbaladtv",
                                          "akhbarelyom", "sputnik", "cnn"}


@pytest.mark.parametrize("spider", SPIDERS, ids=lambda s: s.name)
def test_spider_hosts_are_registered_with_the_spiders_zone_and_country(spider):
    for domain in spider.allowed_domains:
        for host in (domain, f"www.{domain}"):
            outlet = outlet_for_host(host)
            assert outlet is not None, host
            assert outlet.timezone == spider.timezone, host
            assert outlet.country == spider.country, host
