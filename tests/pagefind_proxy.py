"""A stand-in for the Pagefind binary in service mode (``PAGEFIND_BINARY_PATH``), for tests.

It passes every request on to the real Pagefind (``PROXY_REAL``) and its answers back, but
forces the bad cases that real Pagefind allows and that otherwise depend on timing:

* ``WriteFiles`` is answered the way Pagefind may answer it: every file exists, but the data
  of ``pagefind-entry.json`` is still queued (written only 60 s later); and, as Pagefind does,
  the process exits at once when its input closes, so queued data is lost. (Real Pagefind
  answers ``WriteFiles`` when its writes are handed to its runtime, not when they are done,
  and calls ``exit`` on the end of its input.)
* ``PROXY_BREAK=once|always``: the ``pagefind-entry.json`` in the answer to ``GetFiles`` is
  empty (once in all processes that share ``PROXY_STATE``, or every time);
  ``PROXY_BREAK=crash``: the process dies instead of answering ``GetFiles``.

Each start is logged as a line in ``PROXY_STATE/starts``.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

ENTRY = "pagefind-entry.json"


def encode(message: dict) -> bytes:
    return base64.b64encode(json.dumps(message).encode()) + b","


def decode(raw: bytes) -> dict:
    return json.loads(base64.b64decode(raw))


def read_until_comma(stream) -> bytes | None:
    data = bytearray()
    while True:
        byte = stream.read(1)
        if not byte:
            return None
        if byte == b",":
            return bytes(data)
        data += byte


def main() -> None:
    state = Path(os.environ["PROXY_STATE"])
    with open(state / "starts", "a") as log:
        log.write(f"{os.getpid()}\n")
    real = subprocess.Popen([os.environ["PROXY_REAL"], "--service"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert real.stdin is not None and real.stdout is not None
    ours_in, ours_out = sys.stdin.buffer, sys.stdout.buffer

    def ask(raw: bytes) -> bytes:
        real.stdin.write(raw + b",")
        real.stdin.flush()
        answer = read_until_comma(real.stdout)
        assert answer is not None, "the real Pagefind stopped"
        return answer

    while True:
        raw = read_until_comma(ours_in)
        if raw is None:  # end of input: exit at once, as Pagefind does (queued writes are lost)
            os._exit(0)
        message = decode(raw)
        payload = message["payload"]
        if payload["type"] == "WriteFiles":
            files = decode(ask(encode({"message_id": message["message_id"], "payload": {
                "type": "GetFiles", "index_id": payload["index_id"]}})[:-1]))["payload"]["files"]
            out = Path(payload["output_path"])
            queued = []
            for item in files:
                path = out / item["path"]
                path.parent.mkdir(parents=True, exist_ok=True)
                data = base64.b64decode(item["content"])
                with open(path, "wb") as fh:  # created (empty) at once ...
                    if item["path"] != ENTRY:
                        fh.write(data)
                    else:
                        queued.append((path, data))  # ... its data still on its way
            for path, data in queued:
                timer = threading.Timer(60, path.write_bytes, (data,))
                timer.daemon = True
                timer.start()
            answer = encode({"message_id": message["message_id"],
                             "payload": {"type": "WriteFiles", "output_path": str(out)}})
        else:
            if payload["type"] == "GetFiles" and os.environ.get("PROXY_BREAK") == "crash":
                os._exit(1)
            answer = ask(raw) + b","
            if payload["type"] == "GetFiles" and breaks(state):
                reply = decode(answer[:-1])
                for item in reply["payload"]["files"]:
                    if item["path"] == ENTRY:
                        item["content"] = ""
                answer = encode(reply)
        ours_out.write(answer)
        ours_out.flush()


def breaks(state: Path) -> bool:
    mode = os.environ.get("PROXY_BREAK", "")
    if mode == "always":
        return True
    if mode == "once":
        try:
            os.close(os.open(state / "broken", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return False
        return True
    return False


if __name__ == "__main__":
    main()
