"""A bare Flask hello-world: the floor bench/lesson_floor.py compares the lesson page with,
served by the same gunicorn settings. Not a benchmark: `make bench` skips it."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
