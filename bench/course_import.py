"""Course import: 20 generated courses in 5 languages, then a re-import after one edit.

Targets (issue 3): the import in at most 10 s; the re-import with one lesson changed in
at most 2 s (unchanged courses are skipped by their content hash).
"""

import shutil
import tempfile
from pathlib import Path

from common import fresh_app, timed

from app.courses.content.catalogs import build_template, merge_into, write_template
from app.courses.content.loader import load_courses
from app.courses.importer import import_courses
from app.extensions import db

COURSES, MODULES, LESSONS = 20, 4, 5
LOCALES = ["ru", "kk", "zh_Hans", "sv"]
PARAGRAPH = (
    "Palliative care improves the quality of life of patients and families who face "
    "life-threatening illness, through early identification and careful assessment."
)


def lesson_text(course: int, module: int, lesson: int) -> str:
    body = "\n\n".join(
        [
            f"## Part {p}\n\n{PARAGRAPH} ({course}.{module}.{lesson}.{p})\n\n- First point {p}\n- Second point {p}"
            for p in range(4)
        ]
    )
    return (
        f"---\nid: lesson-{module}-{lesson}\ntitle: Lesson {module}.{lesson}\nminutes: 10\n---\n\n"
        f"{body}\n\n::: key-point\nThe key point of lesson {lesson}.\n:::\n"
    )


def generate(root: Path) -> None:
    """Write the courses and fully translated catalogs (pseudo-translations)."""
    for c in range(COURSES):
        folder = root / f"course-{c}"
        modules = [f"module-{m}" for m in range(MODULES)]
        (folder / "translations").mkdir(parents=True)
        (folder / "course.yaml").write_text(
            f"id: course-{c}\ntitle: Course {c}\nsummary: Summary {c}.\naudience: [nurse]\n"
            f"source_locale: en\ncpd_hours: 4\nmodules: [{', '.join(modules)}]\n"
            "completion: {version: 1, lessons: required}\n"
        )
        for m, module in enumerate(modules):
            module_dir = folder / "modules" / f"{m:02d}-{module}"
            module_dir.mkdir(parents=True)
            (module_dir / "module.yaml").write_text(f"id: {module}\ntitle: Module {m}\n")
            for n in range(LESSONS):
                (module_dir / f"{n:02d}.md").write_text(lesson_text(c, m, n))
    courses, problems = load_courses(root, ["en", *LOCALES])
    assert not problems, problems[:5]
    for course in courses:
        template = build_template(course.id, course.located_segments())
        write_template(template, course.folder / "translations" / f"{course.id}.pot")
        for locale in LOCALES:
            path = course.folder / "translations" / f"{locale}.po"
            merge_into(template, path, locale)
            text = path.read_text(encoding="utf-8").replace('msgstr ""\n\n', 'msgstr "@@"\n\n')
            path.write_text(text, encoding="utf-8")  # every segment "translated"


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="palliare-courses-")) / "courses"
    generate(root)
    lessons = COURSES * MODULES * LESSONS
    print(f"generated {COURSES} courses, {lessons} lessons, 5 languages")
    app, _folder = fresh_app()
    with app.app_context():
        first = timed(lambda: (import_courses(root), db.session.commit()))
        print(
            f"import: {first:.2f} s for {lessons} lessons x 5 languages "
            f"(target 10 s: {'met' if first <= 10 else 'MISSED'}, ratio {first / 10:.2f})"
        )
        lesson = root / "course-7" / "modules" / "02-module-2" / "03.md"
        lesson.write_text(lesson.read_text().replace("The key point", "The changed key point"))
        again = timed(lambda: (import_courses(root), db.session.commit()))
        print(
            f"re-import after one lesson changed: {again:.2f} s "
            f"(target 2 s: {'met' if again <= 2 else 'MISSED'}, ratio {again / 2:.2f})"
        )
        unchanged = timed(lambda: (import_courses(root), db.session.commit()))
        print(f"re-import, nothing changed: {unchanged:.2f} s")
    shutil.rmtree(root.parent)


if __name__ == "__main__":
    main()
