"""When an entry was added, changed or stopped: the facts behind "Nieuw en gewijzigd".

A ``Change`` is known only from the git history of the content (pipeline/history.py): the
moment a commit on the main line (first parents) added or changed the entry's file. An entry
whose history is unknown (no git, a shallow clone that does not reach back to its addition, a
change not committed yet) has no change: nothing here is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

NIEUW, GEWIJZIGD, GESTOPT = "nieuw", "gewijzigd", "gestopt"
# Several changes of one entry on one day are one: the strongest of them.
STRENGTH = {GEWIJZIGD: 0, NIEUW: 1, GESTOPT: 2}


@dataclass(frozen=True, slots=True)
class Change:
    when: datetime  # the commit's committer time (aware): when it reached the main line
    soort: str  # NIEUW, GEWIJZIGD or GESTOPT
