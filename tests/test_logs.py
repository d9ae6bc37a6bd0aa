"""Logs: request ids, the JSON format, and no secret from a URL in any access log."""

import json
import logging
import runpy
import types
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from gunicorn.config import Config

from app import logs
from app.logs import REDACTED, SECRET_ARGUMENTS, SECRET_ROUTES, redact_request_line, redact_url

ROOT = Path(__file__).resolve().parents[1]
SECRET = "S3cr3t-V4lue_xyz"


def _sample_values(rule) -> dict:
    """A value for each of ``rule``'s arguments: the secret for secret ones."""
    values = {}
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__
        values[name] = SECRET if name in SECRET_ARGUMENTS else 7 if "Integer" in converter else "x"
    return values


def _built(app, rules) -> list[str]:
    adapter = app.url_map.bind("palliare.test")
    return [adapter.build(rule.endpoint, _sample_values(rule)) for rule in rules]


def _secret_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.arguments & SECRET_ARGUMENTS]


def test_every_route_with_a_secret_argument_is_redacted(app):
    """A new route with a token/code/join_code argument must be added to SECRET_ROUTES."""
    routes = {rule.rule for rule in _secret_rules(app)}
    assert routes, "the app has routes with secrets in their paths"
    assert routes - set(SECRET_ROUTES) == set(), "add these to app.logs.SECRET_ROUTES"
    assert set(SECRET_ROUTES) - routes == set(), "these SECRET_ROUTES are no routes any more"


def test_no_secret_path_reaches_the_log_in_any_form(app):
    for rule in _secret_rules(app):
        path = app.url_map.bind("palliare.test").build(
            rule.endpoint, _sample_values(rule), method=next(iter(rule.methods - {"HEAD"}))
        )
        assert SECRET in path, (rule, path)
        for logged in [
            redact_url(path),
            redact_url(f"{path}?lang=kk"),
            redact_url(f"https://palliare.example.org{path}"),
            redact_url(f"/login?next={path.replace('/', '%2F')}"),  # a sign-in detour
            redact_request_line(f"GET {path}/extra HTTP/1.1"),  # a 404 under it
        ]:
            assert SECRET not in logged and REDACTED in logged, (rule.rule, logged)


@pytest.mark.parametrize(
    ("url", "logged"),
    [
        ("/join/abc", "/join/[redacted]"),
        ("/calendar/tok.ics", "/calendar/[redacted].ics"),
        ("/certificates/ABC123/pdf", "/certificates/[redacted]/pdf"),
        ("/verify/?code=ABC123&lang=en", "/verify/?code=[redacted]&lang=en"),
        ("/x?token=t&code=c&join_code=j", "/x?token=[redacted]&code=[redacted]&join_code=[redacted]"),  # noqa: E501
        ("/login?next=%2Fcohorts%2Fjoin%2FJ01N", "/login?next=/cohorts/join/[redacted]"),
        ("https://h.test/password/reset/t.o-k_en", "https://h.test/password/reset/[redacted]"),
    ],
)  # fmt: skip
def test_redacted_forms(url, logged):
    assert redact_url(url) == logged


def test_paths_without_secrets_are_logged_as_they_are(app):
    """No false alarm: every other route (/certificates/, /cohorts/1/code…) is kept."""
    others = [rule for rule in app.url_map.iter_rules() if not rule.arguments & SECRET_ARGUMENTS]
    for path in _built(app, others):
        assert redact_url(f"{path}?lang=ru&page=2") == f"{path}?lang=ru&page=2"
    assert redact_url("/verify/") == "/verify/"
    assert redact_url("-") == "-"


def test_gunicorn_access_log_is_redacted(tmp_path):
    """deploy/gunicorn.conf.py's logger class, writing a real access log line."""
    settings = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    config = Config()
    for name in ("logger_class", "access_log_format"):
        config.set(name, settings[name])
    config.set("accesslog", str(tmp_path / "access.log"))
    logger = config.logger_class(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/calendar/{SECRET}.ics?token={SECRET}",
        "PATH_INFO": f"/calendar/{SECRET}.ics",
        "QUERY_STRING": f"token={SECRET}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://palliare.test/join/{SECRET}",
        "HTTP_USER_AGENT": "curl",
    }
    headers = [("X-Request-ID", "a1b2c3d4e5f6"), ("X-Forwarded-For", "10.0.0.9")]
    request = types.SimpleNamespace(headers=headers)
    response = types.SimpleNamespace(status="200 OK", sent=12, headers=[])
    logger.access(response, request, environ, timedelta(milliseconds=3))
    line = (tmp_path / "access.log").read_text()
    assert SECRET not in line
    assert '"GET /calendar/[redacted].ics?token=[redacted] HTTP/1.1" 200' in line
    assert "/join/[redacted]" in line and "id=a1b2c3d4e5f6" in line and line.startswith("10.0.0.9 ")


# Request ids and formats -----------------------------------------------------------


@pytest.fixture
def root_logging():
    """Put the root logger back as it was (configure_logging changes it)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def small_app(root_logging):
    """A bare Flask app with app.logs, whose one page logs a line."""
    app = Flask("small")
    app.config["LOG_FORMAT"] = "json"
    logs.init_app(app)

    @app.route("/work/<token>")
    def work(token):
        app.logger.warning("working on %s", "it")
        return "done"

    return app


def _records(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]


def test_a_sane_request_id_from_nginx_is_kept_and_logged(small_app, capsys):
    nginx_id = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"  # nginx's $request_id
    response = small_app.test_client().get("/work/x", headers={"X-Request-ID": nginx_id})
    assert response.headers["X-Request-ID"] == nginx_id
    assert response.get_data(as_text=True) == "done"  # the hooks never answer themselves
    [record] = _records(capsys)
    assert record["request_id"] == nginx_id
    assert record["message"] == "working on it"
    assert record["level"] == "WARNING" and record["logger"] == "small"
    assert record["timestamp"].startswith("20") and record["timestamp"].endswith("+00:00")


@pytest.mark.parametrize("incoming", [None, "", "short", "x" * 200, "<b>hello</b>", "a b c d e"])
def test_a_missing_or_odd_request_id_is_replaced(small_app, capsys, incoming):
    headers = {} if incoming is None else {"X-Request-ID": incoming}
    response = small_app.test_client().get("/work/x", headers=headers)
    request_id = response.headers["X-Request-ID"]
    assert request_id != incoming and len(request_id) == 32
    assert _records(capsys)[0]["request_id"] == request_id


def test_each_request_has_its_own_id(small_app):
    client = small_app.test_client()
    ids = {client.get("/work/x").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_records_outside_a_request_have_no_id(root_logging, capsys):
    logs.configure_logging("json")
    logging.getLogger("palliare.test").warning("no request here")
    assert _records(capsys)[-1]["request_id"] == "-"


def test_text_is_the_default_format(root_logging, capsys):
    app = Flask("text")
    logs.init_app(app)
    with app.test_request_context(headers={"X-Request-ID": "req-12345678"}):
        app.logger.warning("plain words")
    line = capsys.readouterr().err.strip()
    assert line.endswith("WARNING text [req-12345678] plain words"), line


def test_a_second_app_does_not_double_the_lines(root_logging, capsys):
    for _ in range(2):
        logs.configure_logging("text")
    logging.getLogger("palliare.test").warning("once")
    assert capsys.readouterr().err.count("once") == 1


def test_an_unknown_format_is_refused(root_logging):
    with pytest.raises(RuntimeError, match="LOG_FORMAT"):
        logs.configure_logging("xml")


def test_flask_error_lines_do_not_carry_a_secret_path(small_app, capsys):
    small_app.config["PROPAGATE_EXCEPTIONS"] = False

    @small_app.route("/join/<token>")
    def broken(token):
        raise RuntimeError("boom")

    assert small_app.test_client().get(f"/join/{SECRET}").status_code == 500
    err = capsys.readouterr().err
    assert "Exception on /join/[redacted] [GET]" in err and SECRET not in err


def test_the_app_sends_request_ids(app, client):
    """Palliare itself, once create_app calls app.logs.init_app."""
    if logs._assign_request_id not in app.before_request_funcs.get(None, []):
        pytest.skip("create_app does not call app.logs.init_app yet")
    assert len(client.get("/healthz").headers["X-Request-ID"]) == 32
