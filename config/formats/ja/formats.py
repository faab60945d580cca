# Dates and times as the platform writes them in Japanese: year, month, day, the weekday in
# brackets, a 24-hour clock with two-digit minutes. "2026年12月7日(月) 18:00"
DATE_FORMAT = "Y年n月j日(D)"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y年n月j日(D) H:i"
YEAR_MONTH_FORMAT = "Y年n月"
MONTH_DAY_FORMAT = "n月j日(D)"
SHORT_DATE_FORMAT = "Y/m/d"
SHORT_DATETIME_FORMAT = "n月j日(D) H:i"
FIRST_DAY_OF_WEEK = 0  # Sunday
