"""WSGI entry point: ``gunicorn wsgi:app`` (set PALLIARE_ENV=production, SECRET_KEY, DATABASE_URL)."""

from app import create_app

app = create_app()
