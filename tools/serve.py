"""A static server for the built site, bound to 127.0.0.1, that compresses text with gzip the
way GitHub Pages does, so `make serve` and `make bench` see what a reader would download.

    python -m tools.serve [--port 8000] [--watch [--only zh|en]] [DIRECTORY]

With --watch (`make serve`), a change to a page, a snippet, a figure, a hook, a template or a
config rebuilds the site (both languages, or the one --only names) and every open page
reloads: each HTML page gets one same-origin script that asks /_reload whether the build it
was served from is still the newest (the pages' Content-Security-Policy allows 'self').
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".py", ".ipynb")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files; text goes out gzip-compressed when the client accepts it."""

    watcher = None  # a Watcher when serving with --watch

    def log_message(self, *args):  # one line per request would drown everything else
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        # LinkChecker throttles itself to ~3 requests/s per host unless the server says it
        # may go faster (tests/site/test_links.py): this is our own local server, it may.
        self.send_header("LinkChecker", "local test server")
        super().end_headers()

    def do_GET(self):
        if self.watcher and self.path.startswith(("/_reload", "/_reload.js")):
            return self._reload()
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        gzipped = "gzip" in self.headers.get("Accept-Encoding", "") and path.endswith(COMPRESSIBLE)
        reloading = self.watcher is not None and path.endswith(".html")
        if not (gzipped or reloading) or not os.path.isfile(path):
            return super().do_GET()  # directories without "/", 404s, images
        with open(path, "rb") as f:
            body = f.read()
        if reloading:
            body = body.replace(b"</body>", f'<script src="/_reload.js?{self.watcher.build}"></script></body>'.encode())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        if gzipped:
            body = gzip.compress(body, 6, mtime=0)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _reload(self):
        if self.path.startswith("/_reload.js"):
            body, kind = RELOAD_JS.encode(), "text/javascript"
        else:  # waits up to 20 s for a build newer than the one the page came from
            since = int(self.path.partition("?")[2] or 0)
            self.watcher.newer.wait_for(since, timeout=20)
            body, kind = str(self.watcher.build).encode(), "text/plain"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


RELOAD_JS = """(async () => {
  const mine = Number(new URL(document.currentScript.src).search.slice(1));
  for (;;) {
    try {
      const newest = Number(await (await fetch("/_reload?" + mine)).text());
      if (newest > mine) return location.reload();
    } catch (e) { await new Promise(r => setTimeout(r, 2000)); }
  }
})();
"""
WATCHED = ("docs", "snippets", "hooks", "overrides", "tools", "mkdocs.yml", "mkdocs.en.yml")


class Build:
    """The number of the newest build, and a way to wait for a newer one."""

    def __init__(self):
        self.number, self.condition = int(time.time()), threading.Condition()

    def wait_for(self, since: int, timeout: float) -> None:
        with self.condition:
            self.condition.wait_for(lambda: self.number > since, timeout)

    def bump(self) -> None:
        with self.condition:
            self.number += 1
            self.condition.notify_all()


class Watcher:
    """Polls the sources once a second; rebuilds into a fresh folder and swaps it in."""

    def __init__(self, directory: str, only: str | None):
        self.directory, self.only, self.newer = Path(directory).resolve(), only, Build()

    @property
    def build(self) -> int:
        return self.newer.number

    def stamp(self) -> dict[str, float]:
        from tools.regions import ROOT

        files = [p for name in WATCHED for p in ([ROOT / name] if (ROOT / name).is_file()
                                                    else (ROOT / name).rglob("*"))]
        return {str(p): p.stat().st_mtime for p in files if p.is_file() and "__pycache__" not in p.parts}

    def rebuild(self) -> str:
        from tools.build import CONFIGS, build_env, build_site, mkdocs_command
        from tools.regions import ROOT

        fresh = Path(tempfile.mkdtemp(prefix=".serve-", dir=self.directory.parent))
        if self.only is None:
            errors = build_site(fresh)
        else:  # one language: build it, keep the other from the current site
            config = CONFIGS[0] if self.only == "zh" else CONFIGS[1]
            out = fresh if self.only == "zh" else fresh / "en"
            done = subprocess.run(mkdocs_command(config, out), cwd=ROOT, env=build_env(),
                                  capture_output=True, text=True)
            errors = done.stderr[-3000:] if done.returncode else ""
            other = self.directory / "en" if self.only == "zh" else self.directory
            if not errors:
                if self.only == "zh" and other.is_dir():
                    shutil.copytree(other, fresh / "en")
                elif self.only == "en":
                    for item in other.iterdir():
                        if item.name != "en":
                            (shutil.copytree if item.is_dir() else shutil.copy2)(item, fresh / item.name)
        if errors:
            shutil.rmtree(fresh, ignore_errors=True)
            return errors
        old = self.directory.with_name(self.directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        self.directory.rename(old)
        fresh.rename(self.directory)
        shutil.rmtree(old, ignore_errors=True)
        self.newer.bump()
        return ""

    def run(self) -> None:
        seen = self.stamp()
        while True:
            time.sleep(1)
            now = self.stamp()
            if now != seen:
                changed = sorted(set(now.items()) ^ set(seen.items()))
                print(f"changed: {Path(changed[0][0]).name}{' …' if len(changed) > 2 else ''}: rebuilding",
                      flush=True)
                started = time.monotonic()
                errors = self.rebuild()
                print(errors or f"rebuilt in {time.monotonic() - started:.1f} s: open pages reload", flush=True)
                seen = self.stamp()


def serve_in_background(directory: str) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start a server on a port the OS hands out; return it and its base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=directory))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_port}"


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--port", type=int, default=8000)
    args.add_argument("--watch", action="store_true", help="rebuild and reload pages when a source changes")
    args.add_argument("--only", choices=("zh", "en"), help="with --watch: rebuild this language only")
    args.add_argument("directory", nargs="?", default="site")
    opts = args.parse_args()
    if opts.watch:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        GzipHandler.watcher = Watcher(opts.directory, opts.only)
        threading.Thread(target=GzipHandler.watcher.run, daemon=True).start()
    handler = functools.partial(GzipHandler, directory=opts.directory)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", opts.port), handler)
    print(f"Serving {opts.directory}/: Chinese at http://127.0.0.1:{opts.port}/, "
          f"English at http://127.0.0.1:{opts.port}/en/ (Ctrl-C stops)")
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
