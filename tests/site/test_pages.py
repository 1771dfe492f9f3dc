"""The pages and the snippets stay in step: what the README's rules promise, checked on the sources."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tools.regions import LANGS, ROOT, fences, front_matter, headings, includes, package, pages, regions

SLUGS = sorted(set(pages("zh")) | set(pages("en")))
CATEGORIES = {"Python", "PyTorch", "Large Model", "Computer Vision", "NLP"}
IMAGE = r"!\[((?:[^\[\]]|\[[^\]]*\])*)\]"  # alt text may hold one level of brackets
PYTHON_FENCE = re.compile(r"^(python|py|python3|pycon|ipython|\{\.python)\b", re.I)


def text(lang: str, slug: str) -> str:
    return pages(lang)[slug].read_text(encoding="utf-8")


def test_there_are_articles():
    assert SLUGS, "no article found under docs/*/posts/"


@pytest.mark.parametrize("slug", SLUGS)
def test_article_exists_in_both_languages_at_the_same_slug(slug):
    for lang in LANGS:
        assert slug in pages(lang), f"{slug} is missing in docs/{lang}/posts/"
        assert pages(lang)[slug].stem == slug, f"file name of {slug} differs from its slug"


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("lang", LANGS)
def test_front_matter_feeds_the_listing(slug, lang):
    meta = front_matter(text(lang, slug))
    assert meta.get("slug") == slug
    assert meta.get("date") == "2026-01-11"
    assert meta.get("title") and meta.get("description")
    cats = re.findall(r"[^\[\],]+", meta.get("categories", ""))
    assert [c.strip() for c in cats if c.strip()] and {c.strip() for c in cats if c.strip()} <= CATEGORIES
    assert "<!-- more -->" in text(lang, slug), "the listing excerpt needs a <!-- more --> marker"


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("lang", LANGS)
def test_page_has_no_python_block_that_is_not_a_snippet_include(slug, lang):
    pasted = [info for info, _ in fences(text(lang, slug)) if PYTHON_FENCE.match(info)]
    assert not pasted, f"docs/{lang}/posts/{slug}.md pastes Python code; include a snippet region instead"


@pytest.mark.parametrize("slug", SLUGS)
def test_languages_include_the_same_regions_in_the_same_order(slug):
    zh, en = (includes(text(lang, slug)) for lang in LANGS)
    assert zh == en


@pytest.mark.parametrize("slug", SLUGS)
def test_languages_hold_the_same_shell_blocks(slug):
    zh, en = ([b for b in fences(text(lang, slug)) if b[0].split()[:1] in (["bash"], ["sh"])] for lang in LANGS)
    assert zh == en


@pytest.mark.parametrize("slug", SLUGS)
def test_headings_carry_the_same_explicit_ids_in_both_languages(slug):
    ids = {}
    for lang in LANGS:
        found = headings(text(lang, slug))
        missing = [t for _, t, i in found if i is None]
        assert not missing, f"{lang}/{slug}: headings without an explicit {{#id}}: {missing}"
        ids[lang] = [(level, i) for level, _, i in found]
    assert ids["zh"] == ids["en"]


@pytest.mark.parametrize("slug", SLUGS)
def test_languages_show_the_same_figures(slug):
    pattern = re.compile(IMAGE + r"\(([^)\s]+)")
    zh, en = ([path for _, path in pattern.findall(text(lang, slug))] for lang in LANGS)
    assert zh == en
    for lang, figs in (("zh", zh), ("en", en)):
        for fig in figs:
            path = (pages(lang)[slug].parent / fig).resolve()
            assert path.is_file(), f"{lang}/{slug}: figure {fig} does not exist"
    alts = re.findall(IMAGE, text("zh", slug))
    assert all(re.search(r"[\u4e00-\u9fff]", a) for a in alts), "Chinese alt text expected on the zh page"


@pytest.mark.parametrize("slug", SLUGS)
def test_every_included_region_exists(slug):
    for inc in includes(text("zh", slug)):
        assert inc.region in regions(inc.path), f"{slug}: {inc} does not exist"


def all_snippet_modules() -> list[Path]:
    return sorted(
        p for p in (ROOT / "snippets").rglob("*.py")
        if p.name != "__init__.py" and "outputs" not in p.parts and p.parent != ROOT / "snippets"
    )


def test_every_region_is_used_by_a_page():
    used = {
        (inc.path, inc.region) for lang in LANGS for slug in pages(lang) for inc in includes(text(lang, slug))
    }
    unused = [
        f"{p.relative_to(ROOT)}:{name}"
        for p in all_snippet_modules()
        for name in regions(p.relative_to(ROOT))
        if (p.relative_to(ROOT).as_posix(), name) not in used
    ]
    assert not unused, f"regions no page includes: {unused}"


def test_every_snippet_module_has_its_test():
    # figures.py is checked by test_generated (its output must equal the committed figures).
    missing = [
        str(p.relative_to(ROOT))
        for p in all_snippet_modules()
        if p.name != "figures.py"
        and not (ROOT / "tests" / p.parent.name / f"test_{p.stem}.py").is_file()
    ]
    assert not missing, f"snippet modules without tests/<pkg>/test_<mod>.py: {missing}"


def test_every_snippet_package_belongs_to_a_published_article():
    packages = {p.name for p in (ROOT / "snippets").iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert packages <= {package(s) for s in SLUGS}, "a snippet package without its article"


# The standard sections of an article carry one name per language everywhere.
STANDARD_SECTIONS = {
    "The question": "问题", "The idea": "思路", "The code": "代码", "The proof": "验证",
    "Pitfalls": "常见陷阱", "What the tests check": "测试检查了什么", "References": "参考资料",
}


def test_standard_sections_have_one_name_in_each_language():
    wrong = []
    for slug in SLUGS:
        zh, en = (headings(text(lang, slug)) for lang in LANGS)
        for (_, en_title, _), (_, zh_title, _) in zip(en, zh, strict=True):
            base = re.sub(r"^The pitfalls$", "Pitfalls", en_title)
            if base in STANDARD_SECTIONS and (en_title != base or zh_title != STANDARD_SECTIONS[base]):
                wrong.append(f"{slug}: {en_title!r} / {zh_title!r}, expected {base!r} / {STANDARD_SECTIONS[base]!r}")
    assert not wrong, "\n".join(wrong)
