"""Short random codes people read aloud or type: certificate codes, cohort join codes.
The alphabet leaves out look-alike characters (0/O, 1/I/L)."""

import secrets

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def random_code(length: int) -> str:
    """``length`` characters of the alphabet, from the operating system's random source."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
