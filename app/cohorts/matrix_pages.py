"""The progress matrix a page at a time: its filters from the query string, the filters
to keep in links, and pages of 100 learners (a 500-learner cohort in five pages of about
50 KB of HTML; the downloads hold every page)."""

from dataclasses import dataclass

from app.cohorts.matrix import SORTS, STATUSES, Row

PAGE_SIZE = 100


def matrix_filters(args) -> dict:
    """The matrix's filters, order and page from a query string (unknown values: the
    default; a page number past the end: the last page, see ``page_of``)."""
    page = args.get("page", "")
    return {
        "status": args.get("status") if args.get("status") in STATUSES else "all",
        "sort": args.get("sort") if args.get("sort") in SORTS else "name",
        "desc": args.get("desc") == "1",
        "profession": args.get("profession", ""),
        "q": args.get("q", ""),
        "page": int(page) if page.isdecimal() and len(page) <= 6 else 1,  # "²": not 2
    }


def filter_query(filters: dict) -> dict:
    """The filters that differ from the defaults, as a query string's arguments (for the
    page links and the downloads, which keep the filters)."""
    defaults = {"status": "all", "sort": "name", "desc": False, "profession": "", "q": ""}
    query = {k: v for k, v in filters.items() if k in defaults and v != defaults[k]}
    if query.get("desc"):
        query["desc"] = "1"
    return query


@dataclass
class Page:
    rows: list[Row]
    number: int
    pages: int
    total: int


def page_of(rows: list[Row], number: int, size: int = PAGE_SIZE) -> Page:
    """The ``number``th page of ``rows`` (1-based, clamped to the pages there are)."""
    pages = max(1, -(-len(rows) // size))
    number = min(max(1, number), pages)
    start = (number - 1) * size
    return Page(rows[start : start + size], number, pages, len(rows))
