"""A stand-in OTLP/HTTP collector for bench/telemetry.sh: answers every POST (/v1/traces, /v1/metrics, /v1/logs) with 200
and counts the bytes, so the app really serialises and sends what it would send to a collector. Standard library only."""
import http.server, sys, threading

received = {"requests": 0, "bytes": 0}
lock = threading.Lock()

class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with lock:
            received["requests"] += 1
            received["bytes"] += len(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()
    def do_GET(self):  # the script reads the counts here
        text = f'{received["requests"]} {received["bytes"]}\n'.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)
    def log_message(self, *args):
        pass

http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
