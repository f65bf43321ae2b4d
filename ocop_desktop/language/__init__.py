"""How the app speaks: the interface language (Vietnamese text is the key, English from
resources/i18n), Vietnamese number and date formats (``72,5``, ``dd/mm/yyyy``) and text handling
(NFC storage, the accent-insensitive folded search key).
"""


from ocop_desktop.language.formats import add_months, format_date, format_decimal, format_int, parse_date
from ocop_desktop.language.text import fold
from ocop_desktop.language.translation import LANGUAGES, language, set_language, tr

__all__ = ["LANGUAGES", "add_months", "fold", "format_date", "format_decimal", "format_int", "language", "parse_date", "set_language", "tr"]
