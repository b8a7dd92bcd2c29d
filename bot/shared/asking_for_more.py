"""A message that only asks to hear more about what the bot just answered.

"kan du si litt mer om det?", "fortel meir", "tell me more": the classifier had no such
intent and read them as out of scope (0.76), the person's own case or thanks, so a person
who wanted more got "I can't help with that". The whole message must ask for more, and
nothing else: "kan du si mer om fagskole?" names its topic and is a question of its own.
"""

from __future__ import annotations

import re

_BEFORE = (r"(?:(?:ok(?:ei|ay)?|okay|takk|thanks|hm+|ja|yes|interessant|interesting|spennende|"
           r"og|and|men|but|hæ|huh|"
           # "skjønte ikke helt, kan du forklare litt mer?": the answer was not understood
           r"(?:skjønte|skjønner|forsto|forstod|forstår|skjønar)\s+(?:ikke|ikkje|itj|ikkj)"
           r"(?:\s+(?:helt|heilt|det|dette|noe|noko|så\s+mye|så\s+mykje))*|"
           r"(?:i\s+)?(?:didn'?t|don'?t|did\s+not|do\s+not)\s+(?:quite\s+|really\s+)?"
           r"(?:get|understand)(?:\s+(?:it|that|this))?)[\s,.!]+)*")
_PLEASE = r"(?:[\s,]+(?:takk|please|pls|plz|då|da|så|then|thanks))*"
_IT = (r"(?:\s+(?:om|about|on)\s+"
       r"(?:det|dette|den|denne|det\s+der|det\s+siste|it|that|this|those|them|"
       # "can you tell me more about how the process works?"
       r"how\s+(?:the\s+process|it|that|this)\s+works|"
       r"(?:hvordan|korleis|koss)\s+(?:det|prosessen)\s+(?:fungerer|fungerar|foregår|"
       r"går\s+føre\s+seg)))?")
_MORE = r"(?:mer|meir|mere|more|fleire|flere)"
_DETAIL = r"(?:\s+(?:info|infoen|informasjon|detaljer|detaljar|details?|information))?"
_A_BIT = r"(?:\s+(?:litt|noe|noko|enda|eit\s+bitte|a\s+(?:bit|little)|some|a\s+little\s+bit))*"
_YOU = (r"(?:(?:kan|kunne|vil|gidder|orker|can|could|would|will)\s+(?:du|dere|de|dykk|you)\s+"
        r"(?:(?:være\s+så\s+snill\s+å|vere\s+så\s+snill\s+å|please)\s+)?)?")
_TELL = (r"(?:si|sei|seie|seia|fortelle|fortell|fortelje|fortel|fortelja|skrive|skriv|forklare|"
         r"forklar|gi|gje|vise|vis|tell|say|explain|give|show|share)")
_ME = r"(?:\s+(?:meg|me|oss|us))?"

_ASKS_FOR_MORE = re.compile(
    rf"{_BEFORE}(?:"
    # "kan du si litt mer om det", "tell me more about that", "gi meg mer info"
    rf"{_YOU}{_TELL}{_ME}{_A_BIT}\s+{_MORE}{_DETAIL}{_IT}"
    # "kan du utdype?", "forklar det nærmere", "could you elaborate", "explain further"
    rf"|{_YOU}(?:utdype|utdyp|elaborate|expand)(?:\s+(?:det|dette|on\s+(?:it|that|this)))?"
    rf"|{_YOU}(?:forklare|forklar|explain|go\s+into)(?:\s+(?:det|dette|it|that|this))?"
    r"(?:\s+(?:litt|a\s+bit|a\s+little))?\s+(?:nærmere|nærmare|grundigere|grundigare|nøyere|"
    r"nøyare|betre|bedre|further|in\s+more\s+detail|more\s+detail|(?:in\s+)?detail|more)"
    # "mer info takk", "meir om det?", "more details please"
    rf"|{_MORE}{_DETAIL}{_IT}"
    # "har du mer info om det?", "is there more on that?"
    rf"|(?:har\s+du|har\s+dere|har\s+de|finnes\s+det|finst\s+det|fins\s+det|er\s+det|"
    r"do\s+you\s+have|have\s+you\s+got|is\s+there|any)(?:\s+(?:noe|noko|anything|any))?"
    rf"\s+{_MORE}{_DETAIL}{_IT}"
    rf"|(?:(?:i|jeg|eg|e|æ)\s+)?(?:want|would\s+like|vil\s+vite|vil\s+høre|vil\s+høyre|ønsker|ynskjer)"
    rf"(?:\s+(?:to\s+(?:know|hear)|å\s+(?:vite|høre|høyre)))?{_A_BIT}\s+{_MORE}{_DETAIL}{_IT}"
    # "where can i read more", "kvar kan eg lese meir om det?": the sources of the answer
    r"|(?:hvor|kor|kvar|where)\s+(?:kan|can|could|finner|finn|do)\s+"
    r"(?:jeg|eg|æ|e|man|ein|en|i|you|one|we|vi|me)\s+(?:lese|lesa|read|finne|finna|find|"
    rf"learn|get){_A_BIT}\s+{_MORE}{_DETAIL}{_IT}"
    # "har du en lenke?", "any link for that?"
    r"|(?:har\s+du|har\s+dere|har\s+dykk|do\s+you\s+have|have\s+you\s+got|got|any)\s+"
    r"(?:(?:a|an|en|ei|ein|noen|nokon|some)\s+)?(?:lenke|lenkje|lenker|lenkjer|link|links)"
    r"(?:\s+(?:til|for|om|to|about|on)\s+(?:det|dette|den|it|that|this))?"
    rf"){_PLEASE}[\s?.!]*",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")


def asks_for_more(text: str) -> bool:
    """Whether the whole of ``text`` asks to hear more about what was just answered."""
    text = _SPACES.sub(" ", text.strip().lower())
    return 0 < len(text) <= 120 and _ASKS_FOR_MORE.fullmatch(text) is not None
