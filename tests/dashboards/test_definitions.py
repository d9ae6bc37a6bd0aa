"""The footnote of every dashboard and export: what "finished" means for each course."""

from flask_babel import force_locale

from app.dashboards import report


def test_the_footnote_gives_each_professions_own_completion_path(quiz_course):
    """What "finished" meant for each person: a profession's own path is spelled out."""
    quiz_course.completion_rule = {
        **quiz_course.completion_rule,
        "paths": {"social_worker": {"quizzes": []}},
    }
    with force_locale("en"):
        rules = dict(report.definitions([quiz_course], "en"))
    words = rules["Quiz course: completion rule v3"]
    assert "passed: " in words and "Social worker instead: no quiz" in words
