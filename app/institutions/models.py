"""Institutions (hospitals, hospice teams) and the programmes that fund training there."""

from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db

programme_institutions = Table(
    "programme_institutions",
    db.metadata,
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    Column("institution_id", ForeignKey("institutions.id", ondelete="CASCADE"), primary_key=True),
)


class Institution(db.Model):
    """A hospital, hospice or team whose staff train on Palliare."""

    __tablename__ = "institutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2, e.g. "KZ"
    city: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64))  # IANA, e.g. "Asia/Almaty"
    default_locale: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programmes: Mapped[list["Programme"]] = relationship(
        secondary=programme_institutions, back_populates="institutions"
    )

    def __repr__(self) -> str:
        return f"<Institution {self.name!r}>"


class Programme(db.Model):
    """A funded training programme, with a target number of trainees."""

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    funding_organisation: Mapped[str] = mapped_column(String(200))
    target_trainees: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    institutions: Mapped[list[Institution]] = relationship(
        secondary=programme_institutions,
        back_populates="programmes",
        order_by=Institution.name,
    )

    def __repr__(self) -> str:
        return f"<Programme {self.name!r}>"
