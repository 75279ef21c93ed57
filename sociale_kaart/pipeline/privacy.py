"""Warnings for contact details that look like those of a private person.

The sociale kaart publishes contacts of organisations and roles ("Welzijnscoach", the
organisation's general number), never of private persons. ``check`` warns (code ``privacy``)
when a contact field looks like a person's:

* a personal name where a role belongs (``contact.naam``): a known first name, a title such as
  "mevrouw", initials with a surname ("J. de Vries"), or first name, tussenvoegsels and
  surname ("Xandra van Os");
* a Dutch mobile number (06, +31 6);
* an e-mail address at a webmail or internet provider (gmail.com, hotmail.com, ziggo.nl, ...).

Checked in the contact fields of activities (``contact``, ``aanmelden``, also its ``hoe``),
places (``contact``), organisations (``telefoon``, ``email``), gemeenten (``beheer.contact``)
and praktijken (``contacten``), and ``gecontroleerd_door`` of every entry (a role, never a
name). The warning goes away when the entry says the contact is of an
organisation or a role: ``organisatiecontact: true`` next to the values. A praktijk's
``contacten`` name professionals in their work, as the sources do: a name there is accepted
when ``organisatie`` or ``rol`` is filled in (their phone numbers and e-mail addresses are
still checked).

Every word list lives in this module. The lists are heuristics: a warning, never an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sociale_kaart.nl.text import fold

# Frequent first names in the Netherlands (all generations; Dutch, Frisian and the names most
# given in families with roots in Morocco, Turkey, Suriname and elsewhere). Lower case,
# without accents. Left out: names that are also common Dutch words in roles or names of
# places and organisations (such as "roos", "mei", "elke", "sterre", "bas").
FIRST_NAMES = frozenset("""
aad aafke aaltje aart abdel abdelkader abdul abdullah abdullahi abel abdi achmed adam adnan
adriaan adrie adrienne agnes ahmad ahmed aicha aisha ajay alexander alexandra ali alice alida
alima aline alinda amal amber amina amir amira amy ana anand andre andrea andreas andries
angela angelique anita anja anjo ank anke ankie ann anna anne anneke annelies annemarie
annemieke annet annette anouk anton antoine antonia appie arend arie arjan arjen arnold arno
aron arthur astrid aylin aysel ayse ayoub badr barbara barend bart bastiaan bea beatrix bennie
benjamin bep berend bernadette bernard bert berta bertus betsie bianca bilal birgit bob bouke
boudewijn bram brenda brian bruno carla carlo carmen carola carolien caroline cas casper
catharina cees charlotte chantal chris christa christiaan christian christine cindy claire
clara claudia colin cor cora corina corine cornelia cornelis corrie daan dani daniel danielle
danny daphne dave david debora demi dennis derk desiree dewi dick diederik dieuwke dina dineke
dirk dolf dominique dorien doris dorothea douwe dries duncan dylan ed edwin eef eelco eline
elisa elisabeth elise ella ellen els elsa elske emily emma emre enes erik erna ernst
esra esther eva evelien evert ewout fabian fadoua farah fatima fatma fatih femke fenna fleur
floor floris fokke frank frans frederik freek frieda frits gea geert gerard gerben gerda gerrit
gert gertrude gijs gerry gilles gonny greet greetje gregory guus hakan halima hamid hamza
hanna hanneke hannie hans harm harrie harry hasan hatice hein heleen helen helena hendrik
hendrika henk henri henny herman hester hetty hilde hilda hind hugo huub ibrahim ida ilse
imane imke inge ingrid irene iris isa isabel isabella ismail ivo jaap jack jacob jacqueline
jacques jamal jan jana janine janna janneke jannie jans jasmijn jasmine jasper jayden jeanet
jeannette jelle jelmer jeroen jesse jessica jet jetske jeffrey joanna jochem joep johan
johanna johannes john jolanda jolien jolinda joop joost joris jos jose josefien joseph josh
joyce judith julia julian juliette jurgen justin kader kai karel karima karin karlijn kasper
kees kelly kemal kevin khadija kim klaas koen kristel lars laura lauren leo leon leonie liam
lieke lien lies liesbeth lijntje linda lisa lisanne liselotte lotte louis lucas lucia luuk
maaike maarten mahmoud malika manon marco marcel margreet margriet maria marian marianne marie
mariet marieke marijke marijn marina mario marion marit marjan marjolein marjon mark marleen
marloes martha martijn martin martine mary mathijs matthijs maurice max meike meryem mehmet
melanie melissa merel michael michel michelle mieke miep mila milan miranda mirjam mohamed
mohammed monique mustafa myrthe nadia nadine nancy naima natasja nathalie nicole niels nienke
nina noah noor nora nour nouredine olga olivia omar onno otto patricia patrick paul paula
pauline peter petra piet pieter pim priscilla rachid rachel ralph ramon rani rashid ravi
rebecca reinier remco renate rene rens richard rick rik rina rinus rita rob robert robin
rogier roel roelof roland romy ron ronald rosa rosanne ruben rudi rudolf ruud ryan sabine
sadia said salih salma sam samira sandra sander sanne sara sarah saskia sebastiaan selin
selma senna sevda silvia simon simone sjaak sjoerd soufiane sofie sonja sophie stefan
stephanie steven stijn susan suzanne sven sylvia tamara tanja tessa teun theo thijs thomas
tijn tim tineke tinus tjeerd tobias tom ton tonny truus tygo vera victor vincent wendy wilco
wilhelmina willem willemijn willy wim wouter yara yasmina yasmine yusuf yvonne zeynep zoe
alie ans bertha coby corry dini evi fedde fenne finn gerrie hennie hidde ineke jenny joke
jurre lenie levi lia lidy lina liv luca lynn marga marja mees nel netty noud renske ria riek
riet saar sem sietse sybren sytse tess tiny tjitske toos trees wietse wilma zara
""".split())

# Tussenvoegsels of Dutch surnames (one or more words), for "Xandra van Os" and "J. de Vries".
TUSSENVOEGSELS = frozenset({"van", "de", "der", "den", "het", "'t", "te", "ter", "ten", "la",
                            "le", "du", "da", "di", "el", "al", "op", "in", "uit", "vd", "v.d."})
# The lower-case tussenvoegsels between a first name and a surname ("Xandra van der Os"):
# a name of a place or group rather has capitals ("Buurtkamer De Krim") or other words ("in").
SURNAME_PARTICLES = frozenset({"van", "de", "der", "den", "ter", "ten", "te", "'t", "het"})
# Words before a name that make it a person: "mevrouw De Vries", "dhr. Jansen".
TITLES = frozenset({"dhr", "dhr.", "mevr", "mevr.", "mw", "mw.", "mevrouw", "meneer", "heer",
                    "mr", "mr.", "dr", "dr.", "drs", "drs.", "ir", "ir.", "ing", "ing.", "prof",
                    "prof."})
# Words of roles and organisations: "Huis van Cultuur" or "Team de Linde" is no person.
ROLE_WORDS = frozenset({"afdeling", "bureau", "buurthuis", "centrum", "coach", "coordinator",
                        "consulent", "gemeente", "huis", "kerk", "loket", "meldpunt", "raad",
                        "receptie", "secretariaat", "servicepunt", "steunpunt", "stichting",
                        "team", "vereniging", "wijkcentrum", "wijkteam", "zorg", "welzijn",
                        "informatie", "contact", "club", "school", "bibliotheek", "sport",
                        "huiskamer", "inloop", "punt", "plein", "kantoor", "dienst", "hof",
                        "groep", "kring", "fonds", "platform", "netwerk", "project", "werk"})
# Webmail and internet providers: an address there is usually a person's own.
WEBMAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.nl", "outlook.com", "outlook.nl",
    "live.com", "live.nl", "msn.com", "windowslive.com", "yahoo.com", "yahoo.nl", "ymail.com",
    "icloud.com", "me.com", "mac.com", "aol.com", "gmx.com", "gmx.net", "gmx.de", "mail.com",
    "proton.me", "protonmail.com", "pm.me", "zoho.com", "yandex.com", "web.de", "ziggo.nl",
    "kpnmail.nl", "kpnplanet.nl", "planet.nl", "home.nl", "hetnet.nl", "xs4all.nl",
    "casema.nl", "chello.nl", "upcmail.nl", "quicknet.nl", "tele2.nl", "online.nl",
    "zeelandnet.nl", "telfort.nl", "versatel.nl", "caiway.nl", "kabelfoon.nl", "solcon.nl",
    "onsbrabantnet.nl", "telenet.be", "skynet.be",
})

_MOBILE = re.compile(r"(?:\+31|0031|0)6[1-9][0-9]{7}")
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9+])(?:\+31|0031|0)[\s.\-]?(?:\(0\))?[\s.\-]?6[\s.\-]?"
                             r"(?:[0-9][\s.\-]?){8}(?![0-9])")
_EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+\-']+@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)")
_INITIALS = re.compile(r"(?:[A-Z]\.){1,4}[A-Z]?\.?|[A-Z]{1,2}")
_WORD_EDGES = "()[]{},;:!?\"“”‘’"

SILENCE = "organisatiecontact: true"


def _capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper()


def person_name(text: str) -> str | None:
    """The part of ``text`` that looks like a person's name, or None."""
    words = [w.strip(_WORD_EDGES) for w in text.split()]
    words = [w for w in words if w]
    folded = [fold(w) for w in words]
    role = any(f in ROLE_WORDS for f in folded)
    for i, (word, low) in enumerate(zip(words, folded, strict=True)):
        rest = words[i + 1:]
        j = 0
        while j < len(rest) and fold(rest[j]) in TUSSENVOEGSELS:
            j += 1
        surname = rest[j] if j < len(rest) and _capitalised(rest[j]) and \
            fold(rest[j]) not in ROLE_WORDS else None
        if low in TITLES and rest and (surname or _INITIALS.fullmatch(rest[0])):
            return " ".join(words[i:i + j + 2])
        if _INITIALS.fullmatch(word) and "." in word and surname:
            return " ".join(words[i:i + j + 2])
        if _capitalised(word) and low.split("-")[0] in FIRST_NAMES:
            return " ".join(words[i:i + j + 2]) if surname else word
        if not role and i == 0 and _capitalised(word) and word.isalpha() and len(word) <= 8 \
                and 0 < j == len(words) - 2 and surname and \
                all(t in SURNAME_PARTICLES for t in words[1:j + 1]):
            return " ".join(words)  # "Xandra van Os": first name, tussenvoegsels, surname
    return None


def mobile_number(value: str) -> bool:
    """Whether ``value`` (a phone field) is a Dutch mobile number."""
    digits = re.sub(r"[\s\-().]", "", value)
    return bool(_MOBILE.fullmatch(digits))


def webmail_domain(value: str) -> str | None:
    """The webmail domain of an e-mail address, or None."""
    domain = value.rsplit("@", 1)[-1].strip().casefold() if "@" in value else ""
    return domain if domain in WEBMAIL_DOMAINS else None


def _contact_problems(group: Any, path: tuple[Any, ...], silence_where: str,
                      check_name: bool) -> Iterable[tuple[tuple[Any, ...], str]]:
    if group is None or getattr(group, "organisatiecontact", False):
        return
    naam = getattr(group, "naam", None) if check_name else None
    if naam:
        found = person_name(naam)
        if found:
            yield (*path, "naam"), (
                f"'{found}' lijkt de naam van een persoon. Noem hier een functie of afdeling, "
                "zoals 'Welzijnscoach' of 'Receptie': namen van privépersonen horen niet op de "
                f"kaart. Is dit een contact van een organisatie of een functie, zet dan "
                f"'{SILENCE}' {silence_where}")
    telefoon = getattr(group, "telefoon", None)
    if telefoon and mobile_number(telefoon):
        yield (*path, "telefoon"), (
            f"'{telefoon}' is een mobiel nummer (06) en kan van een privépersoon zijn. Gebruik "
            "liever een nummer van de organisatie. Is dit het nummer van de organisatie of een "
            f"functie, zet dan '{SILENCE}' {silence_where}")
    email = getattr(group, "email", None)
    domain = webmail_domain(email) if email else None
    if domain:
        yield (*path, "email"), (
            f"'{email}' is een adres bij {domain} en kan van een privépersoon zijn. Gebruik "
            "liever een adres van de organisatie. Is dit het adres van de organisatie of een "
            f"functie, zet dan '{SILENCE}' {silence_where}")
    hoe = getattr(group, "hoe", None)
    if hoe:
        for m in _MOBILE_IN_TEXT.finditer(hoe):
            yield (*path, "hoe"), (
                f"'{m.group().strip()}' in de tekst is een mobiel nummer (06) en kan van een "
                "privépersoon zijn. Gebruik liever een nummer van de organisatie, of zet "
                f"'{SILENCE}' {silence_where}")
            break
        for m in _EMAIL_IN_TEXT.finditer(hoe):
            if m.group(1).casefold() in WEBMAIL_DOMAINS:
                yield (*path, "hoe"), (
                    f"'{m.group()}' in de tekst is een adres bij {m.group(1).casefold()} en kan "
                    "van een privépersoon zijn. Gebruik liever een adres van de organisatie, of "
                    f"zet '{SILENCE}' {silence_where}")
                break


def privacy_problems(entry: Any) -> list[tuple[tuple[Any, ...], str]]:
    """(field path, Dutch message) for each contact value of ``entry`` that looks private."""
    kind = getattr(entry, "kind", "")
    out: list[tuple[tuple[Any, ...], str]] = []
    if kind in ("activiteit", "ontmoetingsplek"):
        out += _contact_problems(getattr(entry, "contact", None), ("contact",),
                                 "bij het contact", True)
    if kind == "activiteit":
        out += _contact_problems(entry.aanmelden, ("aanmelden",), "bij 'aanmelden'", False)
    if kind == "organisatie":
        out += _contact_problems(entry, (), "in dit bestand", False)
    if kind == "gemeente" and entry.beheer is not None:
        out += _contact_problems(entry.beheer.contact, ("beheer", "contact"),
                                 "bij het contact", True)
    checked_by = getattr(entry, "gecontroleerd_door", None)
    found = person_name(checked_by) if checked_by else None
    if found:
        out.append((("gecontroleerd_door",), (
            f"'{found}' lijkt de naam van een persoon. Noem hier de functie van wie het navroeg, "
            "zoals 'welzijnscoach' of 'beheerder van de kaart': namen van privépersonen horen "
            "niet op de kaart")))
    if kind == "gemeente" and entry.welzijn_op_recept is not None:
        out += _contact_problems(entry.welzijn_op_recept, ("welzijn_op_recept",),
                                 "bij 'welzijn_op_recept'", True)
    if kind == "praktijk":
        for i, person in enumerate(entry.contacten):
            named = bool(person.organisatie or person.rol)
            for path, message in _contact_problems(person, ("contacten", i),
                                                   "bij deze contactpersoon", not named):
                if path[-1] == "naam":
                    message = (f"'{person.naam}' is een persoon zonder organisatie of rol. Vul "
                               "'organisatie' en 'rol' in als deze persoon in zijn of haar werk "
                               "genoemd wordt (zoals in de bron), of laat het contact weg")
                out.append((path, message))
    return out


__all__ = ["FIRST_NAMES", "ROLE_WORDS", "TITLES", "TUSSENVOEGSELS", "WEBMAIL_DOMAINS",
           "mobile_number", "person_name", "privacy_problems", "webmail_domain"]
