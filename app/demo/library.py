"""The demo's public library: two short narrated videos made on the spot (see
library_media.py), with English captions timed to the narration and Chinese and Russian
translations of their titles, summaries, transcripts and cues; in the first video one
cue was reworded after its Chinese translation, so the Chinese track is offered as
partial with that cue in English (the Russian one is complete).

Skipped, with a line in the log, when ffmpeg or espeak-ng is not installed. A video
already in the library (by its slug) is left as it is."""

import logging
import tempfile
from datetime import UTC, date, datetime, time
from pathlib import Path

from sqlalchemy import select

from app.auth.models import User
from app.courses import documents
from app.demo.library_media import Built, build, missing_tools
from app.demo.library_texts import VIDEOS, DemoVideo
from app.extensions import db
from app.library import caption_queries, captions, texts
from app.library.captions import Cue
from app.library.models import Video

log = logging.getLogger(__name__)
ADMIN_EMAIL = "admin@example.org"


def ensure_library(today: date | None = None) -> list[Video]:
    """The demo's videos, made and added when missing; the ones added."""
    missing = missing_tools()
    if missing:
        log.warning("Demo library skipped: %s not installed.", ", ".join(missing))
        return []
    today = today or date.today()
    admin = db.session.scalars(select(User).where(User.email == ADMIN_EMAIL)).first()
    added = []
    for demo in VIDEOS:
        if caption_queries.video_by_slug(demo.slug) is not None:
            continue
        with tempfile.TemporaryDirectory(prefix="palliare-demo-") as workdir:
            built = build(demo, Path(workdir))
        video = add_and_transcode(admin, demo, built, today)
        caption_and_translate(admin, video, demo, built.cues)
        added.append(video)
    return added


def add_and_transcode(admin, demo: DemoVideo, built: Built, today: date) -> Video:
    """Upload the MP4 as an administrator would, transcode it now, publish it."""
    from app.library import services, tasks  # the upload and transcoding part's

    video = services.add_video(
        admin,
        slug=demo.slug,
        title=demo.title.en,
        summary=demo.summary.en,
        transcript=demo.transcript(),
        data=built.mp4,
        filename=f"{demo.slug}.mp4",
    )
    db.session.commit()  # the task finds its row by id
    tasks.transcode(video.id)  # now, not on the queue: the demo shows it at once
    video = caption_queries.video_by_id(video.id)
    services.publish_video(admin, video)
    video.published_at = datetime.combine(today, time(9), UTC)
    db.session.flush()
    return video


def caption_and_translate(admin, video: Video, demo: DemoVideo, cues: list[Cue]) -> None:
    """English cues, translated into Chinese as first worded, then one reworded (its
    Chinese goes stale), then translated into Russian as they stand."""
    reworded = {line.en: line.earlier for s in demo.slides for line in s.said if line.earlier}
    first = [Cue(cue.start_ms, cue.end_ms, reworded.get(cue.text, cue.text)) for cue in cues]
    captions.set_cues(video, first)
    source = texts.source_of(video)
    documents.save_translations(admin, source, "zh_Hans", demo.translations("zh_Hans", True))
    captions.set_cues(video, cues)
    db.session.expire(video, ["cues"])
    documents.save_translations(admin, texts.source_of(video), "ru", demo.translations("ru"))
    db.session.commit()
