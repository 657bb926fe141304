# Unambiguous dates for a multinational team: 2026-03-02, not "March 2, 2026" or 03/02/2026.
DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
