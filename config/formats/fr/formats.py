# Dates and times as the platform writes them in French: the weekday first as in English,
# a 24-hour clock (Django's French defaults give no weekday). "lundi 7 décembre 2026 à 18:00"
DATE_FORMAT = "l j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"l j F Y \à H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "l j F"
SHORT_DATE_FORMAT = "j N Y"
SHORT_DATETIME_FORMAT = r"D\. j N, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
