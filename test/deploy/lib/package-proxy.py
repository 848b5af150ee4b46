"""
The gateway's way to the Debian mirror in the deploy test: an HTTP proxy on the host's side of the
link to the gateway's namespace (argv: address, port), as a VPC's egress proxy would be. It serves
GET and HEAD for the Debian archive hosts only, so the namespace reaches nothing else, and the
host's routing and firewall stay untouched (no forwarding, no NAT).
"""
import http.server
import shutil
import socketserver
import sys
import urllib.error
import urllib.parse
import urllib.request

ALLOWED = {"deb.debian.org", "security.debian.org"}
PASSED = {"range", "if-modified-since", "if-range", "accept", "user-agent", "cache-control"}


class Proxy(http.server.BaseHTTPRequestHandler):
    def forward(self, head: bool) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.scheme != "http" or url.hostname not in ALLOWED:
            self.send_error(403, "only the Debian archive is reachable")
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() in PASSED}
        request = urllib.request.Request(self.path, headers=headers, method="HEAD" if head else "GET")
        try:
            upstream = urllib.request.urlopen(request, timeout=60)
        except urllib.error.HTTPError as e:
            upstream = e
        except OSError as e:
            self.send_error(502, str(e))
            return
        with upstream:
            self.send_response(upstream.status)
            for k, v in upstream.headers.items():
                if k.lower() not in ("connection", "transfer-encoding", "keep-alive"):
                    self.send_header(k, v)
            self.send_header("Connection", "close")
            self.end_headers()
            if not head:
                shutil.copyfileobj(upstream, self.wfile)

    def do_GET(self) -> None:
        self.forward(False)

    def do_HEAD(self) -> None:
        self.forward(True)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


if __name__ == "__main__":
    Server((sys.argv[1], int(sys.argv[2])), Proxy).serve_forever()
