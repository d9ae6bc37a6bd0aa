"""Check digits of national identity numbers.

A long run of digits in a case is usually a lab accession, a dose code or a date; it is
called an identity number only when its birth date is plausible and its check digit is
right, so that a case full of numbers is not refused for nothing. Every function takes
the number as written (separators allowed) and ignores anything but its digits.
"""

import re
from datetime import date

# Kazakhstan IIN, 7th digit: the century of birth (and sex, which we do not need).
_IIN_CENTURY = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}
_IIN_WEIGHTS = (tuple(range(1, 12)), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))
# China, ISO 7064 MOD 11-2: weight of position i is 2**(17 - i) mod 11; remainder to check.
_CHINA_WEIGHTS = tuple(2 ** (17 - i) % 11 for i in range(17))
_CHINA_CHECK = "10X98765432"
# Singapore NRIC/FIN: weights, and check letters by remainder for each series.
_NRIC_WEIGHTS = (2, 7, 6, 5, 4, 3, 2)
_NRIC_LETTERS = {"S": "JZIHGFEDCBA", "T": "JZIHGFEDCBA", "F": "XWUTRQPNMLK", "G": "XWUTRQPNMLK"}


def digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def iin_check_digit(first11: str) -> int | None:
    """The 12th digit of an IIN, or None when both passes give 10 (no such IIN is issued)."""
    for weights in _IIN_WEIGHTS:
        check = sum(int(d) * w for d, w in zip(first11, weights, strict=True)) % 11
        if check != 10:
            return check
    return None


def iin_valid(number: str) -> bool:
    """Kazakhstan IIN: YYMMDD, century/sex digit 1-6, four serial digits, check digit."""
    n = digits(number)
    if len(n) != 12 or n[6] not in _IIN_CENTURY:
        return False
    year = _IIN_CENTURY[n[6]] + int(n[:2])
    return _is_date(year, int(n[2:4]), int(n[4:6])) and iin_check_digit(n[:11]) == int(n[11])


def luhn_check_digit(payload: str) -> int:
    """Luhn: double every second digit from the right of the payload, sum the digits."""
    total = 0
    for i, d in enumerate(reversed(payload)):
        doubled = int(d) * (2 if i % 2 == 0 else 1)
        total += doubled - 9 if doubled > 9 else doubled
    return (10 - total % 10) % 10


def personnummer_valid(number: str) -> bool:
    """Swedish personnummer or samordningsnummer (day + 60), 10 or 12 digits, Luhn."""
    n = digits(number)
    if len(n) == 12 and n[:2] in ("18", "19", "20"):
        centuries = [int(n[:2]) * 100]
        n = n[2:]
    elif len(n) == 10:
        centuries = [1900, 2000]  # either will do to check 29 February
    else:
        return False
    month, day = int(n[2:4]), int(n[4:6])
    day = day - 60 if day > 60 else day
    if not any(_is_date(c + int(n[:2]), month, day) for c in centuries):
        return False
    return luhn_check_digit(n[:9]) == int(n[9])


def china_id_check_char(first17: str) -> str:
    return _CHINA_CHECK[sum(int(d) * w for d, w in zip(first17, _CHINA_WEIGHTS, strict=True)) % 11]


def china_id_valid(number: str) -> bool:
    """Chinese resident identity number: 6-digit region, YYYYMMDD, 3 serial, check 0-9/X."""
    n = number.upper()
    if not re.fullmatch(r"[1-8]\d{16}[\dX]", n):
        return False
    year, month, day = int(n[6:10]), int(n[10:12]), int(n[12:14])
    if not (1890 <= year <= date.today().year and _is_date(year, month, day)):
        return False
    return china_id_check_char(n[:17]) == n[17]


def snils_check(first9: str) -> int:
    """SNILS control number: sum of digits weighted 9..1; mod 101 above 101; 100 is 00."""
    total = sum(int(d) * w for d, w in zip(first9, range(9, 0, -1), strict=True))
    if total > 101:
        total %= 101
    return 0 if total >= 100 else total


def snils_valid(number: str) -> bool:
    """Russian SNILS. Numbers up to 001-001-998 were issued without a checksum: not ours."""
    n = digits(number)
    if len(n) != 11 or int(n[:9]) <= 1001998:
        return False
    return snils_check(n[:9]) == int(n[9:])


def nhs_check_digit(first9: str) -> int | None:
    """NHS number check digit: digits weighted 10..2, 11 minus the sum mod 11 (11 gives
    0; 10 means the number was never issued)."""
    check = 11 - sum(int(d) * w for d, w in zip(first9, range(10, 1, -1), strict=True)) % 11
    return {11: 0, 10: None}.get(check, check)


def nhs_valid(number: str) -> bool:
    """An NHS number (England, Wales, Isle of Man) or a Scottish CHI number: ten digits with
    a modulus-11 check digit."""
    n = digits(number)
    return len(n) == 10 and nhs_check_digit(n[:9]) == int(n[9])


def nric_valid(number: str) -> bool:
    """Singapore NRIC/FIN (S, T, F, G series): letter, seven digits, check letter."""
    n = number.upper()
    if not re.fullmatch(r"[STFG]\d{7}[A-Z]", n):
        return False
    total = sum(int(d) * w for d, w in zip(n[1:8], _NRIC_WEIGHTS, strict=True))
    total += 4 if n[0] in "TG" else 0
    return _NRIC_LETTERS[n[0]][total % 11] == n[8]
