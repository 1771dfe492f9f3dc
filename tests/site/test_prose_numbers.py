"""Every measured-looking number in an article's prose comes from something that produces it.

A decimal, a percentage or a quantity with a unit (ms, s, GB, ×, …) written in the text must
be, or round to as many decimals as it shows, a number that the article's code prints or
stores (outputs, measured/ files, figure labels, the snippet modules themselves), so that it
changes with them and cannot go stale unnoticed.
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
             for n in ("42.0", "26.6", "53.4", "20.5", "61.1", "24.2", "51.3", "40.2", "52.0", "7.7", "22.5")}
    | {"49.4": "Zhang et al. 2023 (DINO), 12 epochs, R50", "53.1": "Zhao et al. 2024 (RT-DETR), R50 AP"},
    "ddp": {"25": "PyTorch docs, DistributedDataParallel: bucket_cap_mb defaults to 25"},
    "pdb": {"3.12": "a Python version (the text compares 3.12 with 3.13)",
            "3.14": "a Python version (What's New in Python 3.14, gh-124704)"},
    "face-recognition": {"99.63": "Schroff et al. 2015 (FaceNet), LFW accuracy",
                         "99.83": "Deng et al. 2019 (ArcFace), LFW accuracy"},
    "transformer": {"27.3": "Vaswani et al. 2017, Table 2 (base, EN-DE BLEU)",
                    "28.4": "Vaswani et al. 2017, Table 2 (big, EN-DE BLEU)",
                    "41.8": "Vaswani et al. 2017, Table 2 (big, EN-FR BLEU, arXiv version)",
                    "3.5": "Vaswani et al. 2017, section 5.2 (the big model trained for 3.5 days)",
                    "3.4": "a section number of the paper (3.4, embeddings and softmax)",
                    "5.3": "a section number of the paper (5.3, optimizer and schedule)",
                    "5.4": "a section number of the paper (5.4, label smoothing)"},
    "spp": {"102": "He et al. 2014 (SPP-net), 24-102x faster feature computation than R-CNN",
            "3.7": "275 / 75, the ratio of comparisons the same sentence computes",
            "0.25": "chance accuracy with 4 classes, as the sentence says"},
    "inheritance-mro": {"2.3": "the Python release that introduced C3 (Simionato's HOWTO)"},
}
UNIT = r"(?:%|％|ms|µs|us|s|GB|MB|KB|KiB|MiB|GiB|×|x)"
NUMBER = re.compile(rf"(?<![\w.\-/#:])(\d+\.\d+(?:e[-+]?\d+)?|\d+(?:\.\d+)?)\s?({UNIT})?(?![\w.])")
VERSION = re.compile(r"(?:Python|PyTorch|torch|CPython|Material|MkDocs|Zensical)\s+\d+(?:\.\d+)+", re.I)


def prose(text: str) -> str:
    """The page without front matter, code, includes, inline code, math, link targets, versions."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    text = strip_fences(text)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)  # display math may span lines
    for pattern in (r"^--8<--.*$", r"`[^`\n]*`", r"\$[^$\n]*\$", r"\]\([^)]*\)",
                    r"arXiv[:\s]*\d{4}\.\d{4,5}", r"<[^>]+>", VERSION.pattern):
        text = re.sub(pattern, " ", text, flags=re.M)
    return text


TOKEN = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def comes_from(number: str, values: set[str]) -> bool:
    """The number is one of the values, or one of them rounded to as many decimals as it shows."""
    if number in values:
        return True
    decimals = len(number.partition(".")[2])
    target = float(number)
    return any(abs(round(float(v), decimals) - target) < 1e-9 for v in values)


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
            if number not in quoted and not comes_from(number, corpus):
                unsupported.add(f"{lang}: {m[0].strip()}")
    assert not unsupported, (
        "numbers in the prose that no output, measured file, figure or snippet of the article "
        f"contains, and no cited source: {sorted(unsupported)}")


def test_quoted_numbers_still_appear_on_their_pages():
    stale = [f"{slug}: {n}" for slug, numbers in QUOTED.items() for n in numbers
             if n not in pages("en")[slug].read_text(encoding="utf-8")]
    assert not stale, "remove what the pages no longer quote"


def test_a_number_comes_from_a_value_only_when_it_is_that_value_rounded():
    assert comes_from("31", {"30.6"}) and comes_from("0.95", {"0.952"}) and comes_from("0.2", {"2.0e-01"})
    assert not comes_from("0.96", {"0.952"}) and not comes_from("30", {"30.6"})
    assert "--8<--" not in prose('text\n--8<-- "snippets/a/b.py:c"\n\nafter 1.5 GB') and "1.5" in prose(
        'text\n--8<-- "snippets/a/b.py:c"\n\nafter 1.5 GB'), "an include line must not hide the prose after it"
