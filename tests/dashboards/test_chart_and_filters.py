"""The dashboards' chart can be read (axes, values, the labelled target, a narrow drawing
for phones) and a filter that cannot be applied shows the dashboard again with the error
beside its field."""

import re
from datetime import UTC, datetime
from types import SimpleNamespace

from flask_babel import force_locale

from app.auth.models import Role
from app.dashboards.charts import (
    NARROW,
    WIDE,
    cumulative_against_target,
    labelled_indices,
    nice_step,
)
from app.dashboards.suppression import Cell
from app.extensions import db
from tests.factories import make_completion, make_institution, make_programme, make_user
from tests.helpers import text_of


def _months(values: dict[str, int]):
    """A table by month as report.by_month makes it (only what the chart reads)."""
    return SimpleNamespace(
        rows=[SimpleNamespace(label=m, cumulative=Cell(v)) for m, v in values.items()]
    )


def _drawing(markup: str, name: str) -> str:
    return re.search(rf"<svg[^>]*chart-{name}.*?</svg>", str(markup), re.S).group(0)


def test_steps_are_round_and_the_latest_month_is_always_labelled():
    assert [nice_step(top, 5) for top in (0, 4, 10, 47, 1000, 1234)] == [1, 1, 2, 10, 200, 500]
    assert labelled_indices(3, 12) == {0, 1, 2}
    assert labelled_indices(36, 4) == {35, 26, 17, 8}  # every 9th, back from the latest
    assert max(labelled_indices(36, 12)) == 35 and len(labelled_indices(36, 12)) == 12


def test_the_chart_has_axes_values_and_a_labelled_target(app):
    months = _months({"2026-01": 5, "2026-02": 40, "2026-03": 120})
    with app.test_request_context(), force_locale("en"):
        chart = str(cumulative_against_target(months, 1000))
    wide, narrow = _drawing(chart, "wide"), _drawing(chart, "narrow")
    for drawing in (wide, narrow):
        assert 'role="img"' in drawing and 'aria-labelledby="chart-title-' in drawing
        assert "<desc" in drawing and "120 people had finished by the end" in drawing
        assert ">Target: 1,000</text>" in drawing  # the line's label, formatted
        assert ">1,000</text>" in drawing and ">0</text>" in drawing  # the y-axis ticks
        assert ">120</text>" in drawing  # the latest value on its bar
        assert ">Mar</tspan>" in drawing and ">2026</tspan>" in drawing  # month and year
        assert "style=" not in drawing  # the CSP forbids inline styles
    assert ">Jan</tspan>" in wide and ">Jan</tspan>" in wide
    assert narrow.count("<tspan") < wide.count("<tspan") or len(months.rows) <= NARROW.x_labels


def test_a_narrow_drawing_thins_its_month_labels_and_speaks_the_viewers_language(app):
    months = _months({f"{2024 + i // 12}-{i % 12 + 1:02d}": i * 10 for i in range(36)})
    with app.test_request_context(), force_locale("ru"):
        chart = str(cumulative_against_target(months, None))
    wide, narrow = _drawing(chart, "wide"), _drawing(chart, "narrow")
    month_labels = re.compile(r'<tspan x="[^"]+" dy="0">')
    assert len(month_labels.findall(narrow)) <= NARROW.x_labels
    assert len(month_labels.findall(wide)) <= WIDE.x_labels
    assert "дек." in narrow  # December 2026, the latest, in Russian
    assert NARROW.font / NARROW.width > WIDE.font / WIDE.width  # larger type for its width
    assert "Target" not in chart and "Цель" not in chart  # an institution's: no target


def test_an_empty_chart_says_so(app):
    with app.test_request_context(), force_locale("en"):
        chart = str(cumulative_against_target(_months({}), 50))
    assert "No one finished in these months." in chart and "Target: 50" in chart


def _programme_world(sample_course):
    home = make_institution(country="CN", default_locale="en")
    programme = make_programme([home], target_trainees=40)
    for _ in range(12):
        person = make_user(institution=home)
        make_completion(person.id, sample_course.id, completed_at=datetime(2026, 2, 10, tzinfo=UTC))
    db.session.commit()
    return programme, home


def test_the_programme_page_draws_both_drawings(sample_course, client, login):
    programme, _home = _programme_world(sample_course)
    login(make_user(roles=[(Role.FUNDER, programme)]))
    html = text_of(client.get(f"/dashboards/programmes/{programme.id}?lang=en"))
    assert 'class="chart chart-wide"' in html and 'class="chart chart-narrow"' in html
    assert "Target: 40" in html and 'id="months"' in html  # the data table stays


def test_months_out_of_order_show_the_dashboard_with_the_error_beside_the_field(
    sample_course, client, login
):
    programme, home = _programme_world(sample_course)
    login(make_user(roles=[(Role.FUNDER, programme)]))
    url = (
        f"/dashboards/programmes/{programme.id}?lang=en&institution={home.id}"
        "&profession=nurse&since=2026-07&until=2026-03"
    )
    response = client.get(url)
    html = text_of(response)
    assert response.status_code == 400
    assert f"<h1>{programme.name}</h1>" in html and 'class="filters"' in html  # the dashboard
    assert "Bad request" not in html and "trainees have finished" not in html  # no figures
    field = re.search(r'<div class="field has-error">.*?</div>', html, re.S).group(0)
    assert 'id="f-since"' in field and 'aria-invalid="true"' in field
    assert 'aria-describedby="f-months f-since-error"' in field
    assert 'id="f-since-error"' in field and "from-month is after the to-month" in field
    # the other filters as they were typed
    assert 'value="2026-03"' in html and f'<option value="{home.id}" selected>' in html
    assert '<option value="nurse" selected>' in html
    assert 'href="#f-since"' in html  # the summary at the top leads to the field


def test_a_bad_filter_on_the_institution_page_and_the_api_stays_json(sample_course, client, login):
    _programme, home = _programme_world(sample_course)
    coordinator = make_user(roles=[(Role.COORDINATOR, home)], institution=home)
    login(coordinator)
    response = client.get(f"/dashboards/institutions/{home.id}?lang=en&until=soon")
    html = text_of(response)
    assert response.status_code == 400 and 'id="f-until-error"' in html
    assert "must be a month" in html and 'value="soon"' in html
    assert "Cohorts and their trainers" in html  # the rest of the page is there
    # the exports cannot re-render a form: they keep the error page, as the API its JSON
    assert (
        client.get(f"/dashboards/institutions/{home.id}/months.csv?until=soon").status_code == 400
    )
