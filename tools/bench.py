"""`make bench`: speed and size figures of the project on this machine, with their method.

Prints, for a newcomer's laptop and for a reader on a slow connection:
  1. setup time of a fresh clone (git clone + tools/setup.sh into a new .venv);
  2. `make test` wall time after setup (median of --runs), and its five slowest tests;
  3. strict build time of both languages (median of --runs);
  4. number of pages and total size of the built site;
  5. whether two builds of the same commit are byte-identical;
  6. bytes a browser transfers for each page type before images (home, category, article,
     notebook) in both languages, raw and gzip-compressed (what GitHub Pages sends);
  7. Lighthouse scores (mobile profile, CPU slowdown scaled to this host's benchmarkIndex) for
     every article and notebook page in both languages, with total blocking time, largest
     contentful paint and DOM size per page, the worst page named, and where its main-thread
     time goes (Lighthouse's breakdown: style & layout, script, parsing, rendering).
Budgets: make test <= 60 s, build <= 10 s, article page <= 300 KB transferred before images
(gzip, as served). Over budget is printed loudly; the benchmark never fails a build.

Options: --skip-setup, --skip-lighthouse, --runs N (default 3), --lighthouse-pages all|types.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.build import build_site
from tools.regions import ROOT, pages
from tools.serve import serve_in_background

BUDGETS = {"make test (s)": 60.0, "build, both languages (s)": 10.0, "article KB (gzip)": 300.0}
LIGHTHOUSE = "12.2.3"
LIGHTHOUSE_TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def timed(cmd: list[str], **kw) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, **kw)
    return time.perf_counter() - start, result


def line(name: str, value: str, budget_key: str | None = None, number: float | None = None) -> None:
    flag = ""
    if budget_key and number is not None and number > BUDGETS[budget_key]:
        flag = f"   <<< OVER BUDGET ({BUDGETS[budget_key]:g}) >>>"
    print(f"  {name:<44} {value}{flag}")


def bench_setup() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        seconds, result = timed(["bash", "tools/setup.sh"], cwd=clone)
        status = "ok" if result.returncode == 0 else f"FAILED: {result.stderr[-300:]}"
        line("setup of a fresh clone (tools/setup.sh)", f"{seconds:.0f} s ({status})")


def bench_tests(runs: int) -> None:
    # `make test` itself (setup is already done, so it is lint + pytest on every core), in the
    # suite's file order rather than a random one, so that runs compare.
    cmd = ["make", "--no-print-directory", "test", "TEST_ARGS=-p no:randomly --durations=5"]
    times, last = [], None
    for _ in range(runs):
        seconds, last = timed(cmd, cwd=ROOT)
        times.append(seconds)
    median = statistics.median(times)
    line("make test after setup (median)", f"{median:.1f} s  (runs: {', '.join(f'{t:.1f}' for t in times)})",
         "make test (s)", median)
    summary = [ln for ln in last.stdout.splitlines() if " passed" in ln or " failed" in ln]
    if summary:
        line("  result of the last run", summary[-1])
    else:  # it stopped before pytest, e.g. in lint: the times above are not the suite's
        output = (last.stdout + last.stderr).strip().splitlines()
        line("  result of the last run", f"FAILED (exit {last.returncode}): {' | '.join(output[-3:])}")
    slow = [ln for ln in last.stdout.splitlines() if re.match(r"\d+\.\d+s ", ln)][:5]
    for entry in slow:
        print(f"      {entry}")


def build_both(dest: Path, site_url: str) -> float:
    """Seconds to build both languages, as `make build` does (tools/build.py: at once)."""
    start = time.perf_counter()
    errors = build_site(dest, site_url=site_url + "/")
    if errors:
        raise SystemExit(errors)
    return time.perf_counter() - start


def bench_reproducible(dest: Path, site_url: str) -> None:
    """Build again into a second folder and compare every file byte for byte."""
    with tempfile.TemporaryDirectory() as tmp:
        again = Path(tmp) / "site"
        build_both(again, site_url)
        first = {p.relative_to(dest): p.read_bytes() for p in dest.rglob("*") if p.is_file()}
        second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    differ = sorted(str(f) for f in first.keys() | second.keys() if first.get(f) != second.get(f))
    files = first
    status = "byte-identical" if not differ else f"{len(differ)} files differ: {differ[:5]}"
    line("two builds of the same commit", f"{status} ({len(files)} files)")


def bench_build(runs: int, dest: Path, site_url: str) -> None:
    times = [build_both(dest, site_url) for _ in range(runs)]
    total = statistics.median(times)
    line("strict build, both languages (median)", f"{total:.1f} s  (runs: {', '.join(f'{t:.1f}' for t in times)};"
         " the two languages build at once, one core each)", "build, both languages (s)", total)
    html = list(dest.rglob("*.html"))
    size = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    line("pages (HTML files)", f"{len(html)}")
    line("total site size", f"{size / 1e6:.1f} MB")


@functools.cache
def page_types() -> dict[str, str]:
    slug = sorted(pages("zh"))[0]
    return {"home": "", "category": "category/python/", "article": f"{slug}/", "notebook": f"notebooks/{slug}/"}


def bench_transfer(base: str) -> None:
    from playwright.sync_api import sync_playwright

    print("  bytes before images, per page type (raw / gzip), every article page checked:")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        for lang, prefix in (("zh", "/"), ("en", "/en/")):
            paths = dict(page_types())
            paths.update({f"article {s}": f"{s}/" for s in pages(lang)})
            worst_article = 0.0
            for kind, path in paths.items():
                context = browser.new_context()  # empty cache: a first visit
                page = context.new_page()
                bodies: list[bytes] = []
                page.on("response", functools.partial(_collect, bodies=bodies))
                page.goto(base + prefix + path, wait_until="networkidle")
                context.close()
                raw = sum(len(b) for b in bodies) / 1024
                packed = sum(len(gzip.compress(b, 6)) for b in bodies) / 1024
                if kind.startswith("article "):
                    worst_article = max(worst_article, packed)
                    continue
                key = "article KB (gzip)" if kind == "article" else None
                line(f"    {lang} {kind} ({len(bodies)} files)", f"{raw:7.0f} KB raw / {packed:5.0f} KB gzip", key,
                     packed)
            line(f"    {lang} heaviest article", f"{worst_article:5.0f} KB gzip", "article KB (gzip)", worst_article)
        browser.close()


def _collect(response, bodies: list[bytes]) -> None:
    if response.request.resource_type == "image":
        return
    try:
        bodies.append(response.body())
    except Exception:  # redirects and aborted requests have no body
        pass


def lighthouse_bin() -> Path:
    prefix = ROOT / ".bench"
    binary = prefix / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        prefix.mkdir(exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(prefix),
                        f"lighthouse@{LIGHTHOUSE}"], check=True)
    return binary


def lighthouse_once(binary: Path, url: str, slowdown: float | None = None) -> dict | None:
    env = dict(os.environ, CHROME_PATH=shutil.which("chromium") or "")
    flags = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --no-first-run"
    extra = [f"--throttling.cpuSlowdownMultiplier={slowdown:.2f}"] if slowdown else []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run([str(binary), url, "--quiet", "--output=json", f"--output-path={out}",
                        f"--chrome-flags={flags}", "--only-categories=performance,accessibility,best-practices,seo",
                        *extra], env=env, capture_output=True, text=True, timeout=300)
        return json.loads(out.read_text()) if out.exists() else None


# Lighthouse's mobile profile slows the CPU 4x, calibrated for a host whose benchmarkIndex is
# about 900 (a slow day on this 2-core machine). On a faster host the same 4x simulates a
# faster phone; scaling by benchmarkIndex / 900 keeps the figures comparable between hosts.
REFERENCE_INDEX = 900


def lighthouse_pages(which: str) -> dict[str, str]:
    """{name: path below the language root} of the pages Lighthouse measures."""
    if which == "types":
        return dict(page_types())
    found = {"home": "", "category": "category/python/"}
    for slug in sorted(pages("zh")):
        found[f"article {slug}"] = f"{slug}/"
        found[f"notebook {slug}"] = f"notebooks/{slug}/"
    return found


def bench_lighthouse(base: str, runs: int, which: str = "all") -> None:
    binary = lighthouse_bin()
    calibration = lighthouse_once(binary, base + "/")
    index = calibration["environment"]["benchmarkIndex"] if calibration else REFERENCE_INDEX
    slowdown = 4 * index / REFERENCE_INDEX
    print(f"  Lighthouse {LIGHTHOUSE}, mobile profile, simulated throttling, Debian chromium; this host's "
          f"benchmarkIndex {index:.0f}, so CPU slowdown 4 x {index:.0f}/{REFERENCE_INDEX} = {slowdown:.2f} "
          f"(median of {runs} runs per page; performance varies by a few points between runs):")
    worst = (101, "", [])
    for lang, prefix in (("zh", "/"), ("en", "/en/")):
        for kind, path in lighthouse_pages(which).items():
            reports = [r for r in (lighthouse_once(binary, base + prefix + path, slowdown) for _ in range(runs)) if r]
            if not reports:
                line(f"    {lang} {kind}", "lighthouse failed")
                continue
            scores = {k: round(statistics.median(100 * (r["categories"][k]["score"] or 0) for r in reports))
                      for k in reports[0]["categories"]}

            def median(audit: str) -> float:
                return statistics.median(r["audits"][audit]["numericValue"] for r in reports)  # noqa: B023

            low = [f"{k} {s} < {LIGHTHOUSE_TARGETS[k]}" for k, s in scores.items() if s < LIGHTHOUSE_TARGETS[k]]
            failing = sorted({a["id"] for r in reports for a in r["audits"].values()
                              if a.get("score") is not None and a["score"] < 0.9
                              and a.get("scoreDisplayMode") == "binary"})
            text = "  ".join(f"{k[:4]} {s:3d}" for k, s in scores.items())
            warning = f"   <<< BELOW TARGET: {', '.join(low)}; failing audits {failing} >>>" if low else ""
            print(f"    {lang} {kind:<32} {text}  TBT {median('total-blocking-time'):5.0f} ms  "
                  f"LCP {median('largest-contentful-paint') / 1000:4.1f} s  "
                  f"DOM {median('dom-size'):5.0f}{warning}")
            worst = min(worst, (scores["performance"], f"{lang} {kind}", reports), key=lambda w: w[0])
    print(f"  worst page: {worst[1]} (performance {worst[0]}); its main-thread work, simulated "
          f"(median of {len(worst[2])} runs): {main_thread(worst[2])}")


def main_thread(reports: list[dict]) -> str:
    """Lighthouse's main-thread breakdown (style & layout, script evaluation, ...), medians in ms."""
    groups: dict[str, list[float]] = {}
    for report in reports:
        for item in report["audits"]["mainthread-work-breakdown"]["details"]["items"]:
            groups.setdefault(item["groupLabel"], []).append(item["duration"])
    medians = sorted(((statistics.median(v), k) for k, v in groups.items()), reverse=True)
    return ", ".join(f"{k} {ms:.0f} ms" for ms, k in medians)


def main(argv: list[str]) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--skip-setup", action="store_true")
    args.add_argument("--skip-lighthouse", action="store_true")
    args.add_argument("--runs", type=int, default=3)
    args.add_argument("--lighthouse-pages", choices=("all", "types"), default="all",
                      help="every article and notebook page (default), or one page per type")
    opts = args.parse_args(argv)
    print(f"make bench on {os.cpu_count()} cores, Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d')}")
    # Shared machines slow down for minutes at a time: a fixed loop, timed before and after,
    # says how fast this one was while the figures below were taken.
    line("CPU reference (20M-step Python loop, 1 core)", f"{reference_loop():.2f} s  (a quiet run here: ~1.1 s)")
    if not opts.skip_setup:
        bench_setup()
    bench_tests(opts.runs)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        httpd, base = serve_in_background(str(site))  # first: the build needs its address
        try:
            bench_build(opts.runs, site, base)
            bench_reproducible(site, base)
            bench_transfer(base)
            if not opts.skip_lighthouse:
                bench_lighthouse(base, opts.runs, opts.lighthouse_pages)
        finally:
            httpd.shutdown()
    line("CPU reference, again at the end", f"{reference_loop():.2f} s")
    return 0


def reference_loop() -> float:
    start, total = time.perf_counter(), 0
    for i in range(20_000_000):
        total += i * i
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
