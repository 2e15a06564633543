"""Dates and times as an Arabic reader expects them: «الاثنين 10 أغسطس 2015»، «21:15 بتوقيت الرياض»."""

from __future__ import annotations

from datetime import date, datetime, timedelta

MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
          "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")  # fmt: skip
WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")  # date.weekday() order
# Zones readers know by a city; any other zone is written as its offset from Greenwich.
ZONE_NAMES = {
    "Asia/Riyadh": "الرياض",
    "Asia/Dubai": "دبي",
    "Asia/Kuwait": "الكويت",
    "Asia/Qatar": "الدوحة",
    "Asia/Bahrain": "البحرين",
    "Asia/Baghdad": "بغداد",
    "Asia/Amman": "عمّان",
    "Asia/Beirut": "بيروت",
    "Asia/Damascus": "دمشق",
    "Africa/Cairo": "القاهرة",
    "Africa/Casablanca": "الدار البيضاء",
    "Africa/Tunis": "تونس",
    "Africa/Algiers": "الجزائر",
    "Europe/London": "لندن",
    "UTC": "غرينتش",
    "Etc/UTC": "غرينتش",
}


def day_text(value: date | datetime | None, weekday: bool = True) -> str:
    """«الاثنين 10 أغسطس 2015» (the weekday left out when weekday=False)."""
    if value is None:
        return ""
    text = f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    return f"{WEEKDAYS[value.weekday()]} {text}" if weekday else text


def zone_text(value: datetime, zone: str | None = None) -> str:
    """«بتوقيت الرياض» for a known zone name, else «بتوقيت غرينتش+3» from the value's own offset."""
    if zone and zone in ZONE_NAMES:
        return f"بتوقيت {ZONE_NAMES[zone]}"
    offset = value.utcoffset()
    if offset is None:
        return ""
    if offset == timedelta(0):
        return "بتوقيت غرينتش"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"بتوقيت غرينتش{sign}{hours}" + (f":{rest:02d}" if rest else "")


def time_text(value: datetime | None, zone: str | None = None) -> str:
    """«21:15 بتوقيت الرياض»; only the clock when the value carries no zone."""
    if value is None:
        return ""
    where = zone_text(value, zone)
    return f"{value:%H:%M} {where}" if where else f"{value:%H:%M}"


def date_time_text(value: datetime | None, zone: str | None = None) -> str:
    """The day, and its time with the zone when a time was given («الاثنين 10 أغسطس 2015، 21:15 بتوقيت …»)."""
    if value is None:
        return ""
    text = day_text(value)
    if (value.hour, value.minute) != (0, 0):
        text += f"، {time_text(value, zone)}"
    return text
