"""A fake OpenAI-compatible upstream on 127.0.0.1 for the gateway tests and the bench.

Behaviour is chosen by the first path segment of the base URL:
  /ok/v1       echoes the last user message back ("ECHO: …"), JSON or SSE (split into 3-character chunks,
               so a placeholder is always cut across chunks), with a usage block in JSON mode;
  /hang/v1     waits far longer than the gateway's timeout before answering;
  /garbage/v1  answers 200 with bytes that are not JSON (or SSE events that are not JSON);
  /error/v1    answers 429 with an OpenAI-style error;
  /nousage/v1  like /ok/v1 but the JSON answer has no usage block (the gateway estimates tokens).
Every request body and Authorization header is recorded in `server.received`.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body are written separately: without this, Nagle + delayed ACK add ~40 ms per call.
    disable_nagle_algorithm = True

    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        mode = self.path.split("/")[1]
        if mode == "garbage":
            return self._send(200, b"<html>not json")
        self._send(200, json.dumps({"object": "list", "data": [{"id": "fake-model", "object": "model"}]}).encode())

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        self.server.received.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": raw})
        mode = self.path.split("/")[1]
        if mode == "hang":
            time.sleep(self.server.hang_seconds)
            return self._send(200, b"{}")
        if mode == "error":
            return self._send(429, json.dumps({"error": {"message": "quota exceeded", "type": "rate_limit", "code": "rate_limit"}}).encode())
        payload = json.loads(raw)
        last = next((m["content"] for m in reversed(payload["messages"]) if m.get("role") == "user"), "")
        if isinstance(last, list):
            last = "".join(p.get("text", "") for p in last)
        answer = "ECHO: " + last
        if mode == "garbage":
            if payload.get("stream"):
                return self._stream([b"data: {not json\n\n"])
            return self._send(200, b"\x00\xffgarbage")
        if payload.get("stream"):
            pieces = [answer[i : i + 3] for i in range(0, len(answer), 3)]
            events = [
                ("data: " + json.dumps({"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": payload["model"],
                                         "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}, ensure_ascii=False) + "\n\n").encode()
                for piece in pieces
            ]
            events.append(("data: " + json.dumps({"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": payload["model"],
                                                   "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}) + "\n\n").encode())
            events.append(b"data: [DONE]\n\n")
            return self._stream(events)
        body = {
            "id": "c1", "object": "chat.completion", "created": 1, "model": payload["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": answer}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
        }
        if mode == "nousage":
            del body["usage"]
        self._send(200, json.dumps(body, ensure_ascii=False).encode())

    def _stream(self, events: list[bytes]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for event in events:
            # Cut every event in two HTTP chunks too, so line reassembly is exercised.
            for part in (event[: len(event) // 2], event[len(event) // 2 :]):
                if part:
                    self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                    self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")


class FakeUpstream:
    def __init__(self, hang_seconds: float = 5.0) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.received = []
        self.server.hang_seconds = hang_seconds
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeUpstream":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, mode: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/{mode}/v1"

    @property
    def received(self) -> list[dict]:
        return self.server.received
