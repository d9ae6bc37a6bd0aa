"""The words of the demo's two library videos, in English, Chinese and Russian.

Each slide has a heading, a few short lines shown on it, and the sentences narrated over
it; each sentence is one caption cue (English, with its Chinese and Russian). A slide's
paragraph of the transcript is its sentences joined, so the transcript's translations
are the cues' joined. The facts are the World Health Organization's (its definition of
palliative care and its fact sheet), cited in the transcript's last paragraph.

One cue of the first video was reworded after its Chinese translation (``earlier``): its
Chinese is then stale, and the Chinese track is offered as partial with that cue in
English.
"""

from dataclasses import dataclass

WHO_FACT_SHEET = "https://www.who.int/news-room/fact-sheets/detail/palliative-care"


@dataclass(frozen=True)
class Line:
    """A narrated sentence (a caption cue) and its translations."""

    en: str
    zh_Hans: str
    ru: str
    earlier: str = ""  # the English before a late rewording (translated in Chinese only)
    earlier_zh_Hans: str = ""


@dataclass(frozen=True)
class Slide:
    heading: str
    shown: tuple[str, ...]  # the short lines on the slide
    said: tuple[Line, ...]


@dataclass(frozen=True)
class DemoVideo:
    slug: str
    title: Line
    summary: Line
    slides: tuple[Slide, ...]
    source: Line  # the transcript's last paragraph: where the facts come from
    palette: tuple[str, str] = ("#10324a", "#f4f1ea")  # background, text

    def transcript(self) -> str:
        paragraphs = [" ".join(line.en for line in slide.said) for slide in self.slides]
        return "\n\n".join([*paragraphs, self.source.en]) + "\n"

    def translations(self, locale: str, earlier: bool = False) -> dict[str, str]:
        """English → ``locale`` for every segment; ``earlier``: the cues as first worded
        (and translated), before a late rewording."""
        joiner = "" if locale == "zh_Hans" else " "
        found = {
            self.title.en: getattr(self.title, locale),
            self.summary.en: getattr(self.summary, locale),
            self.source.en: getattr(self.source, locale),
        }
        for slide in self.slides:
            paragraph = " ".join(line.en for line in slide.said)
            found[paragraph] = joiner.join(getattr(line, locale) for line in slide.said)
            for line in slide.said:
                if earlier and line.earlier:
                    found[line.earlier] = getattr(line, f"earlier_{locale}")
                else:
                    found[line.en] = getattr(line, locale)
        return found


WHAT_IT_IS = DemoVideo(
    slug="what-palliative-care-is-and-is-not",
    title=Line(
        "What palliative care is and is not",
        "什么是姑息治疗，什么不是",
        "Что такое паллиативная помощь и чем она не является",
    ),
    summary=Line(
        "A two-minute guide for patients and families: what palliative care offers, "
        "when it can start, and what it does not mean.",
        "写给患者和家属的简短指南：姑息治疗提供什么、何时可以开始，以及它不意味着什么。",
        "Короткий рассказ для пациентов и их близких: что даёт паллиативная помощь, "
        "когда её можно начать и чем она не является.",
    ),
    slides=(
        Slide(
            "What palliative care is and is not",
            ("A short guide", "for patients and families"),
            (
                Line(
                    "Palliative care is care for people living with a serious illness, "
                    "and for their families.",
                    "姑息治疗照护患有严重疾病的人，也照护他们的家人。",
                    "Паллиативная помощь — это забота о людях с тяжёлой болезнью и об их семьях.",
                ),
                Line(
                    "Its aim is the best possible quality of life.",
                    "它的目标是尽可能好的生活质量。",
                    "Её цель — наилучшее возможное качество жизни.",
                ),
            ),
        ),
        Slide(
            "What it is",
            ("Relief from pain and other symptoms", "Care for body, mind and spirit"),
            (
                Line(
                    "It prevents and relieves suffering, such as pain and breathlessness.",
                    "它预防和减轻痛苦，例如疼痛和呼吸困难。",
                    "Она предупреждает и облегчает страдания, например боль и одышку.",
                ),
                Line(
                    "It also cares for emotional, social and spiritual needs.",
                    "它也关心情感、社会和精神上的需要。",
                    "Она также заботится об эмоциональных, социальных и духовных нуждах.",
                ),
            ),
        ),
        Slide(
            "What it is not",
            ("Not only for the last days", "Not giving up", "Not hastening death"),
            (
                Line(
                    "Palliative care is not only for the last days of life.",
                    "姑息治疗不只是在生命的最后几天。",
                    "Паллиативная помощь нужна не только в последние дни жизни.",
                ),
                Line(
                    "It can start early, alongside other treatment.",
                    "它可以及早开始，与其他治疗同时进行。",
                    "Её можно начать рано, вместе с другим лечением.",
                    earlier="It can start early, together with other treatment.",
                    earlier_zh_Hans="它可以及早开始，和其他治疗一起。",
                ),
                Line(
                    "It neither hastens nor postpones death.",
                    "它既不加速也不推迟死亡。",
                    "Она не ускоряет и не отдаляет смерть.",
                ),
            ),
        ),
        Slide(
            "Ask for it",
            ("Ask your doctor or nurse", "about palliative care"),
            (
                Line(
                    "If you or someone you love is seriously ill, ask your doctor or nurse "
                    "about palliative care.",
                    "如果您或您所爱的人患有重病，请向医生或护士询问姑息治疗。",
                    "Если вы или ваш близкий тяжело больны, спросите врача или медсестру "
                    "о паллиативной помощи.",
                ),
            ),
        ),
    ),
    source=Line(
        f"Source: the World Health Organization's definition of palliative care and its "
        f"[fact sheet on palliative care]({WHO_FACT_SHEET}).",
        f"来源：世界卫生组织对姑息治疗的定义及其[姑息治疗概况]({WHO_FACT_SHEET})。",
        f"Источник: определение паллиативной помощи Всемирной организации здравоохранения "
        f"и её [информационный бюллетень о паллиативной помощи]({WHO_FACT_SHEET}).",
    ),
)

WHAT_MATTERS = DemoVideo(
    slug="talking-about-what-matters-most",
    title=Line(
        "Talking about what matters most",
        "谈谈最重要的事",
        "Разговор о самом важном",
    ),
    summary=Line(
        "How families and clinicians can start a conversation about hopes, worries and "
        "wishes when an illness is serious.",
        "当疾病严重时，家属和医护人员如何开始谈论希望、担忧和心愿。",
        "Как родным и медикам начать разговор о надеждах, тревогах и желаниях, "
        "когда болезнь тяжёлая.",
    ),
    palette=("#f4f1ea", "#1d2b36"),
    slides=(
        Slide(
            "Talking about what matters most",
            ("Conversations that help", "when an illness is serious"),
            (
                Line(
                    "When an illness is serious, it helps to talk about what matters most.",
                    "当疾病严重时，谈谈最重要的事会有帮助。",
                    "Когда болезнь тяжёлая, помогает поговорить о самом важном.",
                ),
                Line(
                    "These talks can be hard, and they are worth having.",
                    "这样的谈话可能很难，但值得进行。",
                    "Такие разговоры бывают трудными, но они того стоят.",
                ),
            ),
        ),
        Slide(
            "Questions to start",
            ("What do you know of the illness?", "What are you hoping for?", "What worries you?"),
            (
                Line(
                    "You might ask: what do you understand about your illness?",
                    "您可以问：您对自己的病了解多少？",
                    "Можно спросить: что вы знаете о своей болезни?",
                ),
                Line(
                    "What are you hoping for, and what worries you most?",
                    "您希望什么？最担心什么？",
                    "На что вы надеетесь и что вас тревожит больше всего?",
                ),
            ),
        ),
        Slide(
            "Listen, then plan",
            ("Listen more than you speak", "Talk more than once", "Share the wishes"),
            (
                Line(
                    "Listen more than you speak, and allow silence.",
                    "多听少说，允许沉默。",
                    "Больше слушайте, чем говорите, и не бойтесь молчания.",
                ),
                Line(
                    "Wishes can change, so it is fine to talk more than once.",
                    "心愿可能会改变，所以多谈几次也没关系。",
                    "Желания могут меняться, поэтому говорить можно не один раз.",
                ),
                Line(
                    "Share what you learn with the family and the care team.",
                    "把了解到的告诉家人和医护团队。",
                    "Расскажите о том, что узнали, семье и лечащей команде.",
                ),
            ),
        ),
        Slide(
            "You are not alone",
            ("Palliative care teams", "help with these talks"),
            (
                Line(
                    "Palliative care teams support patients and families in these talks.",
                    "姑息治疗团队会在这些谈话中支持患者和家属。",
                    "Команды паллиативной помощи поддерживают пациентов и их семьи "
                    "в таких разговорах.",
                ),
            ),
        ),
    ),
    source=Line(
        f"Source: the World Health Organization's [fact sheet on palliative care]"
        f"({WHO_FACT_SHEET}), on caring for psychological, social and spiritual needs "
        f"and supporting families.",
        f"来源：世界卫生组织的[姑息治疗概况]({WHO_FACT_SHEET})，关于照顾心理、社会和精神需要"
        f"以及支持家庭。",
        f"Источник: [информационный бюллетень Всемирной организации здравоохранения о "
        f"паллиативной помощи]({WHO_FACT_SHEET}) — о психологических, социальных и духовных "
        f"нуждах и поддержке семей.",
    ),
)

VIDEOS = (WHAT_IT_IS, WHAT_MATTERS)
