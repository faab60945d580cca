# Dates and times as the platform writes them in English: weekday first, day before
# month, a 24-hour clock (people in two zones compare times; "6 p.m." invites slips).
DATE_FORMAT = "D j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "D j M Y, H:i"
MONTH_DAY_FORMAT = "D j M"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "D j M, H:i"
