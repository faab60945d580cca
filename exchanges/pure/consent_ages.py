"""The age below which a school needs parents' consent for a pupil's online account.

GDPR Article 8 lets each EU/EEA country set the digital-consent age between 13 and 16
(16 where the country set none); the UK GDPR uses 13; in the United States COPPA covers
children under 13. Sources: national implementing laws as summarised by the European
Data Protection Board and the ICO (checked 2026). Countries not listed get the GDPR
default of 16, the strictest reading, and say so.
"""

from dataclasses import dataclass

DEFAULT_AGE = 16

# ISO 3166-1 alpha-2 → (age, law)
_AGES: dict[str, tuple[int, str]] = {
    "US": (13, "COPPA"),
    "GB": (13, "UK GDPR Art. 8 (Data Protection Act 2018)"),
    "AT": (14, "GDPR Art. 8 (Austria)"),
    "BE": (13, "GDPR Art. 8 (Belgium)"),
    "BG": (14, "GDPR Art. 8 (Bulgaria)"),
    "CY": (14, "GDPR Art. 8 (Cyprus)"),
    "CZ": (15, "GDPR Art. 8 (Czechia)"),
    "DE": (16, "GDPR Art. 8 (Germany)"),
    "DK": (13, "GDPR Art. 8 (Denmark)"),
    "EE": (13, "GDPR Art. 8 (Estonia)"),
    "ES": (14, "GDPR Art. 8 (Spain)"),
    "FI": (13, "GDPR Art. 8 (Finland)"),
    "FR": (15, "GDPR Art. 8 (France)"),
    "GR": (15, "GDPR Art. 8 (Greece)"),
    "HR": (16, "GDPR Art. 8 (Croatia)"),
    "HU": (16, "GDPR Art. 8 (Hungary)"),
    "IE": (16, "GDPR Art. 8 (Ireland)"),
    "IS": (13, "GDPR Art. 8 (Iceland)"),
    "IT": (14, "GDPR Art. 8 (Italy)"),
    "LI": (16, "GDPR Art. 8 (Liechtenstein)"),
    "LT": (14, "GDPR Art. 8 (Lithuania)"),
    "LU": (16, "GDPR Art. 8 (Luxembourg)"),
    "LV": (13, "GDPR Art. 8 (Latvia)"),
    "MT": (13, "GDPR Art. 8 (Malta)"),
    "NL": (16, "GDPR Art. 8 (Netherlands)"),
    "NO": (13, "GDPR Art. 8 (Norway)"),
    "PL": (16, "GDPR Art. 8 (Poland)"),
    "PT": (13, "GDPR Art. 8 (Portugal)"),
    "RO": (16, "GDPR Art. 8 (Romania)"),
    "SE": (13, "GDPR Art. 8 (Sweden)"),
    "SI": (15, "GDPR Art. 8 (Slovenia)"),
    "SK": (16, "GDPR Art. 8 (Slovakia)"),
}


@dataclass(frozen=True)
class ConsentRule:
    country: str
    age: int
    law: str
    listed: bool  # False: the country is not in the table and the default applies

    def needs_parental_consent(self, age_min: int) -> bool:
        """Whether a class whose youngest pupils are ``age_min`` needs parents' consent."""
        return age_min < self.age

    def sentence(self, age_min: int) -> str:
        where = self.law if self.listed else f"no rule listed for {self.country}; 16 assumed"
        if self.needs_parental_consent(age_min):
            return (
                f"Pupils under {self.age} need their parents' consent ({where}); your class "
                f"starts at {age_min}."
            )
        return f"The consent age is {self.age} ({where}); your pupils are {age_min} or older."


def consent_rule(country: str) -> ConsentRule:
    code = (country or "").upper()
    if code in _AGES:
        age, law = _AGES[code]
        return ConsentRule(country=code, age=age, law=law, listed=True)
    return ConsentRule(country=code, age=DEFAULT_AGE, law="GDPR Art. 8 default", listed=False)


def consent_table() -> list[ConsentRule]:
    return [consent_rule(code) for code in sorted(_AGES)]
