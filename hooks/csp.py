"""Give every page a Content-Security-Policy that allows scripts, styles, fonts and images
from the site itself only. The few inline scripts the theme needs are allowed by their
SHA-256 hash, computed here from the page as built, so the browser itself enforces that
nothing is loaded from another host."""

from __future__ import annotations

import base64
import hashlib
import re

SCRIPT = re.compile(r"<script(?P<attrs>(?:(?!\bsrc=)[^>])*)>(?P<body>.*?)</script>", re.S)
STYLE = re.compile(r"<style[^>]*>(?P<body>.*?)</style>", re.S)
STYLE_ATTR = re.compile(r'\sstyle="(?P<body>[^"]*)"')
NOT_JS = re.compile(r'type="(?!module|text/javascript)[^"]*"')  # JSON, MathJax config: never run


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def policy(html: str) -> str:
    scripts = sorted({_hash(m["body"]) for m in SCRIPT.finditer(html) if not NOT_JS.search(m["attrs"])})
    styles = sorted({_hash(m["body"]) for m in STYLE.finditer(html)})
    attrs = sorted({_hash(m["body"]) for m in STYLE_ATTR.finditer(html)})
    style_src = ["'self'", *styles] + (["'unsafe-hashes'", *attrs] if attrs else [])
    return "; ".join([
        "default-src 'self'",
        "script-src " + " ".join(["'self'", *scripts]),
        "style-src " + " ".join(style_src),
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def with_policy(html: str) -> str:
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    return re.sub(r"<head>", lambda m: m[0] + "\n    " + meta, html, count=1)


def on_post_page(output, page, config):
    return with_policy(output)


def on_post_template(output_content, template_name, config):
    return with_policy(output_content) if template_name.endswith(".html") else output_content
