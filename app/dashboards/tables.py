"""A dashboard table: its key, title, headings, typed rows, total and definition (the
page, the exports and the API all read it)."""

from dataclasses import dataclass, field


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]  # the headings, in the order of the row type's fields
    rows: list[tuple] = field(default_factory=list)  # typed rows (NamedTuples), or plain lists
    total: tuple | None = None  # a row of the same type, labelled "Total"
    definition: str = ""
    section: str = ""  # "" for the dashboard's main tables; else the section it belongs to

    def column(self, name: str) -> list:
        """The cells of one named column, row by row."""
        return [getattr(row, name) for row in self.rows]

    def set_column(self, name: str, cells: list, total=None) -> None:
        """Publish other ``cells`` (and ``total``, if given) in the named column."""
        self.rows = [
            row._replace(**{name: cell}) for row, cell in zip(self.rows, cells, strict=True)
        ]
        if total is not None:
            self.total = self.total._replace(**{name: total})


def headings(row_type, **named) -> list[str]:
    """The headings of a table whose rows are ``row_type``, in its fields' order (a
    heading for every field, and none for a field it lacks)."""
    if set(named) != set(row_type._fields):
        raise ValueError(f"headings {sorted(named)} do not match {row_type._fields}")
    return [named[name] for name in row_type._fields]
