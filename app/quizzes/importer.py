"""Saving a course's quizzes during the course import (rows keyed by their stable ids)."""

from sqlalchemy import delete, select

from app.courses.content.markdown import RenderStats, render, render_inline
from app.courses.content.quiz_shapes import ObjectiveText, QuestionTexts
from app.db_types import utcnow
from app.extensions import db
from app.html import sanitise
from app.quizzes.models import Quiz, QuizText
from app.quizzes.scoring import index_questions


def save_quizzes(course, source, modules: dict, translators: dict) -> None:
    """Create or update the course's quizzes and their texts; retire the ones removed."""
    rows = {q.key: q for q in db.session.scalars(select(Quiz).where(Quiz.course_id == course.id))}
    saved = []
    objectives = _objectives_by_id(source)
    for position, quiz_source in enumerate(source.quizzes):
        quiz = rows.pop(quiz_source.id, None) or Quiz(course_id=course.id, key=quiz_source.id)
        module = modules.get(quiz_source.module) if quiz_source.module else None
        quiz.module_id = module.id if module else None
        quiz.titles = {loc: t(quiz_source.title)[0] for loc, t in translators.items()}
        quiz.pass_mark = quiz_source.pass_mark
        quiz.max_attempts = quiz_source.max_attempts
        quiz.wait_minutes = quiz_source.wait_minutes
        quiz.time_limit_minutes = quiz_source.time_limit_minutes
        quiz.review = quiz_source.review or default_review(source, quiz_source.id)
        quiz.definition = quiz_source.definition()
        quiz.position = position
        quiz.retired_at = None
        db.session.add(quiz)
        saved.append((quiz, quiz_source))
    for quiz in rows.values():
        quiz.retired_at = quiz.retired_at or utcnow()
    db.session.flush()
    db.session.execute(delete(QuizText).where(QuizText.quiz_id.in_([q.id for q, _ in saved])))
    db.session.add_all(
        _quiz_text(quiz, quiz_source, locale, translate, f"/courses/{course.key}/files", objectives)
        for quiz, quiz_source in saved
        for locale, translate in translators.items()
    )


def default_review(source, quiz_id: str) -> str:
    """When a quiz shows its answers if its file does not say: a graded quiz (the
    course's pre/post knowledge test, or one a completion rule or path requires) once
    passed or out of attempts, so that answers cannot be copied into the next attempt;
    a practice quiz that nothing requires, at once."""
    completion = source.completion
    required = {
        source.pre_test,
        source.post_test,
        *completion.get("quizzes", []),
        *(key for path in completion.get("paths", {}).values() for key in path.get("quizzes", [])),
    }
    return "after_passing_or_last_attempt" if quiz_id in required else "immediately"


def _objectives_by_id(source) -> dict:
    """(lesson, objective) of every objective id the course's lessons state."""
    return {
        objective.id: (lesson, objective)
        for lesson in source.lessons()
        for objective in lesson.objectives
    }


def _objective_text(objective_id: str, objectives: dict, translate) -> ObjectiveText:
    """What the review shows of the objective a question tests, and where it is taught."""
    lesson, objective = objectives[objective_id]
    html, fallback = render_inline(objective.text, translate)
    shown: ObjectiveText = {
        "id": objective.id,
        "text": sanitise(html),
        "lesson": lesson.id,
        "lesson_title": translate(lesson.title)[0],
    }
    if fallback is not None:
        shown["lang"] = fallback.replace("_", "-")
    return shown


def _quiz_text(quiz, quiz_source, locale, translate, files_base, objectives) -> QuizText:
    stats = RenderStats()
    texts: dict[str, QuestionTexts] = {}

    def block(text: str) -> str:
        html, part = render(text, translate, files_base)
        stats.total += part.total
        stats.fallback += part.fallback
        return sanitise(html)

    def inline(text: str) -> str:
        html, fallback = render_inline(text, translate)
        stats.total += 1
        stats.fallback += int(fallback is not None)
        return sanitise(html)

    for question in index_questions(quiz_source.definition()).values():
        raw = quiz_source.texts[question["id"]]
        entry: QuestionTexts = {"stem": block(raw["stem"]) if raw.get("stem") else ""}
        if "rationale" in raw:
            entry["rationale"] = block(raw["rationale"])
        if "choices" in raw:
            entry["choices"] = {cid: inline(text) for cid, text in raw["choices"].items()}
        if "unit" in raw:
            entry["unit"] = translate(raw["unit"])[0]
        if question.get("objective") in objectives:
            entry["objective"] = _objective_text(question["objective"], objectives, translate)
        texts[question["id"]] = entry
    return QuizText(
        quiz_id=quiz.id,
        locale=locale,
        texts=texts,
        segments_total=stats.total,
        segments_fallback=stats.fallback,
    )
