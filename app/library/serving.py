"""Serving a stored file with HTTP range requests, from either file store.

A browser asks for ``bytes=0-`` first, then jumps (seeking, or an interrupted download
resumed on a slow link); a phone's player will not seek without ``Accept-Ranges``. One
code path serves both backends: the store's ``size`` and ``stream(key, start, stop)``
(a local file read from disk in chunks, an S3 object fetched with its own ``Range``).

- no Range (or several ranges, or a malformed header, or an ``If-Range`` that no longer
  matches): 200 with the whole file;
- one satisfiable range (``bytes=100-199``, ``bytes=100-``, ``bytes=-500``): 206 with
  ``Content-Range``;
- a range past the end: 416 with ``Content-Range: bytes */size``;
- ``If-None-Match`` with the current ETag: 304.

A file's key is random and never rewritten (a new transcode makes new keys), so the key
is a strong ETag.
"""

import hashlib

from flask import Response, abort, request
from werkzeug.http import parse_range_header

from app.library import queries
from app.library.models import Video
from app.storage import StorageUnavailable, file_store

KINDS = ("360p", "240p", "audio", "poster")  # what a video's files are called in URLs
PUBLIC_CACHE = "public, max-age=86400"
PRIVATE_CACHE = "private, no-store"


def etag_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _wanted_range(size: int, etag: str) -> tuple[int, int] | None | bool:
    """(start, stop) of one satisfiable range; None: send the whole file; False: the
    range cannot be satisfied."""
    header = request.headers.get("Range")
    if not header:
        return None
    if_range = request.headers.get("If-Range")
    if if_range and if_range.strip() != f'"{etag}"':
        return None  # the file changed since the client's first part: start again
    parsed = parse_range_header(header)
    if parsed is None or parsed.units != "bytes" or len(parsed.ranges) != 1:
        return None
    wanted = parsed.range_for_length(size)
    return wanted if wanted is not None else False


def media_response(key: str, content_type: str, cache: str = PUBLIC_CACHE) -> Response:
    """The stored file ``key`` as the request asks for it (KeyError: no such file;
    StorageUnavailable: the store is down)."""
    store, etag = file_store(), etag_of(key)
    size = store.size(key)
    headers = {"Accept-Ranges": "bytes", "Cache-Control": cache, "ETag": f'"{etag}"'}
    if etag in request.if_none_match:
        return Response(status=304, headers=headers)
    wanted = _wanted_range(size, etag)
    if wanted is False:
        headers["Content-Range"] = f"bytes */{size}"
        return Response(status=416, headers=headers)
    start, stop = wanted or (0, size)
    if wanted:
        headers["Content-Range"] = f"bytes {start}-{stop - 1}/{size}"
    headers["Content-Length"] = str(stop - start)
    body = store.stream(key, start, stop) if request.method != "HEAD" else iter(())
    response = Response(body, status=206 if wanted else 200, headers=headers)
    response.content_type = content_type
    return response


def served(video: Video, kind: str, download: bool = False, cache: str | None = None):
    """The video's file of ``kind`` (404 when it has none; 503 when the store is down)."""
    if kind not in KINDS:
        abort(404)
    if kind == "poster":
        key, content_type, name = video.poster_key, "image/jpeg", f"{video.slug}.jpg"
    else:
        rendition = queries.rendition_of(video, kind) or abort(404)
        key, content_type = rendition.key, rendition.content_type
        name = f"{video.slug}-{kind}.{'m4a' if kind == 'audio' else 'mp4'}"
    if not key:
        abort(404)
    try:
        response = media_response(key, content_type, **({"cache": cache} if cache else {}))
    except KeyError:
        abort(404)
    except StorageUnavailable:
        abort(503)
    if download:
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
