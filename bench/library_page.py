"""The public library: transcoding a one-minute video, the sizes a slow link downloads,
and a video page's server time and first load.

Targets (issue 19): the first load of the list and of a video page (HTML, CSS, JS gzip'd
as nginx sends them, plus the posters) at most 60 KB before the video itself; the video
page's p95 server time at most 30 ms on SQLite: it writes (the view's upsert and its
commit, an fsync of SQLite's journal, is most of it) and renders the transcript. Reported:
how many times faster than real time one ffmpeg run makes the renditions, and the MB per
minute of each rendition (what a viewer on a metered phone pays).
"""

import gzip
import re
import subprocess
import tempfile
from pathlib import Path

from common import fresh_app, percentile, summary, timed

from app.auth.models import Profession, Role, RoleAssignment, User
from app.extensions import db
from app.library.services import add_video, publish_video
from app.library.tasks import transcode

SECONDS = 60
REQUESTS = 300
BUDGET = 60 * 1024


def _source(folder: Path) -> Path:
    """A minute of a busy 1280×720 picture at 25 fps with a tone: harder than slides."""
    out = folder / "source.mp4"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc2=duration={SECONDS}:size=1280x720:rate=25",
         "-f", "lavfi", "-i", f"sine=frequency=300:duration={SECONDS}",
         "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", str(out)],
        check=True,
    )  # fmt: skip
    return out


def _admin() -> User:
    admin = User(
        email="admin@example.org", name="Admin", password_hash="x", profession=Profession.DOCTOR
    )
    admin.role_assignments.append(RoleAssignment(role=Role.ADMIN))
    db.session.add(admin)
    db.session.commit()
    return admin


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def first_load(client, url: str) -> int:
    page = client.get(url).data
    html = page.decode()
    total = gz(page)
    total += sum(
        gz(client.get(a).data) for a in re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    )
    total += sum(len(client.get(p).data) for p in re.findall(r'"(/library/[^"]+/poster)"', html))
    return total


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="palliare-bench-library-"))
    app, _ = fresh_app(STORAGE_URL=f"file://{folder / 'files'}")
    source = _source(folder)
    with app.app_context():
        admin = _admin()
        for slug in ("what-matters-most", "what-palliative-care-is"):
            video = add_video(admin, slug=slug, title=slug.replace("-", " ").capitalize(),
                              summary="A short film. " * 15, transcript="Spoken words. " * 600,
                              data=source, filename="source.mp4")  # fmt: skip
            db.session.commit()
            seconds = timed(lambda video=video: transcode(video.id))
            publish_video(admin, video)
            db.session.commit()
        print(
            f"transcode of {SECONDS} s 1280x720: {seconds:.1f} s ({SECONDS / seconds:.1f}x real time)"
        )
        for r in sorted(video.renditions, key=lambda r: -r.bytes):
            picture = f" {r.width}x{r.height}" if r.width else ""
            print(f"  {r.kind}{picture}: {r.bytes / 1e6 * 60 / SECONDS:.2f} MB per minute")
    client = app.test_client()
    url = "/library/what-matters-most"
    for _ in range(20):
        client.get(url)
    times = [timed(lambda: client.get(url)) for _ in range(REQUESTS)]
    print(summary("video page (view counted), SQLite", times))
    p95 = percentile([t * 1000 for t in times], 0.95)
    print(f"video page p95 target 30 ms: {'met' if p95 <= 30 else 'MISSED'} ({p95 / 30:.2f})")
    for page in ("/library/", url):
        total = first_load(client, page)
        verdict = "met" if total <= BUDGET else "MISSED"
        print(
            f"first load {page}: {total / 1024:.1f} KB (target 60 KB: {verdict}, {total / BUDGET:.2f})"
        )


if __name__ == "__main__":
    main()
