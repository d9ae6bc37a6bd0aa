"""E-mail outbox and (to come) in-app notifications."""
