#!/usr/bin/env python3
"""notify_sink.py DIR CERT KEY - local receivers for tests/e2e/notify.sh.

An HTTPS server (webhooks, Slack, Teams, LINE, Chatwork stand-ins) and an
SMTP server that requires STARTTLS and accepts one login, both on
127.0.0.1 with the test's throwaway certificate. Every request and mail is
appended as one JSON line to DIR/http.jsonl or DIR/smtp.jsonl. A path
under /flaky answers 500 while DIR/fail exists. The ports are written to
DIR/ports ("HTTP SMTP") once both listen.
"""
import base64
import json
import os
import socket
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

DIR, CERT, KEY = sys.argv[1:4]
lock = threading.Lock()


def record(name, obj):
    with lock, open(os.path.join(DIR, name), "a", encoding="utf-8") as f:
        f.write(json.dumps(obj, ensure_ascii=False) + "\n")


class Hook(BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        status = 500 if self.path.startswith("/flaky") and os.path.exists(os.path.join(DIR, "fail")) else 200
        record("http.jsonl", {"path": self.path, "status": status,
                              "headers": {k.lower(): v for k, v in self.headers.items()},
                              "body_b64": base64.b64encode(body).decode()})
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{}' if status == 200 else b'{"error":"down for the test"}')

    def log_message(self, *args):
        pass


class Mail:
    async def handle_DATA(self, server, session, envelope):
        record("smtp.jsonl", {"from": envelope.mail_from, "to": envelope.rcpt_tos,
                              "tls": session.ssl is not None,
                              "login": session.authenticated,
                              "data_b64": base64.b64encode(envelope.original_content).decode()})
        return "250 OK"


def auth(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"mailer" and auth_data.password == b"mail-password-1"
    return AuthResult(success=ok)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(CERT, KEY)
httpd = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
threading.Thread(target=httpd.serve_forever, daemon=True).start()

smtp_port = free_port()
mail = Controller(Mail(), hostname="127.0.0.1", port=smtp_port, tls_context=ctx,
                  require_starttls=True, authenticator=auth, auth_require_tls=True)
mail.start()
with open(os.path.join(DIR, "ports.tmp"), "w") as f:
    f.write(f"{httpd.server_address[1]} {smtp_port}\n")
os.rename(os.path.join(DIR, "ports.tmp"), os.path.join(DIR, "ports"))
threading.Event().wait()
