"""Every measured-looking number in an article's prose comes from something that produces it.

A decimal, a percentage or a quantity with a unit (ms, s, GB, ×, …) written in the text must
appear in what the article's code prints or stores (outputs, measured/ files, figures, the
snippet modules themselves), so that it changes with them and cannot go stale unnoticed.
The exceptions are figures quoted from papers and documentation, listed below with their
source, and version numbers (Python 3.13, PyTorch 2.13) and arXiv identifiers.
"""

from __future__ import annotations

import re

import pytest

from tools.regions import LANGS, ROOT, figure_dir, package, pages, strip_fences

# {slug: {number: where it is quoted from}}: results reported by papers, cited on the page.
QUOTED = {
    "detr": {n: "Carion et al. 2020, Table 1 (COCO val, AP / AP_S / AP_L; 7.7 = 61.1 - 53.4)"
             for n in ("42.0", "26.6", "53.4", "20.5", "61.1", "24.2", "51.3", "40.2", "52.0", "7.7")},
    "ddp": {"25": "PyTorch docs, DistributedDataParallel: bucket_cap_mb defaults to 25"},
    "pdb": {"3.12": "a Python version (the text compares 3.12 with 3.13)",
            "3.14": "a Python version (What's New in Python 3.14, gh-124704)"},
    "face-recognition": {"99.63": "Schroff et al. 2015 (FaceNet), LFW accuracy",
                         "99.83": "Deng et al. 2019 (ArcFace), LFW accuracy"},
    "transformer": {"27.3": "Vaswani et al. 2017, Table 2 (base, EN-DE BLEU)",
                    "28.4": "Vaswani et al. 2017, Table 2 (big, EN-DE BLEU)"},
    "inheritance-mro": {"2.3": "the Python release that introduced C3 (Simionato's HOWTO)"},
}
UNIT = r"(?:%|％|ms|µs|us|s|GB|MB|KB|KiB|MiB|GiB|×|x)"
NUMBER = re.compile(rf"(?<![\w.\-/#:])(\d+\.\d+(?:e[-+]?\d+)?|\d+(?:\.\d+)?)\s?({UNIT})?(?![\w.])")
VERSION = re.compile(r"(?:Python|PyTorch|torch|CPython|Material|MkDocs|Zensical)\s+\d+(?:\.\d+)+", re.I)


def prose(text: str) -> str:
    """The page without front matter, code, includes, inline code, math, link targets, versions."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    text = strip_fences(text)
    for pattern in (r"^--8<--.*$", r"`[^`\n]*`", r"\$\$.*?\$\$", r"\$[^$\n]*\$", r"\]\([^)]*\)",
                    r"arXiv[:\s]*\d{4}\.\d{4,5}", r"<[^>]+>", VERSION.pattern):
        text = re.sub(pattern, " ", text, flags=re.S | re.M)
    return text


TOKEN = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def produced(slug: str) -> set[str]:
    """The numbers the article's outputs, measured files, snippets and figure labels hold."""
    pkg = ROOT / "snippets" / package(slug)
    texts = [f.read_text(encoding="utf-8", errors="replace")
             for f in [*pkg.rglob("*.txt"), *pkg.rglob("*.json"), *pkg.rglob("*.py")]]
    for lang in LANGS:  # a figure's text, not its coordinates
        texts += ["\n".join(re.findall(r">([^<]+)<", f.read_text(encoding="utf-8")))
                  for f in figure_dir(lang, slug).glob("*.svg")]
    return {t for text in texts for t in TOKEN.findall(text)}


@pytest.mark.parametrize("slug", sorted(pages("en")))
def test_numbers_in_the_prose_come_from_the_code_or_a_cited_source(slug):
    corpus, quoted = produced(slug), QUOTED.get(slug, {})
    unsupported = set()
    for lang in LANGS:
        for m in NUMBER.finditer(prose(pages(lang)[slug].read_text(encoding="utf-8"))):
            number, unit = m[1], m[2]
            if "." not in number and not unit:
                continue  # counts, sizes and years: too common to trace, and not measured
            if number not in corpus and number not in quoted:
                unsupported.add(f"{lang}: {m[0].strip()}")
    assert not unsupported, (
        "numbers in the prose that no output, measured file, figure or snippet of the article "
        f"contains, and no cited source: {sorted(unsupported)}")


def test_quoted_numbers_still_appear_on_their_pages():
    stale = [f"{slug}: {n}" for slug, numbers in QUOTED.items() for n in numbers
             if n not in pages("en")[slug].read_text(encoding="utf-8")]
    assert not stale, "remove what the pages no longer quote"
