"""ArticleLoader: each field gets its own processors (looked up once per class, so a subclass or
another field never gets a processor meant for a different one)."""

from itemloaders.processors import MapCompose, TakeFirst

from akhbar.items import Article
from akhbar.loaders import ArticleLoader


def _load(**values) -> Article:
    loader = ArticleLoader(item=Article())
    for field, value in values.items():
        loader.add_value(field, value)
    return loader.load_item()


def test_text_fields_are_cleaned_and_take_their_first_non_empty_value():
    item = _load(headline=["", "  <b>وزير</b>&nbsp;الري\u200f  يشهد ", "ثان"])
    assert item["headline"] == "وزير الري يشهد"


def test_list_fields_keep_every_cleaned_value_and_drop_empty_ones():
    item = _load(body=["فقرة  أولى", "", "<p>فقرة ثانية</p>"], authors=["أحمد  علي", " "])
    assert item["body"] == ["فقرة أولى", "فقرة ثانية"]
    assert item["authors"] == ["أحمد علي"]


def test_agencies_and_tags_are_deduplicated_in_order():
    item = _load(agencies=["MENA", "AFP", "MENA"], tags=["مصر", "الري", "مصر"])
    assert item["agencies"] == ["MENA", "AFP"]
    assert item["tags"] == ["مصر", "الري"]


def test_identifiers_are_stripped_not_cleaned():
    # a URL is not text: an encoded space stays as it is, only the ends are stripped
    item = _load(url="  https://www.youm7.com/story/2024/5/13/a%20b  ")
    assert item["url"] == "https://www.youm7.com/story/2024/5/13/a%20b"


def test_structured_lists_are_taken_as_built():
    image = {"url": "https://e.com/a.jpg", "caption": None}
    related = {"block": "اقرأ أيضا", "title": "خبر", "url": "https://e.com/1"}
    item = _load(images=[image, {}], related=[related])
    assert item["images"] == [image]
    assert item["related"] == [related]


def test_the_same_loader_class_keeps_each_fields_processors_apart_across_loads():
    first = _load(headline="  عنوان  ", agencies=["AFP", "AFP"])
    second = _load(agencies=["رويترز"], headline=["", "آخر"])
    assert (first["headline"], first["agencies"]) == ("عنوان", ["AFP"])
    assert (second["headline"], second["agencies"]) == ("آخر", ["رويترز"])


def test_a_subclass_gets_its_own_processors():
    _load(headline="عنوان")  # the parent class's processors looked up first

    class UpperLoader(ArticleLoader):
        headline_in = MapCompose(str.upper)
        headline_out = TakeFirst()

    loader = UpperLoader(item=Article())
    loader.add_value("headline", "title")
    assert loader.load_item()["headline"] == "TITLE"
    assert _load(headline="title")["headline"] == "title"
