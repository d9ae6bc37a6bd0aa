"""The Chinese and Russian words of the demo's joint protocol, keyed by the English of
its version 1's segments (app/demo/protocol_texts.py): every segment in Chinese, all but
the first dose line in Russian (so Russian is held back), and the Chinese of the few
segments the Beijing adaptation changes. Read by protocol_adoption.py."""

# The English segments shared by both languages' dictionaries (dose lines marked).
TITLE = "Subcutaneous opioids for breakthrough pain in the last days of life"
SCOPE = (
    "Adults (18 and over) in the last days of life, in hospital, hospice or at home, who "
    "have or may have breakthrough pain. Not for children and adolescents, and not a "
    "prescribing guide: **your national or local formulary governs** every drug, strength "
    "and controlled-drug rule, and a palliative care specialist should be asked when unsure."
)
ASSESS = "Assess the pain with the patient and family: where, how bad, what helps."
CAUSES = (
    "Look for causes that are quick to treat (a full bladder, constipation, a painful "
    "position, mouth pain)."
)
ROUTE = (
    "The subcutaneous (SC) route is preferred to intramuscular injection (WHO cancer pain "
    "guideline, dated 2018, released 2019)."
)
AS_NEEDED = (
    'Keep a rescue dose prescribed "as needed" beside any regular opioid, so that no one '
    "waits for a doctor when pain breaks through."
)
SWALLOW = "While the patient can still swallow"
SOLUTION = (
    "Immediate-release (IR) oral morphine solution is the usual rescue while swallowing is "
    "safe. For an opioid-naive adult with normal kidney and liver function (NICE CG140):"
)
ORAL_DOSE = (  # dose line
    "Regular oral morphine 20–30 mg per 24 hours, with IR oral morphine 5 mg as the rescue "
    "dose while titrating."
)
SWITCH = "Switch to the SC route when swallowing becomes unsafe or unreliable."
CHOOSING = "Choosing the subcutaneous rescue dose"
WORKED_OUT = (
    "The rescue dose is worked out from the total 24-hour opioid dose. Sources differ, so "
    "local charts decide."
)
ONE_SIXTH = (  # dose line
    "Rescue dose: 1/6 of the total 24-hour dose of the same opioid (Scottish Palliative "
    "Care Guidelines; SIGN). Other sources give 1/10 to 1/6 (BNF summary) or 10–20%."
)
HALVE = (  # dose line
    "Oral morphine to SC morphine: divide by 2 (commonly cited). Some UK charts divide by 3 "
    "for intravenous use; Canadian charts treat SC and IV alike."
)
FRAIL = (  # dose line
    "In frail or elderly patients use lower doses and titrate more slowly (Scottish "
    "Palliative Care Guidelines)."
)
FENTANYL = (
    "Fentanyl is the exception: transmucosal fentanyl is titrated on its own, not worked "
    "out from the background dose (NICE)."
)
HOW_OFTEN = "How often, and when to ask for help"
INTERVAL = (  # dose line
    "Usually every 2–4 hours as needed; up to hourly in severe pain or the last days. "
    "Intervals vary locally."
)
ADVICE = (  # dose line
    "Seek specialist advice if more than 3 rescue doses are needed in 24 hours (Scottish "
    "Palliative Care Guidelines): the regular dose may need review."
)
KIDNEY = "Kidney impairment"
ASK_FIRST = (
    "Ask a specialist before any strong opioid in moderate to severe kidney or liver "
    "impairment (NICE CG140). The eGFR cut-offs used differ between guidelines:"
)
GLASGOW = (  # dose line
    "Glasgow health board: caution with morphine and oxycodone at eGFR below 60 mL/min; in "
    "the last days, alfentanil if eGFR is 20 mL/min or less."
)
OTHER_CUT_OFF = (  # dose line
    "Other guidelines use 30 mL/min. Follow your own renal and palliative teams."
)
SOURCES = "Sources"
WHO = (
    "World Health Organization. Guidelines for the pharmacological and radiotherapeutic "
    "management of cancer pain in adults and adolescents (2018, released 2019)."
)
NICE = "NICE CG140. Palliative care for adults: strong opioids for pain relief."
SCOTTISH = "Scottish Palliative Care Guidelines: pain management; choosing and changing opioids."
FORMULARIES = (
    "Local formularies govern: drugs, strengths and controlled-drug rules differ between "
    "Singapore, China and other countries."
)
# The Beijing adaptation's own segments (its title and the section it changes).
ADAPTED_TITLE = f"{TITLE} (Beijing)"
TABLETS = (
    "Immediate-release (IR) oral morphine **tablets** are the rescue while swallowing is "
    "safe: oral morphine solution is not stocked by our pharmacy. For an opioid-naive adult "
    "with normal kidney and liver function (NICE CG140, as adopted by our hospital "
    "formulary):"
)
TABLET_DOSE = (  # dose line
    "Regular oral morphine 20–30 mg per 24 hours, with IR oral morphine 5 mg (tablet) as "
    "the rescue dose while titrating. Check the tablet strengths the pharmacy stocks."
)
TABLET_SWITCH = (
    "Switch to the SC route when swallowing becomes unsafe or unreliable: tablets cannot be "
    "given in smaller steps as easily as a solution."
)

ZH = {
    TITLE: "生命最后几天爆发痛的皮下阿片类药物治疗",
    SCOPE: (
        "处于生命最后几天、已有或可能出现爆发痛的成人（18 岁及以上），无论在医院、"
        "安宁疗护机构还是家中。不适用于儿童和青少年，也不是处方指南：每种药物、规格及"
        "管制药品规定**以国家或当地处方集/药物目录为准**；如有疑问，应咨询姑息治疗专科医生。"
    ),
    "Principles": "原则",
    ASSESS: "与患者及家属一起评估疼痛：部位、严重程度、什么能缓解。",
    CAUSES: "寻找可迅速处理的原因（膀胱充盈、便秘、引起疼痛的体位、口腔疼痛）。",
    ROUTE: "皮下（SC）途径优于肌内注射（WHO 癌痛指南，2018 年版，2019 年发布）。",
    AS_NEEDED: (
        "在任何规律使用的阿片类药物之外，同时开具“按需”使用的解救剂量，"
        "以便爆发痛出现时无需等待医生。"
    ),
    SWALLOW: "患者仍能吞咽时",
    SOLUTION: (
        "吞咽安全时，即释（IR）口服吗啡溶液是常用的解救用药。对于肝肾功能正常、"
        "阿片类药物未耐受的成人（NICE CG140）："
    ),
    ORAL_DOSE: (
        "规律口服吗啡每 24 小时 20–30 mg，滴定期间以即释（IR）口服吗啡 5 mg 作为解救剂量。"
    ),
    SWITCH: "当吞咽变得不安全或不可靠时，改用皮下途径。",
    CHOOSING: "选择皮下解救剂量",
    WORKED_OUT: (
        "解救剂量根据阿片类药物的 24 小时总剂量计算。各来源说法不一，因此以当地换算表为准。"
    ),
    ONE_SIXTH: (
        "解救剂量：同一种阿片类药物 24 小时总剂量的 1/6（Scottish Palliative Care "
        "Guidelines；SIGN）。其他来源给出 1/10 至 1/6（BNF 摘要）或 10–20%。"
    ),
    HALVE: (
        "口服吗啡换算为皮下吗啡：除以 2（常被引用）。部分英国换算表用于静脉给药时除以 3；"
        "加拿大换算表将皮下与静脉给药同等对待。"
    ),
    FRAIL: (
        "对于虚弱或老年患者，应使用较低剂量并更缓慢地滴定（Scottish Palliative Care Guidelines）。"
    ),
    FENTANYL: "芬太尼是例外：经黏膜芬太尼需单独滴定，而不是根据基础剂量推算（NICE）。",
    HOW_OFTEN: "给药频率，以及何时寻求帮助",
    INTERVAL: (
        "通常按需每 2–4 小时一次；剧烈疼痛时或生命最后几天可增至每小时一次。给药间隔因地而异。"
    ),
    ADVICE: (
        "如果 24 小时内需要超过 3 次解救剂量，应寻求专科意见（Scottish Palliative Care "
        "Guidelines）：常规剂量可能需要重新评估。"
    ),
    KIDNEY: "肾功能损害",
    ASK_FIRST: (
        "中度至重度肾功能或肝功能损害时，使用任何强阿片类药物前应咨询专科医生"
        "（NICE CG140）。各指南采用的 eGFR 临界值不同："
    ),
    GLASGOW: (
        "Glasgow health board（格拉斯哥卫生局）：eGFR 低于 60 mL/min 时慎用吗啡和羟考酮；"
        "在生命最后几天，如 eGFR 为 20 mL/min 或以下，使用阿芬太尼。"
    ),
    OTHER_CUT_OFF: "其他指南采用 30 mL/min。请遵循本机构肾脏科和姑息治疗团队的意见。",
    SOURCES: "参考来源",
    WHO: (
        "World Health Organization（世界卫生组织）。Guidelines for the pharmacological "
        "and radiotherapeutic management of cancer pain in adults and adolescents"
        "（成人和青少年癌痛的药物及放射治疗管理指南；2018 年，2019 年发布）。"
    ),
    NICE: (
        "NICE CG140. Palliative care for adults: strong opioids for pain relief"
        "（成人姑息治疗：强阿片类药物镇痛）。"
    ),
    SCOTTISH: (
        "Scottish Palliative Care Guidelines（苏格兰姑息治疗指南）："
        "疼痛管理；阿片类药物的选择与转换。"
    ),
    FORMULARIES: (
        "以当地处方集/药物目录为准：新加坡、中国及其他国家在药物、规格和管制药品规定方面各不相同。"
    ),
}
# The Beijing adaptation: the segments it changes (the rest are the source's, above).
ZH_ADAPTED = {
    ADAPTED_TITLE: "生命最后几天爆发痛的皮下阿片类药物治疗（北京）",
    TABLETS: (
        "吞咽安全时，以即释（IR）口服吗啡**片剂**作为解救用药：本院药房不备口服吗啡溶液。"
        "对于肝肾功能正常、阿片类药物未耐受的成人（NICE CG140，已纳入本院处方集）："
    ),
    TABLET_DOSE: (
        "规律口服吗啡每 24 小时 20–30 mg，滴定期间以即释（IR）口服吗啡 5 mg（片剂）"
        "作为解救剂量。请核对药房备有的片剂规格。"
    ),
    TABLET_SWITCH: "当吞咽变得不安全或不可靠时，改用皮下途径：片剂不像溶液那样便于小幅调整剂量。",
}
# Every segment but one dose line (ORAL_DOSE, the first): Russian is held back.
RU = {
    TITLE: "Подкожное введение опиоидов при прорывной боли в последние дни жизни",
    SCOPE: (
        "Взрослые (18 лет и старше) в последние дни жизни — в больнице, хосписе или дома, — "
        "у которых есть или может возникнуть прорывная боль. Не для детей и подростков и не "
        "руководство по назначению: **каждый препарат, дозировку и правила обращения с "
        "контролируемыми препаратами определяет ваш национальный или местный формуляр**, а "
        "при сомнениях следует обратиться к специалисту по паллиативной помощи."
    ),
    "Principles": "Принципы",
    ASSESS: "Оцените боль вместе с пациентом и семьёй: где болит, насколько сильно, что помогает.",
    CAUSES: (
        "Ищите причины, которые можно быстро устранить (переполненный мочевой пузырь, запор, "
        "болезненное положение тела, боль во рту)."
    ),
    ROUTE: (
        "Подкожный (п/к) путь введения предпочтительнее внутримышечных инъекций (руководство "
        "WHO по лечению онкологической боли, датировано 2018 годом, опубликовано в 2019 году)."
    ),
    AS_NEEDED: (
        "Наряду с любым регулярным опиоидом назначайте дозу для купирования прорывной боли "
        "«по требованию», чтобы при прорыве боли никому не приходилось ждать врача."
    ),
    SWALLOW: "Пока пациент ещё может глотать",
    SOLUTION: (
        "Пока глотание безопасно, обычным средством купирования служит раствор морфина "
        "немедленного высвобождения (IR) для приёма внутрь. Для взрослого, ранее не "
        "получавшего опиоиды, с нормальной функцией почек и печени (NICE CG140):"
    ),
    SWITCH: "Когда глотание становится небезопасным или ненадёжным, переходите на п/к путь.",
    CHOOSING: "Выбор подкожной дозы для купирования прорывной боли",
    WORKED_OUT: (
        "Доза для купирования рассчитывается от общей суточной дозы опиоида. Источники "
        "расходятся, поэтому решают местные таблицы."
    ),
    ONE_SIXTH: (
        "Доза для купирования: 1/6 общей суточной дозы того же опиоида (Scottish Palliative "
        "Care Guidelines; SIGN). Другие источники указывают от 1/10 до 1/6 (BNF summary) "
        "или 10–20%."
    ),
    HALVE: (
        "Перевод перорального морфина в п/к морфин: разделить на 2 (часто приводимое "
        "соотношение). В некоторых британских таблицах для внутривенного введения делят на 3; "
        "в канадских таблицах п/к и в/в введение считаются равнозначными."
    ),
    FRAIL: (
        "У ослабленных или пожилых пациентов используйте более низкие дозы и титруйте "
        "медленнее (Scottish Palliative Care Guidelines)."
    ),
    FENTANYL: (
        "Исключение — фентанил: трансмукозальный фентанил титруют отдельно, а не "
        "рассчитывают от базовой дозы (NICE)."
    ),
    HOW_OFTEN: "Как часто и когда обращаться за помощью",
    INTERVAL: (
        "Обычно каждые 2–4 часа по требованию; при сильной боли или в последние дни жизни — "
        "вплоть до одного раза в час. Интервалы зависят от местной практики."
    ),
    ADVICE: (
        "Обратитесь за консультацией специалиста, если за 24 часа требуется более 3 доз для "
        "купирования (Scottish Palliative Care Guidelines): возможно, регулярную дозу нужно "
        "пересмотреть."
    ),
    KIDNEY: "Нарушение функции почек",
    ASK_FIRST: (
        "При умеренном или тяжёлом нарушении функции почек или печени консультируйтесь со "
        "специалистом перед назначением любого сильного опиоида (NICE CG140). Пороговые "
        "значения рСКФ (eGFR) в разных рекомендациях различаются:"
    ),
    GLASGOW: (
        "Glasgow health board (Глазго): осторожность с морфином и оксикодоном при рСКФ ниже "
        "60 мл/мин; в последние дни жизни — альфентанил, если рСКФ 20 мл/мин или ниже."
    ),
    OTHER_CUT_OFF: (
        "В других рекомендациях используется порог 30 мл/мин. Следуйте указаниям своих "
        "нефрологов и команды паллиативной помощи."
    ),
    SOURCES: "Источники",
    WHO: (
        "World Health Organization (Всемирная организация здравоохранения). Guidelines for "
        "the pharmacological and radiotherapeutic management of cancer pain in adults and "
        "adolescents (Руководство по фармакологическому и лучевому лечению онкологической "
        "боли у взрослых и подростков; 2018 год, опубликовано в 2019 году)."
    ),
    NICE: (
        "NICE CG140. Palliative care for adults: strong opioids for pain relief (Паллиативная "
        "помощь взрослым: сильные опиоиды для обезболивания)."
    ),
    SCOTTISH: (
        "Scottish Palliative Care Guidelines (шотландские рекомендации по паллиативной "
        "помощи): лечение боли; выбор и смена опиоидов."
    ),
    FORMULARIES: (
        "Решают местные формуляры: препараты, дозировки и правила обращения с "
        "контролируемыми препаратами различаются в Сингапуре, Китае и других странах."
    ),
}
