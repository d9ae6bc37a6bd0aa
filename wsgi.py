"""WSGI entry point for ``gunicorn wsgi:app``.

In production set PALLIARE_ENV=production, SECRET_KEY and DATABASE_URL.
"""

import gc

from app import create_app
from app.templating import warm_up

app = create_app()
warm_up(app)  # what each worker would otherwise make for itself: made once, shared

# Move the objects made at start-up (the app, templates, catalogs, ~150,000 of them) out of
# the garbage collector's reach: otherwise every full collection walks them all, which
# added ~100 ms to one request in four on the 500-learner cohort page.
gc.collect()
gc.freeze()
