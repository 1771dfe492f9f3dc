"""Link previews: Open Graph and Twitter meta on every page, and a preview image per article.

A chat app or social site that is sent a link reads these tags for the card it shows: title,
description, address, language and an image. Each article gets a 1200×630 PNG drawn here at
build time in the page's language (its title, category and the site's name); other pages use
the site's own card. Nothing comes from another service: the images are files of this site.
"""

from __future__ import annotations

import functools
import re
import sys
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools.regions import post_dates  # noqa: E402

SIZE = (1200, 630)
LOCALES = {"zh": "zh_CN", "en": "en_US"}
# A CJK font for the Chinese cards (tools/setup.sh installs the first on Debian).
FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans CJK JP", "PingFang SC", "Microsoft YaHei")


@functools.cache
def _font_file(cjk: bool) -> str:
    from matplotlib import font_manager

    for family in FONTS if cjk else ("DejaVu Sans",):
        try:
            return font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
    raise RuntimeError("hooks/social.py: no CJK font for the Chinese preview images "
                       "(Debian: apt-get install fonts-wqy-microhei)")


def draw_card(title: str, kicker: str, footer: str, lang: str) -> bytes:
    """A preview image: the kicker (category) over the title, the site's name at the foot."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    font = functools.partial(ImageFont.truetype, _font_file(lang == "zh"))
    image = Image.new("RGB", SIZE, "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 24, SIZE[1]), fill="#3f51b5")
    draw.rectangle((0, SIZE[1] - 110, SIZE[0], SIZE[1]), fill="#e8eaf6")
    draw.text((80, 70), kicker, font=font(36), fill="#3f51b5")
    lines = _wrap(draw, title, font(64), SIZE[0] - 160)[:4]
    for number, line in enumerate(lines):
        draw.text((80, 150 + number * 84), line, font=font(64), fill="#1a1a2e")
    draw.text((80, SIZE[1] - 80), footer, font=font(34), fill="#303f9f")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _wrap(draw, text: str, font, width: int) -> list[str]:
    """Lines no wider than `width` pixels, broken between words or between CJK characters."""
    tokens = re.findall(r"[\u3000-\u9fff\uff00-\uffef]|[^\s\u3000-\u9fff\uff00-\uffef]+\s*|\s+", text)
    lines, line = [], ""
    for token in tokens:
        if line and draw.textlength((line + token).rstrip(), font=font) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return [*lines, line.rstrip()] if line.strip() else lines


def _language(config) -> str:
    return config.theme["language"]


def on_post_page(output, page, config):
    lang = _language(config)
    article = page.file.src_uri.startswith("posts/") and page.meta.get("slug")
    title = page.meta.get("title") or (page.title if page.title else config.site_name)
    description = page.meta.get("description") or config.site_description or ""
    name = page.meta["slug"] if article else "site"
    image = f"{config.site_url}assets/social/{name}.png"
    other = "en" if lang == "zh" else "zh"
    tags = {
        "og:type": "article" if article else "website",
        "og:site_name": config.site_name,
        "og:title": title,
        "og:description": description,
        "og:url": page.canonical_url or config.site_url,
        "og:locale": LOCALES[lang],
        "og:locale:alternate": LOCALES[other],
        "og:image": image,
        "og:image:width": str(SIZE[0]),
        "og:image:height": str(SIZE[1]),
        "og:image:alt": title,
        "twitter:card": "summary_large_image",
        "twitter:title": title,
        "twitter:description": description,
        "twitter:image": image,
    }
    if article:
        created, updated = post_dates(page.meta)
        tags["article:published_time"] = created
        if updated:
            tags["article:modified_time"] = updated
        folder = Path(config.site_dir, "assets", "social")
        folder.mkdir(parents=True, exist_ok=True)
        kicker = " · ".join(page.meta.get("categories", []))
        (folder / f"{name}.png").write_bytes(draw_card(title, kicker, config.site_name, lang))
    meta = "".join(
        f'\n    <meta {"name" if key.startswith("twitter:") else "property"}="{key}" content="{escape(value)}">'
        for key, value in tags.items()
    )
    return output.replace("</head>", f"{meta}\n  </head>", 1)


def on_post_build(config):
    folder = Path(config.site_dir, "assets", "social")
    folder.mkdir(parents=True, exist_ok=True)
    tagline = config.site_description or ""
    (folder / "site.png").write_bytes(draw_card(config.site_name, "pyml-notes", tagline[:60], _language(config)))
