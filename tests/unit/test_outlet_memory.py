"""OutletMemory (akhbar/outlet_memory.py) on hand-written lines and titles: what is boilerplate and
what is not, the site name at either end, re-served articles, warm-up, two outlets kept apart,
and memory that stays bounded however long the crawl."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from akhbar import outlet_memory as M
from akhbar.outlet_memory import OutletMemory, SpaceSavingCounter, title_parts

HOST = "news.example"
SITE = "جريدة المثال"
PROMPT = "اشترك في نشرتنا البريدية"
COPYRIGHT = "جميع الحقوق محفوظة لجريدة المثال 2025"
# A sentence run (more than LONG_LINE_WORDS words): a background paragraph follow-ups reuse.
BACKGROUND = ("وكانت الحكومة قد أعلنت في شهر مارس الماضي عن خطة لإصلاح شبكة الطرق في المحافظات "
              "الجنوبية تمتد ثلاث سنوات وتشمل إنشاء جسور جديدة وتوسعة الطرق السريعة بين المدن الرئيسية")


def own(i: int, host: str = HOST) -> list[str]:
    """Two lines only page i of a host has."""
    return [f"قال المسؤول في الخبر رقم {i} من {host} إن العمل مستمر", f"وأضاف أن المرحلة {i} تنتهي قريبا"]


def title(i: int, site: str = SITE) -> str:
    return f"عنوان الخبر رقم {i} - {site}"


def memory_after(pages: list[tuple[list[str], str]], host: str = HOST, **kwargs) -> OutletMemory:
    memory = OutletMemory(**kwargs)
    for lines, page_title in pages:
        memory.learn(host, lines, page_title)
    return memory


def test_constants_hold_together():
    assert M.MIN_PAGES <= M.LONG_MIN_PAGES and M.MIN_SHARE <= M.LONG_MIN_SHARE
    assert M.MIN_PAGES <= M.WARM_UP_PAGES
    assert len(BACKGROUND.split()) >= M.LONG_LINE_WORDS > len(COPYRIGHT.split())


# --- boilerplate -----------------------------------------------------------------------------
def test_a_line_on_every_page_is_boilerplate_and_its_own_lines_are_not():
    memory = memory_after([([*own(i), PROMPT], title(i)) for i in range(50)])
    assert memory.boilerplate(HOST) == frozenset([PROMPT])
    assert memory.is_boilerplate(HOST, PROMPT)
    assert not memory.is_boilerplate(HOST, own(3)[0])


def test_a_line_on_2_of_50_pages_is_not_boilerplate():
    pages = [([*own(i), PROMPT] + ([COPYRIGHT] if i in (7, 31) else []), title(i)) for i in range(50)]
    memory = memory_after(pages)
    assert COPYRIGHT not in memory.boilerplate(HOST)
    assert memory.boilerplate(HOST) == frozenset([PROMPT])


def test_a_line_on_a_few_consecutive_pages_is_not_boilerplate():
    """Four follow-ups in a row share a short line: not on MIN_SHARE of the crawl's pages."""
    pages = [(own(i) + ([COPYRIGHT] if 20 <= i < 24 else []), title(i)) for i in range(30)]
    assert memory_after(pages).boilerplate(HOST) == frozenset()


def test_a_line_on_most_pages_of_one_section_is_boilerplate():
    """A prompt only one of two sections shows: on half of the pages."""
    pages = [(own(i) + ([PROMPT] if i % 2 else []), title(i)) for i in range(40)]
    assert memory_after(pages).boilerplate(HOST) == frozenset([PROMPT])


def test_a_long_paragraph_needs_more_evidence_than_a_short_prompt():
    """On 5 of 10 pages: enough for a short line, not for a sentence run."""
    pages = [(own(i) + ([PROMPT, BACKGROUND] if i < 5 else []), title(i)) for i in range(10)]
    assert memory_after(pages).boilerplate(HOST) == frozenset([PROMPT])
    # the same paragraph on every page is a fixed disclaimer: boilerplate too
    pages = [([*own(i), BACKGROUND], title(i)) for i in range(10)]
    assert memory_after(pages).boilerplate(HOST) == frozenset([BACKGROUND])


def test_a_long_line_is_keyed_by_a_digest_and_given_back_as_learned():
    disclaimer = "تنويه: " + "هذا النص إخلاء مسؤولية ثابت " * 8
    assert len(disclaimer) > M.HASH_ABOVE_CHARS
    memory = memory_after([([*own(i), disclaimer], title(i)) for i in range(12)])
    assert memory.boilerplate(HOST) == frozenset([disclaimer])
    host_memory = memory._hosts[HOST]
    assert not any(isinstance(k, str) and len(k) > M.HASH_ABOVE_CHARS for k in host_memory.lines.keys())
    assert sum(isinstance(k, bytes) and len(k) == M.DIGEST_BYTES for k in host_memory.lines.keys()) == 1


def test_a_line_too_long_to_be_furniture_is_not_counted():
    run = "كلمة " * (M.MAX_LINE_CHARS // 5 + 10)
    memory = memory_after([([*own(i), run], title(i)) for i in range(12)])
    assert memory.boilerplate(HOST) == frozenset()
    assert memory.footprint()["line_keys"] == 2 * 12


def test_a_re_served_article_does_not_count_twice():
    """One article served at 9 URLs (same title) and 11 other pages: its lines are on one article."""
    pages = [([*own(i), PROMPT], title(i)) for i in range(11)]
    pages += [([*own(99), COPYRIGHT], title(99))] * 9
    memory = OutletMemory()
    learned = [memory.learn(HOST, lines, page_title) for lines, page_title in pages]
    assert learned == [True] * 12 + [False] * 8
    assert memory.boilerplate(HOST) == frozenset([PROMPT])
    assert memory.footprint()["titles"] == 12


def test_pages_without_a_title_are_told_apart_by_their_lines():
    memory = OutletMemory()
    assert memory.learn(HOST, [*own(1), PROMPT], None)
    assert not memory.learn(HOST, [*own(1), PROMPT], "")  # the same page again
    assert memory.learn(HOST, [*own(2), PROMPT], None)


def test_a_line_repeated_on_one_page_counts_once():
    pages = [(own(i) + ([PROMPT] * 6 if i < 3 else []), title(i)) for i in range(10)]
    assert memory_after(pages).boilerplate(HOST) == frozenset()


def test_white_space_does_not_make_another_line():
    pages = [([*own(i), PROMPT if i % 2 else f"  {PROMPT.replace(' ', '  ')} "], title(i)) for i in range(10)]
    memory = memory_after(pages)
    assert memory.is_boilerplate(HOST, PROMPT)
    assert memory.is_boilerplate(HOST, f" {PROMPT}\n")
    assert len(memory.boilerplate(HOST)) == 1


def test_a_line_stops_being_boilerplate_when_the_crawl_moves_on():
    """Boilerplate is judged on the pages so far: a prompt of the first section only fades."""
    memory = OutletMemory()
    for i in range(10):
        memory.learn(HOST, [*own(i), PROMPT], title(i))
    assert memory.boilerplate(HOST) == frozenset([PROMPT])
    for i in range(10, 40):
        memory.learn(HOST, own(i), title(i))
    assert memory.boilerplate(HOST) == frozenset()


# --- warm-up -----------------------------------------------------------------------------------
def test_nothing_is_known_during_the_warm_up():
    memory = OutletMemory()
    for i in range(M.WARM_UP_PAGES):
        assert memory.boilerplate(HOST) == frozenset()
        assert memory.site_name(HOST) is None
        assert memory.strip_site_name(HOST, title(i)) == title(i)
        memory.learn(HOST, [*own(i), PROMPT], title(i))
    assert memory.boilerplate(HOST) == frozenset([PROMPT])
    assert memory.site_name(HOST) == SITE


def test_without_warm_up_the_thresholds_alone_decide():
    memory = OutletMemory(warm_up=0)
    for i in range(M.MIN_PAGES):
        assert memory.boilerplate(HOST) == frozenset()
        memory.learn(HOST, [*own(i), PROMPT], title(i))
    assert memory.boilerplate(HOST) == frozenset([PROMPT])


def test_an_unknown_host_knows_nothing():
    memory = memory_after([([*own(i), PROMPT], title(i)) for i in range(10)])
    assert memory.boilerplate("other.example") == frozenset()
    assert memory.site_name("other.example") is None
    assert memory.strip_site_name("other.example", title(1)) == title(1)
    assert memory.hosts() == [HOST]  # asking creates nothing


# --- site name -------------------------------------------------------------------------------
@pytest.mark.parametrize("separator", M.SEPARATORS)
def test_a_site_name_at_the_end(separator):
    memory = memory_after([(own(i), f"عنوان الخبر رقم {i}{separator}{SITE}") for i in range(10)])
    assert memory.site_name(HOST) == SITE
    assert memory.strip_site_name(HOST, f"وزير: الخطة تبدأ غدا{separator}{SITE}") == "وزير: الخطة تبدأ غدا"


@pytest.mark.parametrize("separator", [" | ", " - ", " :: "])
def test_a_site_name_at_the_start(separator):
    memory = memory_after([(own(i), f"{SITE}{separator}عنوان الخبر رقم {i}") for i in range(10)])
    assert memory.site_name(HOST) == SITE
    assert memory.strip_site_name(HOST, f"{SITE}{separator}الخطة - تبدأ غدا") == "الخطة - تبدأ غدا"


def test_a_site_name_after_a_section():
    """``<headline> - <section> - <site>``: the last part is the name; the section stays."""
    sections = ["سياسة", "اقتصاد", "رياضة"]
    memory = memory_after([(own(i), f"عنوان رقم {i} - {sections[i % 3]} - {SITE}") for i in range(12)])
    assert memory.site_name(HOST) == SITE
    assert memory.strip_site_name(HOST, f"عنوان - سياسة - {SITE}") == "عنوان - سياسة"


def test_a_title_without_the_name_is_unchanged():
    memory = memory_after([(own(i), title(i)) for i in range(10)])
    assert memory.strip_site_name(HOST, "عنوان بلا اسم الموقع") == "عنوان بلا اسم الموقع"
    assert memory.strip_site_name(HOST, f"عنوان يذكر {SITE} في وسطه") == f"عنوان يذكر {SITE} في وسطه"
    assert memory.strip_site_name(HOST, SITE) == SITE  # nothing would remain


def test_a_part_on_few_titles_is_no_site_name():
    """A story's name on 4 of 12 titles (a series) is not the site's."""
    pages = [(own(i), f"الانتخابات البلدية - جولة رقم {i}" if i < 4 else f"عنوان الخبر رقم {i}") for i in range(12)]
    memory = memory_after(pages)
    assert memory.site_name(HOST) is None
    assert memory.strip_site_name(HOST, "الانتخابات البلدية - النتائج") == "الانتخابات البلدية - النتائج"


def test_a_site_name_on_most_titles_only():
    """An og:title without the name on a few pages: the name is still on most titles."""
    pages = [(own(i), title(i) if i % 4 else f"عنوان الخبر رقم {i}") for i in range(20)]
    assert memory_after(pages).site_name(HOST) == SITE


def test_title_parts():
    assert title_parts(f"عنوان - {SITE}") == ("عنوان", SITE)
    assert title_parts("عنوان بلا فاصل") == (None, None)
    assert title_parts("وزير:الخطة-تبدأ") == (None, None)  # unspaced: inside the words
    long_headline = " ".join(["كلمة"] * (M.MAX_SITE_NAME_WORDS + 1))
    assert title_parts(f"{long_headline} | {SITE}") == (None, SITE)


# --- hosts -----------------------------------------------------------------------------------
def test_two_outlets_on_one_crawl_are_kept_apart():
    memory = OutletMemory()
    other, other_site, other_prompt = "other.example", "شبكة أخرى", "تابعونا على منصات التواصل"
    for i in range(20):  # interleaved, as a crawl of two feeds goes
        memory.learn(HOST, [*own(i), PROMPT], title(i))
        memory.learn(other, [*own(i, other), other_prompt], f"{other_site} | خبر آخر رقم {i}")
    assert memory.boilerplate(HOST) == frozenset([PROMPT])
    assert memory.boilerplate(other) == frozenset([other_prompt])
    assert memory.site_name(HOST) == SITE and memory.site_name(other) == other_site
    assert memory.strip_site_name(other, title(1)) == title(1)
    assert memory.strip_site_name(HOST, f"{other_site} | خبر") == f"{other_site} | خبر"


def test_a_host_is_one_outlet_whatever_its_case_and_www():
    memory = OutletMemory()
    for i in range(10):
        memory.learn(("www.NEWS.example", "news.example.")[i % 2], [*own(i), PROMPT], title(i))
    assert memory.hosts() == [HOST]
    assert memory.boilerplate("WWW.news.example") == frozenset([PROMPT])


def test_the_least_recently_seen_host_is_forgotten():
    memory = OutletMemory(max_hosts=2, warm_up=0)
    for i in range(6):
        memory.learn("a.example", [*own(i), PROMPT], title(i))
        memory.learn("b.example", [*own(i), PROMPT], title(i))
    memory.learn("a.example", [*own(7), PROMPT], title(7))  # a is now the most recent
    memory.learn("c.example", [*own(0), PROMPT], title(0))
    assert memory.hosts() == ["a.example", "c.example"]
    assert memory.boilerplate("b.example") == frozenset()
    assert memory.boilerplate("a.example") == frozenset([PROMPT])
    assert memory.footprint()["hosts"] == 2


# --- bounds ----------------------------------------------------------------------------------
def test_memory_stays_bounded_over_10000_pages_of_random_lines():
    rng = random.Random(13)
    memory = OutletMemory()
    for i in range(10_000):
        lines = [f"سطر {rng.getrandbits(48)} " + "كلمة " * rng.choice((1, 30)) for _ in range(5)]
        memory.learn(HOST, [*lines, PROMPT], f"خبر {rng.getrandbits(48)} - {SITE}")
        if i % 1000 == 999:
            footprint = memory.footprint()
            assert footprint["line_keys"] <= M.MAX_LINES
            assert footprint["titles"] <= M.MAX_TITLES
            assert footprint["title_parts"] <= 2 * M.MAX_TITLE_PARTS
            assert footprint["boilerplate_texts"] <= M.MAX_BOILERPLATE_TEXTS
            # short keys as text, long ones as digests: never whole paragraphs
            assert footprint["text_chars"] <= (M.MAX_LINES * M.HASH_ABOVE_CHARS
                                               + M.MAX_BOILERPLATE_TEXTS * M.MAX_LINE_CHARS)
    footprint = memory.footprint()
    assert footprint["line_keys"] == M.MAX_LINES and footprint["titles"] == M.MAX_TITLES
    assert memory.boilerplate(HOST) == frozenset([PROMPT])  # no random line, the real one
    assert memory.site_name(HOST) == SITE


def test_space_saving_never_overstates_a_count_and_keeps_the_frequent_keys():
    rng = random.Random(5)
    counter = SpaceSavingCounter(50)
    truth: Counter = Counter()
    for _ in range(20_000):
        key = rng.choice("abc") if rng.random() < 0.3 else rng.randrange(5000)
        truth[key] += 1
        counter.add(key)
        assert len(counter) <= 50
    for key, guaranteed in counter.items():
        assert guaranteed <= truth[key]
    for key in "abc":  # ~2000 each, far above 20000 / 50
        assert key in counter and counter.guaranteed(key) > 0.9 * truth[key]


def test_space_saving_replaces_the_least_counted_oldest_key():
    counter = SpaceSavingCounter(2)
    counter.add("a")
    counter.add("a")
    counter.add("b")
    assert counter.add("c") == "b"  # b had the least count
    assert counter.guaranteed("c") == 1  # count 2, of which b's count 1 is a possible error
    # a and c both count 2: the one that reached it first (least recently seen) goes
    assert counter.add("d") == "a"
    assert counter.guaranteed("d") == 1 and counter.guaranteed("a") == 0
