"""A video with captions, as the demo makes one, for the caption tests."""

from datetime import UTC, datetime

from app.extensions import db
from app.library import captions
from app.library.captions import Cue
from app.library.models import Video, VideoState

CUES = [
    Cue(0, 2500, "Palliative care is care for people living with a serious illness."),
    Cue(2500, 5000, "It helps at any stage, alongside treatment."),
    Cue(5000, 8000, "It cares for the family too."),
]
ZH = {
    "What palliative care is": "什么是姑息治疗",
    "Palliative care is care for people living with a serious illness.": (
        "姑息治疗是对重病患者的照护。"
    ),
    "It helps at any stage, alongside treatment.": "它在任何阶段都有帮助，可与治疗同时进行。",
    "It cares for the family too.": "它也照顾家人。",
}


def make_video(slug="what-palliative-care-is", published=True, cues=CUES, **fields) -> Video:
    video = Video(
        slug=slug,
        title=fields.pop("title", "What palliative care is"),
        summary=fields.pop("summary", "A short film for families."),
        transcript=fields.pop("transcript", "Palliative care is care.\n\nIt helps the family."),
        state=VideoState.READY,
        duration_seconds=fields.pop("duration_seconds", 10.0),
        published_at=datetime(2026, 12, 1, tzinfo=UTC) if published else None,
        **fields,
    )
    db.session.add(video)
    db.session.flush()
    captions.set_cues(video, list(cues))
    return video
