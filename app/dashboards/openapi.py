"""The OpenAPI 3.1 document of the reporting API (kept beside the code it describes;
a test validates it and checks real responses against its schemas)."""

CELL = {
    "oneOf": [
        {"type": "string", "description": "A label, or a figure such as a mean gain."},
        {
            "type": "object",
            "required": ["value", "suppressed"],
            "properties": {
                "value": {"type": ["integer", "null"], "description": "null when suppressed"},
                "suppressed": {
                    "type": "boolean",
                    "description": "a count of 1 to 4 people, "
                    "or a cell hidden so that a total cannot reveal one",
                },
            },
        },
    ]
}
TABLE = {
    "type": "object",
    "required": ["key", "title", "definition", "columns", "rows", "total"],
    "properties": {
        "key": {"type": "string"},
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
FILTERS = [
    {"name": name, "in": "query", "required": False, "schema": schema, "description": text}
    for name, schema, text in [
        ("institution", {"type": "integer"}, "Only this institution's people."),
        (
            "profession",
            {
                "type": "string",
                "enum": ["doctor", "nurse", "social_worker", "other_clinician", "other"],
            },
            "Only this profession.",
        ),
        ("course", {"type": "integer"}, "Only this course."),
        ("since", {"type": "string", "format": "date"}, "Completions on or after this day."),
        ("until", {"type": "string", "format": "date"}, "Completions on or before this day."),
    ]
]


def _report(subject: str, properties: dict, required: list[str]) -> dict:
    return {
        "type": "object",
        "required": [*required, "tables"],
        "properties": {
            **properties,
            "tables": {"type": "array", "items": {"$ref": "#/components/schemas/Table"}},
        },
    }


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
                "401": {"description": "No valid API token."},
                "404": {"description": "Unknown, or outside the token's scope."},
            },
        }
    }


def document() -> dict:
    """The OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Palliare reporting API",
            "version": "1",
            "description": "Read-only figures of the dashboards, "
            "with the same scopes and suppression.",
        },
        "paths": {
            "/api/v1/programmes/{programme_id}/report": _operation(
                "A programme's figures (aggregates only; counts under 5 suppressed).",
                "ProgrammeReport",
                "programme_id",
                FILTERS,
            ),
            "/api/v1/institutions/{institution_id}/report": _operation(
                "An institution's figures (its coordinators).",
                "InstitutionReport",
                "institution_id",
                [f for f in FILTERS if f["name"] in ("profession", "since", "until")],
            ),
        },
        "components": {
            "securitySchemes": {
                "token": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token made on /dashboards/tokens.",
                }
            },
            "schemas": {
                "Cell": CELL,
                "Table": TABLE,
                "ProgrammeReport": _report(
                    "programme",
                    {
                        "programme": {
                            "type": "object",
                            "required": ["id", "name", "target_trainees"],
                            "properties": {
                                "id": {"type": "integer"},
                                "name": {"type": "string"},
                                "target_trainees": {"type": "integer"},
                            },
                        },
                        "finished": {"$ref": "#/components/schemas/Cell"},
                    },
                    ["programme", "finished"],
                ),
                "InstitutionReport": _report(
                    "institution",
                    {
                        "institution": {
                            "type": "object",
                            "required": ["id", "name"],
                            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                        }
                    },
                    ["institution"],
                ),
            },
        },
    }
