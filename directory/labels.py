"""Channel labels are public text: a few words a person needs, never a research remark.

The shipped directory uses only the phrases below (our own words, translated on the page);
a curator may write another short label, which is shown as written. Either way a label is
short and carries no source, year or doubt: those go to the organisation's internal notes.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Our own phrases, keyed by their English text as stored in Channel.label.
PHRASES = {
    "for children and young people": _("for children and young people"),
    "for parents": _("for parents"),
    "for parents and professionals": _("for parents and professionals"),
    "for professionals": _("for professionals"),
    "report line": _("report line"),
    "to report abuse": _("to report abuse"),
    "counselling": _("counselling"),
    "not an emergency line": _("not an emergency line"),
    "police, not urgent": _("police, not urgent"),
    "emergencies": _("emergencies"),
    "text only": _("text only"),
    "from abroad": _("from abroad"),
    "from landlines": _("from landlines"),
    "from mobiles": _("from mobiles"),
    "in English": _("in English"),
    "in Swedish": _("in Swedish"),
    "in Ukrainian and Russian": _("in Ukrainian and Russian"),
    "in Russian": _("in Russian"),
    "Globe": "Globe",
    "Smart": "Smart",
}

MAX_LENGTH = 40

# What gives a research remark away: a year, a citation, a doubt.
_REMARK = re.compile(
    r"\b(1[89]\d\d|20\d\d)\b|https?:|www\.|\bsource|\bper\b|\blisted\b|\bdirectory\b|\bnews\b|\bwritten\b"
    r"|\bprinted\b|\bnamed\b|\bread on\b|\bnot seen\b|\bformer\b|\boutdated\b|\bunclear\b|\(|\[",
    re.IGNORECASE,
)


def validate_public_label(value: str) -> None:
    """A label is a short public phrase: at most 40 characters, no year, source or remark."""
    if not value:
        return
    if len(value) > MAX_LENGTH:
        raise ValidationError(
            _("Keep the label to a few words (at most %(limit)d characters); put remarks in the internal notes."),
            code="label_too_long",
            params={"limit": MAX_LENGTH},
        )
    if _REMARK.search(value):
        raise ValidationError(
            _("Labels are shown to the public: no years, sources or remarks (put those in the internal notes)."),
            code="label_remark",
        )


def public_label(value: str) -> str:
    """The label in the reader's language where it is one of our own phrases, else as written."""
    phrase = PHRASES.get(value)
    return str(phrase) if phrase is not None else value
