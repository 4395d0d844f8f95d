#!/usr/bin/env python3
"""Drive vmsup over its TCP event-bus bridge, from any language: this one is Python's standard library only.

A frame is a 4-byte big-endian length and a JSON object. Every frame carries the token in its headers:
    {"type": "send", "address": "vmsup.vm.list", "replyAddress": "r1",
     "headers": {"authorization": "Bearer <token>"}, "body": {}}
The reply comes back as {"type": "message", "address": "r1", "body": {...}}, a failure as
{"type": "err", "address": "r1", "failureCode": 404, "message": "{\"code\":404,...}"}.

    tcp-bridge.py --port 7481 --token-file ./vmsup-data/token list
    tcp-bridge.py --port 7481 --token-file ./vmsup-data/token send vmsup.vm.start '{"name": "web1"}'
    tcp-bridge.py --port 7481 --token-file ./vmsup-data/token events [VM] [--count N]

Exit status: 0 answered, 1 the daemon refused or failed the request (the error frame is printed on stderr),
2 bad usage or no connection.
"""
import argparse
import json
import os
import socket
import struct
import sys


def write_frame(sock, frame):
    data = json.dumps(frame).encode("utf-8")
    sock.sendall(struct.pack(">I", len(data)) + data)


def read_exactly(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("the bridge closed the connection")
        buf += chunk
    return buf


def read_frame(sock):
    (length,) = struct.unpack(">I", read_exactly(sock, 4))
    return json.loads(read_exactly(sock, length).decode("utf-8"))


def headers(token):
    return {"authorization": "Bearer " + token} if token else {}


def request(sock, token, address, body, timeout_ms=60000):
    """Sends a request and returns the reply frame (type "message" or "err")."""
    h = headers(token)
    h["timeout"] = timeout_ms
    write_frame(sock, {"type": "send", "address": address, "replyAddress": "py-1", "headers": h, "body": body})
    while True:
        frame = read_frame(sock)
        if frame.get("address") == "py-1" or frame.get("type") == "err":
            return frame


def main():
    p = argparse.ArgumentParser(description="vmsup over the TCP event-bus bridge")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--token", default=os.environ.get("VMSUP_TOKEN"), help="the token (or $VMSUP_TOKEN)")
    p.add_argument("--token-file", help="a file holding the token (the daemon's <state>/token or token.read)")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list the VMs")
    send = sub.add_parser("send", help="send a request to an address and print the reply")
    send.add_argument("address")
    send.add_argument("body", nargs="?", default="{}")
    events = sub.add_parser("events", help="print events as they are published")
    events.add_argument("vm", nargs="?")
    events.add_argument("--count", type=int, default=0, help="exit after this many events (0: never)")
    a = p.parse_args()
    token = open(a.token_file).read().strip() if a.token_file else a.token
    try:
        sock = socket.create_connection((a.host, a.port), timeout=120)
    except OSError as e:
        print("cannot connect to %s:%d: %s" % (a.host, a.port, e), file=sys.stderr)
        return 2
    with sock:
        if a.command == "events":
            address = "vmsup.events." + a.vm if a.vm else "vmsup.events"
            write_frame(sock, {"type": "register", "address": address, "headers": headers(token)})
            # frames are handled in order: the pong says the registration is in place
            write_frame(sock, {"type": "ping"})
            seen = 0
            while a.count == 0 or seen < a.count:
                frame = read_frame(sock)
                if frame.get("type") == "err":
                    print(json.dumps(frame), file=sys.stderr)
                    return 1
                if frame.get("type") == "pong":
                    print("registered", file=sys.stderr, flush=True)
                    continue
                print(json.dumps(frame.get("body")), flush=True)
                seen += 1
            return 0
        address, body = ("vmsup.vm.list", {}) if a.command == "list" else (a.address, json.loads(a.body))
        reply = request(sock, token, address, body)
        if reply.get("type") == "err":
            print(json.dumps(reply), file=sys.stderr)
            return 1
        if a.command == "list":
            for vm in reply["body"]["vms"]:
                print("%-20s %-9s %s" % (vm["name"], vm["state"], vm.get("pid") or "-"))
        else:
            print(json.dumps(reply["body"]))
        return 0


if __name__ == "__main__":
    sys.exit(main())
