"""The demo protocol's words (app/demo/protocols.py). Clinical content follows the
project's clinical reference sheet: each claim names its source, ranges are given where
sources disagree, local formularies govern, and every dose, conversion, frequency and
route stands inside a ``::: dose`` block."""

TITLE = "Subcutaneous opioids for breakthrough pain in the last days of life"
ADAPTED_TITLE = "Subcutaneous opioids for breakthrough pain in the last days of life (Beijing)"

SCOPE = (
    "Adults (18 and over) in the last days of life, in hospital, hospice or at home, who "
    "have or may have breakthrough pain. Not for children and adolescents, and not a "
    "prescribing guide: **your national or local formulary governs** every drug, strength "
    "and controlled-drug rule, and a palliative care specialist should be asked when unsure."
)

# (heading, body) in order; keys come from the headings.
SECTIONS = [
    (
        "Principles",
        "- Assess the pain with the patient and family: where, how bad, what helps.\n"
        "- Look for causes that are quick to treat (a full bladder, constipation, a "
        "painful position, mouth pain).\n"
        "- The subcutaneous (SC) route is preferred to intramuscular injection (WHO cancer "
        "pain guideline, dated 2018, released 2019).\n"
        '- Keep a rescue dose prescribed "as needed" beside any regular opioid, so that '
        "no one waits for a doctor when pain breaks through.",
    ),
    (
        "While the patient can still swallow",
        "Immediate-release (IR) oral morphine solution is the usual rescue while swallowing "
        "is safe. For an opioid-naive adult with normal kidney and liver function "
        "(NICE CG140):\n\n"
        "::: dose\n"
        "Regular oral morphine 20–30 mg per 24 hours, with IR oral morphine 5 mg as the "
        "rescue dose while titrating.\n"
        ":::\n\n"
        "Switch to the SC route when swallowing becomes unsafe or unreliable.",
    ),
    (
        "Choosing the subcutaneous rescue dose",
        "The rescue dose is worked out from the total 24-hour opioid dose. Sources differ, "
        "so local charts decide.\n\n"
        "::: dose\n"
        "- Rescue dose: 1/6 of the total 24-hour dose of the same opioid (Scottish "
        "Palliative Care Guidelines; SIGN). Other sources give 1/10 to 1/6 (BNF summary) "
        "or 10–20%.\n"
        "- Oral morphine to SC morphine: divide by 2 (commonly cited). Some UK charts "
        "divide by 3 for intravenous use; Canadian charts treat SC and IV alike.\n"
        "- In frail or elderly patients use lower doses and titrate more slowly (Scottish "
        "Palliative Care Guidelines).\n"
        ":::\n\n"
        "Fentanyl is the exception: transmucosal fentanyl is titrated on its own, not "
        "worked out from the background dose (NICE).",
    ),
    (
        "How often, and when to ask for help",
        "::: dose\n"
        "- Usually every 2–4 hours as needed; up to hourly in severe pain or the last "
        "days. Intervals vary locally.\n"
        "- Seek specialist advice if more than 3 rescue doses are needed in 24 hours "
        "(Scottish Palliative Care Guidelines): the regular dose may need review.\n"
        ":::",
    ),
    (
        "Kidney impairment",
        "Ask a specialist before any strong opioid in moderate to severe kidney or liver "
        "impairment (NICE CG140). The eGFR cut-offs used differ between guidelines:\n\n"
        "::: dose\n"
        "- Glasgow health board: caution with morphine and oxycodone at eGFR below "
        "60 mL/min; in the last days, alfentanil if eGFR is 20 mL/min or less.\n"
        "- Other guidelines use 30 mL/min. Follow your own renal and palliative teams.\n"
        ":::",
    ),
    (
        "Sources",
        "- World Health Organization. Guidelines for the pharmacological and "
        "radiotherapeutic management of cancer pain in adults and adolescents (2018, "
        "released 2019).\n"
        "- NICE CG140. Palliative care for adults: strong opioids for pain relief.\n"
        "- Scottish Palliative Care Guidelines: pain management; choosing and changing "
        "opioids.\n"
        "- Local formularies govern: drugs, strengths and controlled-drug rules differ "
        "between Singapore, China and other countries.",
    ),
]

# The Beijing adaptation changes one section and says why.
ADAPTED_SWALLOW = (
    "While the patient can still swallow",
    "Immediate-release (IR) oral morphine **tablets** are the rescue while swallowing is "
    "safe: oral morphine solution is not stocked by our pharmacy. For an opioid-naive "
    "adult with normal kidney and liver function (NICE CG140, as adopted by our hospital "
    "formulary):\n\n"
    "::: dose\n"
    "Regular oral morphine 20–30 mg per 24 hours, with IR oral morphine 5 mg (tablet) as "
    "the rescue dose while titrating. Check the tablet strengths the pharmacy stocks.\n"
    ":::\n\n"
    "Switch to the SC route when swallowing becomes unsafe or unreliable: tablets cannot "
    "be given in smaller steps as easily as a solution.",
)
ADAPTED_REASON = (
    "Oral morphine solution is not stocked in our hospital pharmacy: immediate-release "
    "tablets are used instead, at the same dose."
)

# Version 2 (a draft under review): the authors add a line on non-drug care.
V2_PRINCIPLES_LINE = (
    "\n- Do not forget non-drug care: repositioning, mouth care, a calm room and a familiar voice."
)
V2_COMMENT = (
    "The sources give different eGFR cut-offs. Should we name the one our renal team "
    "uses, so that the night team does not have to choose?"
)
V2_PROPOSAL_LINE = (
    "\n\nRecord every rescue dose on the chart with the time given and its effect, so "
    "that the next shift and the doctor can review the regular dose."
)
V2_PROPOSAL_REASON = "Our night nurses asked for this: it is how we decide to review."
CHANGE_LOG_V1 = "First version."
