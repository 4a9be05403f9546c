"""The tiny applications gunicorn (WSGI `app`) and hypercorn (ASGI `asgi`) serve: the test page on
every path, deflate-coded (zlib, RFC 9110 §8.4.1.2) when the client accepts deflate."""
import os
import zlib

PAGE = open(os.path.join(os.environ["SOCKEYE_WWW"], "page.txt"), "rb").read()


def body(accept):
    if "deflate" in accept:
        return zlib.compress(PAGE), [("Content-Encoding", "deflate")]
    return PAGE, []


def app(environ, start_response):
    data, extra = body(environ.get("HTTP_ACCEPT_ENCODING", ""))
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(data)))] + extra)
    return [data]


async def asgi(scope, receive, send):
    if scope["type"] != "http":
        return
    headers = dict(scope["headers"])
    data, extra = body(headers.get(b"accept-encoding", b"").decode())
    out = [(b"content-type", b"text/plain"), (b"content-length", str(len(data)).encode())]
    out += [(k.lower().encode(), v.encode()) for k, v in extra]
    await send({"type": "http.response.start", "status": 200, "headers": out})
    await send({"type": "http.response.body", "body": data})
