# Dates and times as the platform writes them in German: the weekday first as in English,
# a 24-hour clock. "Mo., 7. Dezember 2026, 18:00"
DATE_FORMAT = "D., j. F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "D., j. F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "D., j. F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "D., j. N, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
