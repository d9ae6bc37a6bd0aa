"""Cohorts, enrolment by code or CSV, workshops, trainer certification and the cascade.

Work in progress (issue 5): the roster CSV reader is here; cohorts, their pages,
workshops and the cascade come next.
"""
