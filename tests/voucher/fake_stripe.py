"""A local stand-in for Stripe's API that the real stripe SDK talks to over HTTP (test use only).

It implements what settlement needs of ``POST /v1/transfers``, including Stripe's idempotency
rule: the same ``Idempotency-Key`` returns the first response again and creates nothing new.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


class FakeStripe:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.transfers: dict[str, dict] = {}  # by idempotency key
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length") or 0)
                form = dict(parse_qsl(self.rfile.read(length).decode()))
                request = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "form": form}
                with owner._lock:
                    owner.requests.append(request)
                    key = request["headers"].get("idempotency-key") or f"no-key-{len(owner.requests)}"
                    if key not in owner.transfers:
                        owner.transfers[key] = {
                            "id": f"tr_test_{len(owner.transfers) + 1}",
                            "object": "transfer",
                            "amount": int(form["amount"]),
                            "currency": form["currency"],
                            "destination": form["destination"],
                            "transfer_group": form.get("transfer_group"),
                            "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")},
                        }
                    body = json.dumps(owner.transfers[key]).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("request-id", "req_test")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeStripe":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
