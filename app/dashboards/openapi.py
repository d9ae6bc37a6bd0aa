"""The OpenAPI 3.1 document of the reporting API (kept beside the code it describes;
a test validates it and checks real responses against its schemas)."""

from flask import current_app

from app.auth.models import Profession

CELL = {
    "oneOf": [
        {"type": "string", "description": "A label, or a figure such as a mean gain."},
        {
            "type": "object",
            "required": ["value", "suppressed", "rounded_to"],
            "properties": {
                "value": {
                    "type": ["integer", "null"],
                    "description": "null when suppressed; on a programme's report rounded "
                    "to the nearest multiple of rounded_to",
                },
                "suppressed": {
                    "type": "boolean",
                    "description": "a count of 1 to 4 people (knowledge gain: fewer than 10 "
                    "matched pairs on a programme's report; observer-days and changes: a "
                    "row whose count of people behind them is hidden), or a cell hidden so "
                    "that a total or another view cannot reveal one",
                },
                "rounded_to": {
                    "type": "integer",
                    "enum": [1, 5],
                    "description": "5 on a programme's report (aggregates only): the value "
                    "is the count rounded to the nearest 5; 1 on an institution's report "
                    "(exact)",
                },
            },
        },
    ]
}
TABLE = {
    "type": "object",
    "required": ["key", "title", "definition", "columns", "rows", "total"],
    "properties": {
        "key": {
            "type": "string",
            "description": "Which table. A programme's report: institutions, countries, "
            "professions, courses, months, gain-institution, gain-language, cascade, "
            "conferences, observerships-hosts, observerships-homes. An institution's: "
            "professions, courses, months, quizzes, gain-language, observerships-offers, "
            "observerships-hosted, observerships-sent. The observership tables count "
            "places offered (never suppressed: not about people), placements filled and "
            "completed, observer-days, and adaptation-plan changes done and answered at 3 "
            "and 6 months, by host and home institution (the observer's, now); they follow "
            "the institution and month filters only. protocols-adoption and "
            "protocols-adopters (a programme's) and protocols-adopted (an institution's) "
            "count institutions that adopted a published protocol version, never "
            "suppressed (institutions, not people); only the institution filter applies.",
        },
        "title": {"type": "string"},
        "definition": {"type": "string", "description": "What the figures count."},
        "columns": {"type": "array", "items": {"type": "string"}},
        "rows": {
            "type": "array",
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Cell"}},
        },
        "total": {"type": ["array", "null"], "items": {"$ref": "#/components/schemas/Cell"}},
    },
}
MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])(-[0-9]{2})?$"


# (name, schema, description) of each query filter; the language schema (None here) is
# the configured languages, known only once the app is.
FILTERS = [
    (
        "institution",
        {"type": "integer"},
        "Only this institution's people (one of the programme's; any other id: 400).",
    ),
    (
        "profession",
        {"type": "string", "enum": [p.value for p in Profession]},
        "Only this profession.",
    ),
    ("course", {"type": "integer"}, "Only this course."),
    (
        "cohort",
        {"type": "integer"},
        "Only this cohort's members (a cohort of the scope's institutions; else 400).",
    ),
    (
        "language",
        None,
        "Only learners of this language (knowledge gain: of the post-test).",
    ),
    (
        "since",
        {"type": "string", "pattern": MONTH},
        "From this month (YYYY-MM, UTC; a full date stands for its month). On a "
        "programme's report it must start a calendar quarter (01, 04, 07 or 10), else 400.",
    ),
    (
        "until",
        {"type": "string", "pattern": MONTH},
        "To this month, included. On a programme's report it must end a calendar quarter "
        "(03, 06, 09 or 12), else 400.",
    ),
]
PROGRAMME = {
    "type": "object",
    "required": ["id", "name", "target_trainees"],
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "target_trainees": {"type": "integer"},
    },
}
INSTITUTION = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
}
INFO = {
    "title": "Palliare reporting API",
    "version": "1",
    "description": "Read-only figures of the dashboards, with the same scopes and suppression.",
}
TOKEN = {
    "type": "http",
    "scheme": "bearer",
    "description": "An API token made on /dashboards/tokens.",
}


def filters() -> list[dict]:
    """The query filters, as the dashboards' URLs take them (app/dashboards/views.py)."""
    languages = {"type": "string", "enum": current_app.config["LANGUAGES"]}
    return [
        {
            "name": name,
            "in": "query",
            "required": False,
            "schema": languages if schema is None else schema,
            "description": text,
        }
        for name, schema, text in FILTERS
    ]


ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {"type": "string", "description": "What went wrong, in the request's language."},
        "parameter": {"type": ["string", "null"], "description": "The filter at fault (400)."},
        "status": {"type": "integer"},
    },
}


def _report(properties: dict, required: list[str]) -> dict:
    definitions = {
        "type": "array",
        "description": "What each figure counts, and each course's completion rule version.",
        "items": {
            "type": "object",
            "required": ["term", "definition"],
            "properties": {"term": {"type": "string"}, "definition": {"type": "string"}},
        },
    }
    return {
        "type": "object",
        "required": [*required, "tables", "definitions"],
        "properties": {
            **properties,
            "tables": {"type": "array", "items": {"$ref": "#/components/schemas/Table"}},
            "definitions": definitions,
        },
    }


def _error(description: str) -> dict:
    schema = {"$ref": "#/components/schemas/Error"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _operation(summary: str, schema: str, parameter: str, filters: list) -> dict:
    return {
        "get": {
            "summary": summary,
            "security": [{"token": []}],
            "parameters": [
                {"name": parameter, "in": "path", "required": True, "schema": {"type": "integer"}},
                *filters,
            ],
            "responses": {
                "200": {
                    "description": "The figures.",
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}
                    },
                },
                "400": _error("A filter that cannot be applied (named in `parameter`)."),
                "401": _error("No valid API token."),
                "404": _error("Unknown, or outside the token's scope."),
                "429": _error("More than 120 requests a minute."),
            },
        }
    }


def document() -> dict:
    """The OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": INFO,
        "paths": _paths(),
        "components": {
            "securitySchemes": {"token": TOKEN},
            "schemas": {
                "Cell": CELL,
                "Table": TABLE,
                "Error": ERROR,
                "ProgrammeReport": _report(
                    {"programme": PROGRAMME, "finished": {"$ref": "#/components/schemas/Cell"}},
                    ["programme", "finished"],
                ),
                "InstitutionReport": _report({"institution": INSTITUTION}, ["institution"]),
            },
        },
    }


def _paths() -> dict:
    return {
        "/api/v1/programmes/{programme_id}/report": _operation(
            "A programme's figures (aggregates only; counts under 5 suppressed).",
            "ProgrammeReport",
            "programme_id",
            filters(),
        ),
        "/api/v1/institutions/{institution_id}/report": _operation(
            "An institution's figures (its coordinators).",
            "InstitutionReport",
            "institution_id",
            [f for f in filters() if f["name"] != "institution"],
        ),
    }
