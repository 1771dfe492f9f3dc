"""Build the site, both languages at once: `python -m tools.build [DEST]` (`make build`).

Chinese goes to DEST (default `site`), English to DEST/en: two independent MkDocs processes,
one core each, strict. A build empties its own folder first, so English is built beside DEST
and moved in when both are done. Canonical URLs come from SITE_URL / SITE_URL_EN, as usual.
Two builds of one commit are byte-identical: the build date (sitemap) is the commit's time
unless SOURCE_DATE_EPOCH says otherwise. The tests and `make bench` build through here too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.regions import ROOT

CONFIGS = ("mkdocs.yml", "mkdocs.en.yml")  # Chinese at the root, English under en/
FALLBACK_EPOCH = "1768089600"  # outside a git checkout: 2026-01-11, the articles' date


def mkdocs_command(config, dest) -> list[str]:
    """One language, strict."""
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(dest)]


def build_env(site_url: str | None = None) -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if "SOURCE_DATE_EPOCH" not in env:
        commit = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
        env["SOURCE_DATE_EPOCH"] = commit.stdout.strip() or FALLBACK_EPOCH
    if site_url:
        env.update(SITE_URL=site_url, SITE_URL_EN=site_url + "en/")
    return env


def build_site(dest: Path, site_url: str | None = None) -> str:
    """Build both languages into dest; return the errors ("" when both builds passed)."""
    dest = Path(dest).resolve()
    dest.mkdir(parents=True, exist_ok=True)
    env = build_env(site_url)
    english = Path(tempfile.mkdtemp(prefix=".en-build-", dir=dest.parent))
    try:
        running = {
            config: subprocess.Popen(mkdocs_command(config, out), cwd=ROOT, env=env, text=True,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for config, out in zip(CONFIGS, (dest, english), strict=True)
        }
        errors = []
        for config, process in running.items():
            _, stderr = process.communicate(timeout=600)
            if process.returncode:
                errors.append(f"{config}: strict build failed\n{stderr[-3000:]}")
        if not errors:
            english.rename(dest / "en")
        return "\n".join(errors)
    finally:
        shutil.rmtree(english, ignore_errors=True)


def main(argv: list[str]) -> int:
    dest = Path(argv[0] if argv else "site")
    errors = build_site(dest)
    if errors:
        print(errors, file=sys.stderr)
        return 1
    print(f"built {dest}/ (Chinese) and {dest}/en/ (English)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
