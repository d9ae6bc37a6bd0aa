"""WSGI entry point for ``gunicorn wsgi:app``.

In production set PALLIARE_ENV=production, SECRET_KEY and DATABASE_URL.
"""

from app import create_app

app = create_app()
