"""A static server for the built site, bound to 127.0.0.1, that compresses text with gzip the
way GitHub Pages does, so `make serve` and `make bench` see what a reader would download.

    python -m tools.serve [--port 8000] [DIRECTORY]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import threading

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".py", ".ipynb")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files; text goes out gzip-compressed when the client accepts it."""

    def log_message(self, *args):  # one line per request would drown everything else
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        # LinkChecker throttles itself to ~3 requests/s per host unless the server says it
        # may go faster (tests/site/test_links.py): this is our own local server, it may.
        self.send_header("LinkChecker", "local test server")
        super().end_headers()

    def do_GET(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not (
            path.endswith(COMPRESSIBLE) and os.path.isfile(path)
        ):
            return super().do_GET()  # directories without "/", 404s, images
        with open(path, "rb") as f:
            body = gzip.compress(f.read(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve_in_background(directory: str) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start a server on a port the OS hands out; return it and its base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=directory))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_port}"


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--port", type=int, default=8000)
    args.add_argument("directory", nargs="?", default="site")
    opts = args.parse_args()
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
