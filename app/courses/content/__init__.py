"""Reading course files: YAML, Markdown segments, gettext catalogs, validation."""
