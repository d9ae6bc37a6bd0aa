"""What happened, said out loud: the signals services send after they change facts that
other packages keep figures about.

A service that changes one of these facts sends the signal itself, in the same
transaction, before it flushes or returns; whoever keeps figures about it connects a
receiver in its ``init_app`` (today: the dashboards' summary tables, which recount the
people named at the next commit). Nothing listens to every commit: a change that sends
no signal is not counted, so a new service that enrols, completes, records a gain or
edits a profile must send the matching signal (the dashboards' tests drive each service
and compare the sums with the raw rows).

Signals are sent with ``user_ids``, the people whose facts changed
(``enrolments_changed.send(user_ids=[user.id])``), or ``institution_ids``.
"""

from blinker import Namespace

_signals = Namespace()

# An enrolment was added or removed, or its learner opened a lesson for the first time.
enrolments_changed = _signals.signal("enrolments-changed")
# A course completion was recorded or removed.
completions_changed = _signals.signal("completions-changed")
# A knowledge gain (pre-test to post-test) was recorded or removed.
gains_changed = _signals.signal("gains-changed")
# Something the reports group people by changed: institution, profession, chosen
# language, or the person was removed.
profiles_changed = _signals.signal("profiles-changed")
# An institution's default language changed (the language of its members who chose
# none); sent with ``institution_ids`` instead of ``user_ids``.
institutions_changed = _signals.signal("institutions-changed")

# Someone accepted an invitation and their account now exists; sent with ``user`` and
# ``invitation`` (a cohort's roster invitation makes them a member of the cohort).
invitation_accepted = _signals.signal("invitation-accepted")

PEOPLE_SIGNALS = (enrolments_changed, completions_changed, gains_changed, profiles_changed)
