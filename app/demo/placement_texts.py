"""What the demo's observers and supervisors wrote (app/demo/placements.py): objectives,
logbook days, comments, check-ins, assessments, an adaptation plan and its follow-up.

Written as a clinical observer would, in their own language (the Beijing doctor mostly
in English for a Singapore supervisor, some days in Chinese; the Almaty nurse in
Russian), and de-identified like every free text of a placement: no patient's name, no
date of birth, no record number, no address (tests/test_demo_placements.py runs the
guard of app/cases/deidentify.py over all of it).
"""

from app.placements.models import ChangeStatus

# --- The Beijing doctor in Singapore (four weeks, Monday to Friday) ---------------------

SINGAPORE_OBJECTIVES = [
    "Assess and manage cancer pain with opioids: titration, breakthrough doses and rotation",
    "Co-lead a family meeting about goals of care, using the unit's structured approach",
    "Recognise the last days of life and plan care for the dying patient, including "
    "stopping treatments that no longer help",
    "Understand how the multidisciplinary team works: referrals, roles, the weekly meeting "
    "and discharge to home care",
]

# One entry per working day: activities (kind, hours), what I saw, learned, would adapt.
SINGAPORE_LOGBOOK = [
    (
        [("ward_rounds", 3), ("team_meetings", 1.5)],
        "Orientation to the inpatient unit: sixteen beds, two consultants, one nurse for "
        "every four patients. Joined the afternoon board round, where each patient was "
        "discussed in under three minutes with a clear plan for the night.",
        "The board round always ends with 'what matters to the patient today', not only "
        "with the medical problems.",
        "Our afternoon handover could end with the same question.",
    ),
    (
        [("ward_rounds", 3.5), ("family_meetings", 1)],
        "Ward round with the consultant. A man with lung cancer was breathless at rest: "
        "the team used a fan, positioning and low-dose oral morphine instead of more "
        "oxygen, because his saturation was acceptable.",
        "Low-dose opioids relieve breathlessness; oxygen helps only when the patient is hypoxic.",
        "Write a short breathlessness protocol for our oncology ward, where oxygen is often "
        "given by default.",
    ),
    (
        [("ward_rounds", 3), ("team_meetings", 2)],
        "Weekly multidisciplinary meeting with doctors, nurses, the medical social worker, "
        "a physiotherapist, the chaplain and the pharmacist. The social worker reported on "
        "discharge plans and on how the carers are coping.",
        "The pharmacist checks every opioid conversion before the meeting, so errors are "
        "caught early.",
        "Ask our pharmacy to review the conversions of patients on more than one opioid.",
    ),
    (
        [("ward_rounds", 3), ("outpatient_clinics", 2)],
        "门诊随访一位胰腺癌晚期的病人，疼痛评分从8分降到了3分。医生用芬太尼贴剂加口服吗啡"
        "作为解救剂量，并详细解释了如何预防便秘。",
        "解救剂量按每日总量的六分之一到十分之一计算，每次使用都要记录，第二天据此调整长效"
        "药物的剂量。",
        "我们病房可以用同样的表格记录解救剂量，方便查房时调整。",
    ),
    (
        [("ward_rounds", 3), ("family_meetings", 1.5)],
        "A family meeting about stopping artificial nutrition for a woman with advanced "
        "dementia. The consultant began by asking what the family already understood, "
        "then paused and let them speak.",
        "Ask before you tell; silence is a tool. The nurse summarised the decisions at the "
        "end and wrote them down for the night team.",
        "Our family meetings are mostly the doctor informing. I will try ask–tell–ask with "
        "our team.",
    ),
    (
        [("home_visits", 4), ("team_meetings", 1)],
        "Home visit with the community team to a man with motor neurone disease. The nurse "
        "checked the syringe driver and taught his wife to give a breakthrough dose under "
        "the skin.",
        "Carers can be trained safely when they have a written plan and can reach the team "
        "at night.",
        "Home care in Beijing relies on families too: a written carer's plan would help our "
        "community nurses.",
    ),
    (
        [("ward_rounds", 3), ("team_meetings", 1)],
        "A patient in the last days of life: the team stopped blood tests, routine "
        "observations and most oral medicines, and prescribed subcutaneous medicines as "
        "needed for pain, agitation, nausea and secretions.",
        "Anticipatory prescribing: four symptoms, four medicines, written before they are needed.",
        "Propose an anticipatory prescribing order set for our oncology ward.",
    ),
    (
        [("family_meetings", 2), ("ward_rounds", 2)],
        "今天参加了一次关于是否告知病情的家庭会议。家属要求不告诉病人，医生先了解家属的"
        "担心，再和病人本人确认他想知道多少。",
        "问题不是“告诉还是不告诉”，而是先问病人想知道什么。家属的担心被认真对待后，他们"
        "更愿意合作。",
        "回北京后想和科室讨论一个告知坏消息的流程，包括先和家属沟通的步骤。",
    ),
    (
        [("ward_rounds", 3.5), ("team_meetings", 1)],
        "Opioid rotation from oral morphine to subcutaneous hydromorphone for a patient "
        "whose kidney function was getting worse and who had developed myoclonus.",
        "Kidney function guides the choice of opioid; myoclonus and new confusion are early "
        "signs of toxicity.",
        "Check kidney function before titrating morphine, and ask for hydromorphone on our "
        "ward's list.",
    ),
    (
        [("outpatient_clinics", 3), ("video_consultations", 1.5)],
        "Video consultation with a woman at home and her daughter. The doctor went through "
        "the ESAS-r scores on the screen and adjusted her laxatives.",
        "Video follow-up works well when the nurse collects the symptom scores beforehand.",
        "Many of our patients live far from the hospital: a video follow-up clinic would "
        "save them the journey.",
    ),
    (
        [("ward_rounds", 3), ("team_meetings", 2)],
        "参加了病房的死亡病例回顾会，团队讨论了一位病人最后四十八小时的症状控制是否充分。",
        "回顾会不追究个人责任，重点是流程可以怎样改进。护士的意见和医生的一样受到重视。",
        "我们科可以每月做一次类似的回顾，先从一个病例开始。",
    ),
    (
        [("hospice", 5)],
        "A day at the partner hospice: long stays, volunteers on every ward, and a garden "
        "where patients can be taken in their beds.",
        "Volunteers are trained for eight weeks and supervised; they do not replace the "
        "nurses, they give time.",
        "Ask our social work department whether a small volunteer programme is possible.",
    ),
    (
        [("family_meetings", 1.5), ("ward_rounds", 3)],
        "Co-led my first family meeting with the consultant, with an interpreter for the "
        "family's dialect. We discussed the wish to go home for the last weeks.",
        "Preparing the meeting took longer than the meeting: who comes, what we want to "
        "decide, what the patient has already told us.",
        "Use a one-page preparation checklist before every family meeting.",
    ),
    (
        [("ward_rounds", 3), ("team_meetings", 1.5)],
        "Delirium in a patient with liver metastases: the team looked for reversible causes "
        "first (medicines, constipation, urinary retention) before giving haloperidol.",
        "A reversible cause is found in many delirious patients, even near the end of life.",
        "Add a delirium checklist to our night doctors' handover.",
    ),
    (
        [("home_visits", 4), ("team_meetings", 1)],
        "With the community team: a bereavement visit to a family three weeks after a death "
        "at home.",
        "Bereavement support is planned from admission; the team notes early which family "
        "members may be at risk.",
        "Nobody contacts our families after a death. Our social worker could call them.",
    ),
    (
        [("ward_rounds", 3), ("outpatient_clinics", 2)],
        "门诊看到几位刚确诊晚期肺癌的病人，他们很早就转介到姑息治疗，和肿瘤科同时随访。",
        "早期姑息治疗可以改善生活质量。关键是和肿瘤科医生建立信任，让他们愿意早点转介。",
        "回去后想和我们医院的肿瘤科商量一个转介标准。",
    ),
    (
        [("ward_rounds", 3), ("family_meetings", 1)],
        "Ward round led by the registrar; I presented two patients myself and proposed their "
        "opioid plans.",
        "My supervisor corrected my breakthrough dose for a patient on a fentanyl patch: "
        "convert the patch to the daily oral morphine equivalent first.",
        "Prepare a pocket conversion card for our junior doctors.",
    ),
    (
        [("team_meetings", 2), ("ward_rounds", 2.5)],
        "Presented at the multidisciplinary meeting for the first time; discussed spiritual "
        "care with the chaplain.",
        "Spiritual distress can be explored with a few simple questions about meaning, hope "
        "and what gives strength.",
        "We have no chaplain, but our psychologist and nurses could ask the same questions.",
    ),
    (
        [("ward_rounds", 3), ("team_meetings", 1)],
        "Prepared my case presentation for the unit and started the adaptation plan with my "
        "supervisor.",
        "Choosing three changes I can really make is harder than listing ten good ideas.",
        "",
    ),
    (
        [("ward_rounds", 3)],
        "Last ward round on the unit.",
        "",
        "",
    ),
]
DRAFTS = 2  # the most recent days are still drafts

# (entry number, the supervisor's comment): only on submitted entries.
SINGAPORE_COMMENTS = [
    (1, "Good observation. We still give oxygen when the saturation is low: the point is "
     "not to give it by default."),
    (4, "Ask–tell–ask works in any language. Next week you co-lead one with me."),
    (8, "Exactly. Let us go through the conversion table together on Thursday."),
    (12, "Well prepared. The family told the nurse afterwards that they felt listened to."),
    (16, "Good catch on the patch conversion: put it on your conversion card."),
]  # fmt: skip

# One note per week of the placement (the observer writes the last one).
SINGAPORE_CHECK_INS = [
    "Orientation done and objectives agreed. Joins the morning ward round and the family "
    "meetings. Next week: the daily opioid review with the pharmacist.",
    "Mid-point assessment done. Strong on pain assessment; observing family meetings well. "
    "Next week: co-lead a family meeting with an interpreter.",
    "Co-led a family meeting and spent a day at the partner hospice. Logbook up to date. "
    "Next week: present at the multidisciplinary meeting.",
    "Last week: case presentation to the unit on Thursday, then the final assessment and my "
    "adaptation plan before I fly home.",
]

SINGAPORE_MID = (
    "Confident with opioid titration and rotation and asks good questions on the ward "
    "round. Observes family meetings well and is ready to co-lead one with support.",
    [
        (3, "Titrates with supervision; must check kidney function every time."),
        (2, "Has observed four meetings; co-leads one next week."),
        (3, "Recognises dying well; prescribes anticipatory medicines with a check."),
        (3, "Knows the roles; will present at the meeting in week three."),
    ],
)

# --- The Almaty nurse at the Luleå hospice (fourteen days, weekends included) ------------

LULEA_OBJECTIVES = [
    "Assess symptoms with ESAS-r and act on the scores together with the doctor",
    "Learn how the hospice runs its weekly multidisciplinary meeting",
    "Prepare and take part in a family meeting, and follow the family up in bereavement",
    "Support patients at home: the community team's visits, syringe pumps and written "
    "plans for carers",
]

LULEA_LOGBOOK = [
    (
        [("hospice", 6)],
        "Знакомство с хосписом: двенадцать коек, у каждого своя комната, родственники могут "
        "оставаться на ночь.",
        "Медсёстры сами оценивают симптомы по шкале ESAS-r два раза в день и сообщают врачу.",
        "У нас симптомы оценивает только врач на обходе. Можно научить медсестёр.",
    ),
    (
        [("hospice", 5), ("team_meetings", 1.5)],
        "Утренняя передача смены: медсёстры, санитары и врач обсуждают каждого за две-три минуты.",
        "Короткая структура: симптомы, что важно человеку сегодня, план на день.",
        "Попробовать такую структуру на нашей утренней пятиминутке.",
    ),
    (
        [("home_visits", 5)],
        "Выезд с выездной бригадой на дом. Медсестра проверила помпу для подкожного введения "
        "и поговорила с мужем о ночи.",
        "Родственников учат давать дополнительную дозу под кожу по письменному плану.",
        "Нашим выездным медсёстрам нужна такая же письменная памятка для семьи.",
    ),
    (
        [("team_meetings", 2), ("hospice", 4)],
        "Еженедельное мультидисциплинарное совещание: врач, медсёстры, социальный работник, "
        "физиотерапевт, священник.",
        "Каждый говорит о своей части ухода; решения записывают сразу, с ответственным.",
        "Предложить заведующему еженедельное совещание по средам.",
    ),
    (
        [("family_meetings", 1.5), ("hospice", 4)],
        "Семейная встреча: обсуждали, где человек хочет провести последние недели.",
        "Сначала спрашивают, что семья уже знает. Медсестра записывает решения и передаёт "
        "их ночной смене.",
        "Нам нужен простой план семейной встречи на русском и казахском.",
    ),
    (
        [("hospice", 6)],
        "Вечерняя смена в хосписе: персонала меньше, но волонтёры читают вслух и вывозят "
        "лежачих в сад.",
        "Волонтёры проходят обучение и работают под руководством координатора.",
        "Поговорить с медицинским колледжем о студентах-волонтёрах.",
    ),
    (
        [("hospice", 6)],
        "Последние дни жизни: отменили лишние анализы и таблетки, заранее назначили "
        "препараты подкожно по необходимости.",
        "Четыре симптома — четыре препарата, назначенные заранее, чтобы ночью не ждать врача.",
        "Обсудить с нашими врачами заранее назначенные препараты на выходные дни.",
    ),
    (
        [("home_visits", 5), ("video_consultations", 1)],
        "Выезд в посёлок далеко от города и видеоконсультация с врачом из машины.",
        "Большие расстояния, как у нас: часть визитов заменяют видеозвонком с медсестрой.",
        "Попробовать видеосвязь для сельских семей, которых мы видим раз в месяц.",
    ),
    (
        [("hospice", 5), ("family_meetings", 1)],
        "Уход за полостью рта и профилактика пролежней у лежачих.",
        "Простые вещи, которые делают каждые четыре часа по чек-листу, и их всегда проверяют.",
        "Ввести такой чек-лист в нашем отделении.",
    ),
    (
        [("hospice", 4), ("team_meetings", 2)],
        "Разбор случая смерти в команде: что прошло хорошо, что можно улучшить.",
        "Виноватых не ищут; говорят о том, как изменить порядок работы.",
        "Раз в месяц проводить такой разбор у нас.",
    ),
    (
        [("family_meetings", 2), ("hospice", 4)],
        "Звонок семье через две недели после смерти: поддержка в горе.",
        "Поддержку в горе планируют с момента поступления и отмечают, кому она нужнее.",
        "Наш социальный работник может звонить семьям после смерти.",
    ),
    (
        [("hospice", 6)],
        "Сама провела оценку по ESAS-r у трёх пациентов, медсестра хосписа проверила.",
        "Если человеку трудно отвечать, помогает родственник, и это отмечают в бланке.",
        "Перевести бланк ESAS-r на казахский язык: русский уже есть.",
    ),
    (
        [("hospice", 5), ("team_meetings", 1)],
        "Рассказала команде хосписа о паллиативной помощи в Алматы и о том, как у нас "
        "ухаживают большие семьи.",
        "Шведские коллеги удивились, как много родственников участвуют в уходе у нас.",
        "Нам тоже есть чему научить: это обмен, а не только учёба.",
    ),
    (
        [("hospice", 4), ("team_meetings", 2)],
        "Итоговая встреча с куратором: финальная оценка и план изменений для отделения.",
        "Выбрать четыре изменения, которые правда можно сделать, труднее, чем записать "
        "десять идей.",
        "План: ESAS-r, еженедельное совещание, памятка для семейных встреч, звонок семье "
        "после смерти.",
    ),
]

LULEA_COMMENTS = [
    (0, "Welcome! Our nurses score ESAS-r every morning and evening; the doctor reads the "
     "sheet on the round."),
    (4, "A family meeting guide would be useful for us too: will you share it once it is "
     "translated?"),
    (11, "Your scores matched mine for all three patients. Well done."),
]  # fmt: skip

LULEA_CHECK_INS = [
    "Week one: orientation, a home visit and the team meeting. Objectives agreed before "
    "arrival. Next week: ESAS-r on her own and a family meeting.",
    "Week two: scored ESAS-r independently and presented the Almaty service to our team. "
    "Final assessment on the last day; the adaptation plan is drafted.",
]

LULEA_MID = (
    "Observant and quick to ask. Working in English and Swedish team meetings is tiring "
    "but going well.",
    [
        (2, "Has watched the scoring; scores with a nurse next week."),
        (3, "Took part in the meeting and asked good questions."),
        (2, "Observed one family meeting."),
        (3, "Two home visits; understands the syringe pump."),
    ],
)
LULEA_FINAL = (
    "A committed and observant nurse who adapted quickly. Present every day of the "
    "fortnight, weekends included, and a real contribution to our team.",
    [
        (4, "Scores ESAS-r independently and acts on the scores."),
        (4, "Knows how to run the meeting and has a plan to start one at home."),
        (3, "Took part in a family meeting and a bereavement call."),
        (4, "Safe with the syringe pump; writes clear plans for carers."),
    ],
)

LULEA_HOST_LEARNING = (
    "Our visitor showed us how large families in Almaty share the care at home, and how "
    "her team plans with the whole family rather than with one next of kin. We now ask on "
    "admission who else in the family should come to the first family meeting. Two of our "
    "nurses have started learning Russian phrases for our Russian-speaking patients."
)

# The adaptation plan: description, owner, target (days after the last day).
LULEA_PLAN = [
    (
        "Introduce ESAS-r on the ward: every patient scored by the nurses on admission and "
        "twice a day",
        "Senior nurse of the palliative ward",
        60,
    ),
    (
        "A weekly multidisciplinary meeting (doctor, nurses, social worker, psychologist)",
        "Head of the palliative department",
        45,
    ),
    ("A family meeting guide in Russian and Kazakh", "The observer, with the psychologist", 90),
    ("A bereavement call to each family two weeks after a death", "Ward social worker", 120),
]
# Where each change stood at the 3-month follow-up (the 6-month one is not answered yet).
LULEA_THREE_MONTHS = [
    (ChangeStatus.DONE, "Every patient is scored on admission; twice a day on most days."),
    (
        ChangeStatus.IN_PROGRESS,
        "We meet every second week so far: the psychologist is shared with another ward.",
    ),
    (ChangeStatus.DONE, "Printed in both languages and used in our family meetings."),
    (ChangeStatus.IN_PROGRESS, "Started with one social worker; the call script is drafted."),
]

# --- The open offer -------------------------------------------------------------------

DECLINED_REASON = (
    "This intake is for doctors. The nurses' exchange opens in the spring: apply then, "
    "and I will endorse it."
)
