"""The content model: one class per entry type, with Dutch field names and descriptions.

The JSON Schemas in ``schemas/`` and the Decap CMS configuration are generated from these
classes. Fields that refer to other entries are marked with ``Ref(...)``; ``resolve.py``
checks them generically.

Where a field is validated: its type here (or in ``types.py`` / ``schedule.py``).
Where it is rendered: ``generator/themes/default/templates``. Where it is indexed: ``index.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, TypeVar, cast, get_args

from pydantic import BaseModel, BeforeValidator, Field, PrivateAttr, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from sociale_kaart.model.fields import (
    MAX_SYNONYMS,
    Bedrag,
    BronDatum,
    Datum,
    Email,
    GemeenteRefs,
    GithubHandle,
    JaNee,
    Line,
    Meta,
    Model,
    Postcode,
    Ref,
    Refs,
    ShortText,
    Slug,
    Telefoon,
    TermRefs,
    Text,
    Url,
    at_most,
)
from sociale_kaart.model.schedule import MAX_RULES, Tijdschema
from sociale_kaart.nl.dates import format_source_date

T = TypeVar("T")
Provincie = Literal["Drenthe", "Flevoland", "Friesland", "Gelderland", "Groningen", "Limburg",
                    "Noord-Brabant", "Noord-Holland", "Overijssel", "Utrecht", "Zeeland", "Zuid-Holland"]
PROVINCIES: tuple[str, ...] = get_args(Provincie)

# The taxonomy vocabularies every content folder must have (content/taxonomie/<naam>.yaml).
VOCABULARIES = ("themas", "doelgroepen", "positieve-gezondheid", "plek-soorten",
                "toegankelijkheid", "organisatie-soorten")


MAX_SUMMARY = 300  # characters in a 'samenvatting' (one or two sentences)
MAX_AGE = 120  # the highest age in a 'leeftijd'
# What an amount of 'kosten' is for, and the states of an activity.
Per = Literal["keer", "week", "maand", "kwartaal", "jaar", "cursus"]
PER_UNITS: tuple[str, ...] = get_args(Per)
ActiviteitStatus = Literal["actief", "gepauzeerd", "gestopt"]
ACTIVITEIT_STATUSES: tuple[str, ...] = get_args(ActiviteitStatus)


# The rules of a schedule ('wanneer', 'openingstijden'), at most MAX_RULES of them.
Rules = Annotated[list[Tijdschema], Field(max_length=MAX_RULES),
                  at_most(MAX_RULES, "Zet regels met dezelfde tijden samen, zoals dagen: [MA, DO]",
                          "regels")]

# --------------------------------------------------------------------------- building blocks

class Adres(Model):
    straat: ShortText = Field(description="Straatnaam")
    huisnummer: ShortText = Field(description="Huisnummer met toevoeging, zoals '12a'")
    postcode: Postcode | None = Field(None, description="Postcode, zoals '8261 AB'")
    plaats: ShortText = Field(description="Woonplaats of kern")

    def regel(self) -> str:
        pc = f"{self.postcode} " if self.postcode else ""
        return f"{self.straat} {self.huisnummer}, {pc}{self.plaats}"


class Coordinaten(Model):
    lat: float = Field(ge=50.7, le=53.7, description="Breedtegraad (in Nederland 50,7 tot 53,7)")
    lon: float = Field(ge=3.2, le=7.3, description="Lengtegraad (in Nederland 3,2 tot 7,3)")


ORGANISATIECONTACT = ("true als dit contact van de organisatie of van een functie is, ook al "
                      "lijkt het privé (een 06-nummer, een gmail-adres, een naam); zet dit alleen "
                      "als het zo gepubliceerd mag worden")


CONTACT_FIELDS = ("telefoon", "email", "website")  # how to reach someone: a Contact, Aanmelden, Organisatie


def has_contact(*holders: object) -> bool:
    """Whether any of ``holders`` (a Contact, Aanmelden or Organisatie; None is skipped) has a
    telephone number, e-mail address or website."""
    return any(getattr(h, f, None) for h in holders if h is not None for f in CONTACT_FIELDS)


class Contact(Model):
    """Contact details of an organisation or a role. Never of a private person (``check``
    warns, see ``privacy.py``, unless ``organisatiecontact`` says it is not)."""

    naam: ShortText | None = Field(None, description="Functie of afdeling, zoals 'Welzijnscoach' "
                                                     "(geen namen van privépersonen)")
    telefoon: Telefoon | None = Field(None, description="Telefoonnummer")
    email: Email | None = Field(None, description="E-mailadres")
    website: Url | None = Field(None, description="Webadres")
    organisatiecontact: JaNee = Field(False, description=ORGANISATIECONTACT)

    @property
    def is_empty(self) -> bool:
        return not has_contact(self)


class Kosten(Model):
    gratis: JaNee = Field(description="true als meedoen niets kost")
    bedrag: Bedrag | None = Field(None, description="Bedrag in euro, zoals 2.50")
    per: Per | None = Field(
        None, description="Waarvoor het bedrag is: keer, week, maand, kwartaal, jaar of cursus")
    toelichting: Text | None = Meta("Bijvoorbeeld 'korting met de U-pas'", opmaak="lang", default=None)

    @model_validator(mode="after")
    def _consistent(self) -> Kosten:
        if self.gratis and self.bedrag:
            raise ValueError("'gratis' is true maar er staat ook een 'bedrag'")
        return self


class Aanmelden(Model):
    nodig: JaNee = Field(description="true als deelnemers zich vooraf moeten aanmelden")
    hoe: Text | None = Meta("Hoe aanmelden gaat, in gewone woorden", opmaak="lang", default=None)
    telefoon: Telefoon | None = None
    email: Email | None = None
    website: Url | None = None
    organisatiecontact: JaNee = Field(False, description=ORGANISATIECONTACT)


class Begeleiding(Model):
    maatje: JaNee = Field(False, description="true als een maatje (vrijwilliger) mee kan")
    eerste_keer_mee: JaNee = Field(False, description="true als een coach de eerste keer mee kan")
    toelichting: Text | None = Meta(opmaak="lang", default=None)


class Leeftijd(Model):
    van: int | None = Field(None, ge=0, le=MAX_AGE, description="Vanaf leeftijd")
    tot: int | None = Field(None, ge=0, le=MAX_AGE, description="Tot en met leeftijd")

    @model_validator(mode="after")
    def _order(self) -> Leeftijd:
        if self.van is not None and self.tot is not None and self.tot < self.van:
            raise ValueError("'tot' is lager dan 'van'")
        if self.van is None and self.tot is None:
            raise ValueError("geef 'van' en/of 'tot'")
        return self


class Link(Model):
    titel: ShortText
    url: Url


# --------------------------------------------------------------------------- entries

class Entry(Model):
    """Common base: the slug and source file are set by the loader, not written in YAML."""

    kind: ClassVar[str] = ""
    _slug: str = PrivateAttr("")
    _file: str = PrivateAttr("")
    _gemeente: str = PrivateAttr("")
    _body: str = PrivateAttr("")
    # Results worked out from this entry alone, kept as long as the entry (``kept``).
    _kept: dict[str, Any] = PrivateAttr(default_factory=dict)
    if TYPE_CHECKING:  # pydantic types it as Optional; a model with private attributes has it
        __pydantic_private__: dict[str, Any]

    # Reading a private attribute as ``self._slug`` goes through pydantic's ``__getattr__``
    # (microseconds, and these are read very often); ``__pydantic_private__`` holds the values.
    @property
    def slug(self) -> str:
        return self.__pydantic_private__["_slug"]

    @property
    def file(self) -> str:
        return self.__pydantic_private__["_file"]

    def bind(self, slug: str, file: str, gemeente: str = "", body: str = "") -> None:
        self._slug, self._file, self._gemeente, self._body = slug, file, gemeente, body
        self.__pydantic_private__["_kept"] = {}

    def kept(self, name: str, compute: Callable[[Any], T]) -> T:
        """``compute(self)``, worked out once per entry object: for checks that read nothing
        but the entry (pipeline/privacy.py). ``serve`` keeps unchanged entries in memory
        (pipeline/load.LoadMemory), so a rebuild checks only the edited ones again."""
        kept = self.__pydantic_private__["_kept"]
        if name not in kept:
            kept[name] = compute(self)
        return cast(T, kept[name])


MIGRATE_BRON = "python scripts/migrate_bron.py content"  # converts 'bron' written as one line of text
MAX_SOURCES = 20  # sources of one entry


class Bron(Model):
    """Where information comes from: a document, a website, a conversation. Its ``datum`` is
    the source's own, as precise as the source gives it (never a guess)."""

    titel: ShortText = Field(description="Titel van het document of de website, of wat het was, "
                                          "zoals 'Gesprek met de welzijnscoach'")
    uitgever: ShortText | None = Field(None, description="Wie het maakte of uitgaf, zoals "
                                                         "'provincie Overijssel'")
    datum: BronDatum | None = Field(None, description="Datum van de bron zelf, zo precies als de "
                                                      "bron die geeft: 2023, 2023-07 of 2023-07-07. "
                                                      "Laat weg als de bron geen datum heeft")
    plaats: ShortText | None = Field(None, description="Waar het in de bron staat: hoofdstuk, "
                                                       "artikel of pagina")
    url: Url | None = Field(None, description="Webadres van de bron")

    @property
    def tekst(self) -> str:
        """As a page cites it: 'Evaluatiekrant Sociale Kwaliteit (provincie Overijssel), juli 2023'."""
        out = self.titel + (f" ({self.uitgever})" if self.uitgever else "")
        return out + (f", {format_source_date(self.datum)}" if self.datum else "")


def _sources(value: Any) -> Any:
    """One source may be written as a mapping instead of a list of one."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, str):
        raise ValueError("'bron' is geen tekst meer maar een lijst met bronnen, elk met een "
                         "'titel' en waar bekend 'uitgever', 'datum' (van de bron zelf), 'plaats' "
                         "en 'url'. Tekst als '000_....txt (Titel, uitgever, juli 2023), hoofdstuk' "
                         f"zet u om met: {MIGRATE_BRON}")
    return value


Bronnen = Annotated[list[Bron], Field(min_length=1, max_length=MAX_SOURCES),
                    BeforeValidator(_sources), at_most(MAX_SOURCES, noun="bronnen")]


class Sourced(Entry):
    """An entry that says where its information comes from and, once someone confirmed it with
    the organisation, when that was and who did it (model/freshness.py). A source is not a
    check: the date of a source never goes into ``laatst_gecontroleerd``."""

    bron: Bronnen = Meta("Waar de informatie vandaan komt: een of meer bronnen met titel, uitgever, "
                         "datum van de bron, plaats in de bron en webadres")
    laatst_gecontroleerd: Datum | None = Field(
        None, description="Datum waarop iemand de informatie heeft nagevraagd bij de organisatie "
                          "zelf. Niet de datum van de bron en niet de datum van de wijziging in git. "
                          "Laat weg als niemand het heeft nagevraagd")
    gecontroleerd_door: ShortText | None = Field(
        None, validate_default=True,
        description="Wie het navroeg: een functie, zoals 'welzijnscoach' of 'beheerder van de "
                    "kaart' (geen naam van een persoon). Nodig bij 'laatst_gecontroleerd'")

    @field_validator("gecontroleerd_door")
    @classmethod
    def _checked_by(cls, value: str | None, info: ValidationInfo) -> str | None:
        if "laatst_gecontroleerd" not in info.data:  # that field has an error of its own
            return value
        if info.data["laatst_gecontroleerd"] is not None and value is None:
            # its own error type: the value is empty, but the message says why it is needed
            raise PydanticCustomError(
                "samen_nodig", "zet bij 'laatst_gecontroleerd' ook 'gecontroleerd_door': de functie "
                "van wie het navroeg bij de organisatie, zoals 'welzijnscoach'")
        if info.data["laatst_gecontroleerd"] is None and value is not None:
            raise ValueError("'gecontroleerd_door' zonder 'laatst_gecontroleerd': zet ook de datum "
                             "waarop het is nagevraagd, of laat beide weg")
        return value

    @property
    def bronnen(self) -> list[Bron]:
        return self.bron


class Checked(Sourced):
    niet_dubbel: Refs = Field(
        default_factory=list,
        description="Korte namen van vermeldingen die op deze lijken maar echt iets anders zijn")


class Regio(Model):
    slug: Slug
    naam: ShortText


class RegioIndeling(Model):
    slug: Slug = Field(description="Korte naam van de indeling, zoals 'ggd'")
    naam: ShortText = Field(description="Naam, zoals 'GGD-regio'")
    regios: list[Regio] = Field(min_length=1)


class Beheerscherm(Model):
    """How editors log in to the web editor (Decap CMS, authoring/decap.py; README.md, "Web
    editing"). Without it, login goes through Netlify (its GitHub provider)."""

    inlogdienst: Url | None = Field(None, description="Adres van een eigen inlogdienst (OAuth) "
                                    "voor GitHub, zoals 'https://inloggen.voorbeeld.nl' (Decap: "
                                    "base_url); leeg: inloggen via Netlify")
    inlogpad: Annotated[str, Field(pattern=r"^[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$",
                                   max_length=200)] | None = Field(
        None, description="Pad van de inlogdienst, zoals 'auth' (Decap: auth_endpoint)")


class Site(Model):
    naam: ShortText = Field(description="Naam van de site")
    beschrijving: Text | None = Meta(opmaak="markdown", default=None)
    basis_url: Url | None = Field(None, description="Adres waar de site komt te staan")
    taal: Literal["nl"] = "nl"
    provincie: Provincie | None = None
    thema: Slug = Field("default", description="Naam van het thema in themes/")
    regio_indelingen: list[RegioIndeling] = Field(default_factory=list)
    repository: Url | None = Field(None, description="Adres van de GitHub-repository, zoals "
                                                     "'https://github.com/organisatie/sociale-kaart' "
                                                     "(voor bewerk-links en het beheerscherm)")
    beheerscherm: Beheerscherm | None = Field(None, description="Hoe beheerders inloggen op het "
                                                                "beheerscherm (/admin/)")


class Term(Model):
    slug: Slug
    label: ShortText
    beschrijving: Text | None = Meta(opmaak="markdown", default=None)
    synoniemen: Annotated[list[ShortText], Field(max_length=MAX_SYNONYMS),
                          at_most(MAX_SYNONYMS)] = Field(
        default_factory=list, description="Woorden die inwoners typen, voor het zoeken")
    groep: ShortText | None = Field(None, description="Groep binnen de lijst, zoals 'fysiek'")


class Taxonomie(Model):
    naam: ShortText
    beschrijving: Text | None = Meta(opmaak="markdown", default=None)
    termen: list[Term] = Field(min_length=1)


class Beheer(Model):
    organisatie: Slug | None = Ref("organisaties", "Organisatie die de kaart bijhoudt", default=None)
    contact: Contact | None = Field(None, description="Contact voor vragen over de kaart")
    beheerders: list[GithubHandle] = Field(default_factory=list,
                                           description="GitHub-namen van de beheerders")


class Loket(Model):
    """Where residents of a gemeente can ask about activities and support when an entry names no
    contact of its own: the gemeente's sociaal loket or its welzijnsorganisatie. Pages fall back
    to it (see ``site/views.py``), the booklet and the Welzijn op Recept folder print it."""

    naam: ShortText = Field(description="Naam van het loket, zoals 'Sociaal loket' of de naam van de "
                                        "welzijnsorganisatie")
    organisatie: Slug | None = Ref("organisaties", "Organisatie achter het loket", default=None)
    telefoon: Telefoon | None = Field(None, description="Telefoonnummer van het loket")
    email: Email | None = Field(None, description="E-mailadres van het loket")
    website: Url | None = Field(None, description="Webadres van het loket")
    adres: Adres | None = Field(None, description="Bezoekadres van het loket")
    openingstijden: Rules = Field(default_factory=list, description="Wanneer het loket open is of "
                                                                    "bereikbaar is")

    @model_validator(mode="after")
    def _reachable(self) -> Loket:
        if not has_contact(self) and self.adres is None:
            raise ValueError("geef het loket een 'telefoon', 'email', 'website' of 'adres', "
                             "zodat inwoners het kunnen bereiken")
        return self


class WelzijnOpRecept(Model):
    """How huisartsen and POH's in a gemeente refer someone to Welzijn op Recept: the welzijnscoach
    (a role, never a private person) the folder for GP practices names (``site/paper.py``).
    Without it the folder points to the gemeente's ``loket``."""

    naam: ShortText = Field(description="Naar wie u verwijst, zoals 'Welzijnscoach' of 'Team Welzijn "
                                        "op Recept' (een functie, geen naam van een privépersoon)")
    organisatie: Slug | None = Ref("organisaties", "Organisatie van de welzijnscoaches", default=None)
    telefoon: Telefoon | None = Field(None, description="Telefoonnummer voor verwijzingen")
    email: Email | None = Field(None, description="E-mailadres voor verwijzingen")
    website: Url | None = Field(None, description="Webadres met meer over Welzijn op Recept hier")
    verwijzen: Text | None = Meta("Hoe een huisarts of POH verwijst, in gewone woorden, zoals 'Bel of "
                                  "mail de welzijnscoach; die neemt binnen een week contact op met "
                                  "uw patiënt.'", opmaak="lang", default=None)
    organisatiecontact: JaNee = Field(False, description=ORGANISATIECONTACT)

    @model_validator(mode="after")
    def _reachable(self) -> WelzijnOpRecept:
        if not has_contact(self):
            raise ValueError("geef een 'telefoon', 'email' of 'website', zodat huisartsen kunnen "
                             "verwijzen")
        return self


class Gemeente(Entry):
    kind: ClassVar[str] = "gemeente"
    naam: ShortText = Field(description="Naam van de gemeente")
    cbs_code: Annotated[str, Field(pattern=r"^GM[0-9]{4}$",
                                   description="CBS-gemeentecode: GM en vier cijfers")]
    provincie: Provincie = Field(description="Provincie")
    regios: Refs = Ref("regios", "Regio's uit site.yaml waar de gemeente bij hoort",
                       default_factory=list)
    kernen: list[ShortText] = Field(default_factory=list,
                                    description="Kernen: de dorpen en steden van de gemeente")
    wijken: list[ShortText] = Field(default_factory=list,
                                    description="Wijken en buurten, zoals 'Baalder'")
    intro: Text | None = Meta("Welkomsttekst (Markdown)", opmaak="markdown", default=None)
    website: Url | None = Field(None, description="Website van de gemeente")
    beheer: Beheer | None = Field(None, description="Wie de sociale kaart bijhoudt")
    loket: Loket | None = Field(None, description="Waar inwoners terechtkunnen met vragen over "
                                                  "activiteiten en ondersteuning")
    welzijn_op_recept: WelzijnOpRecept | None = Field(
        None, description="Hoe huisartsen en POH's verwijzen naar Welzijn op Recept (voor de folder "
                          "voor huisartsenpraktijken)")
    controle_termijn_maanden: int = Field(12, ge=1, le=60,
                                          description="Na hoeveel maanden een vermelding opnieuw "
                                                      "gecontroleerd moet worden")
    bron: Bronnen | None = Meta("Waar de gegevens van de gemeente (intro, kernen, wijken) vandaan "
                                "komen", default=None)


class Organisatie(Checked):
    kind: ClassVar[str] = "organisatie"
    naam: ShortText = Field(description="Naam van de organisatie")
    soort: Slug = Ref("taxonomie:organisatie-soorten", "Soort organisatie",
                       zoekfilter="organisatie")
    gemeenten: GemeenteRefs = Ref("gemeenten", "Gemeenten waar de organisatie werkt",
                                  default_factory=list)
    website: Url | None = Field(None, description="Website van de organisatie")
    telefoon: Telefoon | None = Field(None, description="Algemeen telefoonnummer")
    email: Email | None = Field(None, description="Algemeen e-mailadres")
    organisatiecontact: JaNee = Field(False, description=ORGANISATIECONTACT)
    adres: Adres | None = Field(None, description="Bezoekadres")
    beschrijving: Text | None = Meta("Wat de organisatie doet (Markdown)", opmaak="markdown",
                                     default=None)


class Ontmoetingsplek(Checked):
    kind: ClassVar[str] = "ontmoetingsplek"
    naam: ShortText = Field(description="Naam van de plek")
    soort: Slug = Ref("taxonomie:plek-soorten", "Soort plek, zoals 'buurthuis'",
                       zoekfilter="plek")
    gemeente: Slug | None = Ref("gemeenten", "Gemeente (volgt uit de map)", default=None)
    kern: ShortText | None = Meta("Kern (uit 'kernen' in het gemeentebestand)", zoekfilter="kern",
                                    default=None)
    wijk: ShortText | None = Meta("Wijk (uit 'wijken' in het gemeentebestand)", zoekfilter="kern",
                                  default=None)
    adres: Adres | None = Field(None, description="Adres van de plek")
    coordinaten: Coordinaten | None = Field(None, description="Plaats op de kaart")
    openingstijden: Rules = Field(default_factory=list, description="Wanneer de plek open is")
    beheerder: Slug | None = Ref("organisaties", "Organisatie die de plek beheert", default=None)
    faciliteiten: list[ShortText] = Field(default_factory=list,
                                          description="Zoals 'koffie en thee', 'wifi', 'keuken'")
    toegankelijkheid: TermRefs = Ref("taxonomie:toegankelijkheid", "Toegankelijkheid", zoekfilter="toegankelijkheid",
                                     default_factory=list)
    toegankelijkheid_toelichting: Text | None = Meta(opmaak="lang", default=None, description=
        "Toegankelijkheid in eigen woorden, zoals 'drempel bij de ingang'")
    contact: Contact | None = Field(None, description="Contact van de plek")
    samenvatting: Line | None = Meta("Eén of twee zinnen", opmaak="lang", max_length=MAX_SUMMARY,
                                     default=None)
    beschrijving: Text | None = Meta("Beschrijving (Markdown)", opmaak="markdown", default=None)


class Activiteit(Checked):
    kind: ClassVar[str] = "activiteit"
    titel: ShortText = Field(description="Naam van de activiteit")
    samenvatting: Line = Meta("Eén of twee zinnen in gewone taal", opmaak="lang", max_length=MAX_SUMMARY)
    beschrijving: Text | None = Meta(opmaak="markdown", default=None, description="Beschrijving (Markdown); bij een "
                                                        ".md-bestand de tekst onder de velden")
    gemeente: Slug | None = Ref("gemeenten", "Gemeente (volgt uit de map)", default=None)
    plek: Slug | None = Ref("plekken", "Ontmoetingsplek in dezelfde gemeente", default=None)
    adres: Adres | None = Field(None, description="Adres als het niet in een ontmoetingsplek is")
    kern: ShortText | None = Meta("Kern (uit 'kernen' in het gemeentebestand)", zoekfilter="kern",
                                  default=None)
    wijk: ShortText | None = Meta("Wijk (uit 'wijken' in het gemeentebestand)", zoekfilter="kern",
                                  default=None)
    online: Url | None = Field(None, description="Webadres als het online is")
    organisator: Slug | None = Ref("organisaties", "Organisatie die het organiseert", default=None)
    themas: TermRefs = Ref("taxonomie:themas", "Thema's", zoekfilter="thema", default_factory=list)
    doelgroepen: TermRefs = Ref("taxonomie:doelgroepen", "Voor wie", zoekfilter="doelgroep",
                              default_factory=list)
    gezondheid: TermRefs = Ref("taxonomie:positieve-gezondheid",
                               "Dimensies van Positieve Gezondheid", default_factory=list)
    leeftijd: Leeftijd | None = Field(None, description="Leeftijd van de deelnemers")
    wanneer: Rules = Meta("Wanneer het is", zoekfilter="dag,dagdeel", default_factory=list)
    kosten: Kosten | None = Meta("Wat meedoen kost", zoekfilter="kosten", default=None)
    aanmelden: Aanmelden | None = Field(None, description="Of en hoe deelnemers zich aanmelden")
    begeleiding: Begeleiding | None = Field(None, description="Of iemand mee kan gaan")
    toegankelijkheid: TermRefs = Ref("taxonomie:toegankelijkheid", "Toegankelijkheid", zoekfilter="toegankelijkheid",
                                     default_factory=list)
    toegankelijkheid_toelichting: Text | None = Meta(opmaak="lang", default=None, description=
        "Toegankelijkheid in eigen woorden, zoals 'drempel bij de ingang'")
    welzijn_op_recept: JaNee = Meta("Geschikt voor Welzijn op Recept", zoekfilter="welzijn op recept",
                                  default=False)
    contact: Contact | None = Field(None, description="Contact voor vragen")
    status: ActiviteitStatus = Field(
        "actief", description="actief, gepauzeerd of gestopt")

    @model_validator(mode="after")
    def _where(self) -> Activiteit:
        if self.plek and self.adres:
            raise ValueError("geef een 'plek' of een 'adres', niet allebei")
        return self

    @property
    def naam(self) -> str:
        return self.titel

    @property
    def tekst(self) -> str | None:
        return self.beschrijving or self.__pydantic_private__["_body"] or None


class Contactpersoon(Model):
    """A professional printed as the contact of a praktijk in a source."""

    naam: ShortText
    organisatie: ShortText | None = None
    rol: ShortText | None = None
    email: Email | None = None
    telefoon: Telefoon | None = None
    organisatiecontact: JaNee = Field(False, description=ORGANISATIECONTACT)


class Praktijk(Sourced):
    kind: ClassVar[str] = "praktijk"
    titel: ShortText = Field(description="Naam van de praktijk")
    lede: Text = Meta("Korte inleiding van één alinea", opmaak="lang")
    gemeenten: GemeenteRefs = Ref("gemeenten", "Gemeenten waar het speelt", zoekfilter="gemeente",
                              default_factory=list)
    regios: Refs = Ref("regios", "Regio's waar het speelt", default_factory=list)
    organisaties: Refs = Ref("organisaties", "Betrokken organisaties", default_factory=list)
    doelgroepen: TermRefs = Ref("taxonomie:doelgroepen", "Doelgroepen", zoekfilter="doelgroep",
                              default_factory=list)
    themas: TermRefs = Ref("taxonomie:themas", "Thema's", zoekfilter="thema", default_factory=list)
    doelgroep_toelichting: Text | None = Meta("De doelgroep in eigen woorden", opmaak="lang",
                                              default=None)
    wat_werkt: list[Text] = Meta(opmaak="lang", min_length=1, description="De werkzame bestanddelen "
                                                            "('Wat werkt?')")
    contacten: list[Contactpersoon] = Field(default_factory=list,
                                            description="Contactpersonen bij organisaties")
    status: Literal["idee", "pilot", "structureel", "afgerond", "gestopt"] | None = Meta(
        "Fase: idee, pilot, structureel, afgerond of gestopt; laat het weg als de bron geen fase "
        "noemt", default=None,
        keuzes={"idee": "Een idee: het is nog niet begonnen",
                "pilot": "Een proef (pilot): het wordt uitgeprobeerd",
                "structureel": "Vast aanbod: het is geen proef meer (structureel)",
                "afgerond": "Afgerond", "gestopt": "Gestopt"})
    start: Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v),
                     Field(pattern=r"^[12][0-9]{3}(-(0[1-9]|1[0-2]))?$",
                           description="Startjaar, zoals 2021 of 2021-09")] | None = None
    links: list[Link] = Field(default_factory=list, description="Links naar meer informatie")

    @model_validator(mode="after")
    def _where(self) -> Praktijk:
        if not self.gemeenten and not self.regios:
            raise ValueError("geef 'gemeenten' of 'regios' waar de praktijk speelt")
        return self

    @property
    def naam(self) -> str:
        return self.titel

    @property
    def tekst(self) -> str:
        return self.__pydantic_private__["_body"]


def references(model: type[BaseModel]) -> dict[str, str]:
    """Field name -> reference target, read from the ``Ref`` markers."""
    out = {}
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        if isinstance(extra, dict) and "x-verwijzing" in extra:
            out[name] = str(extra["x-verwijzing"])
    return out


def term_fields(model: type[BaseModel]) -> dict[str, str]:
    """Field name -> taxonomy vocabulary, for the fields that hold taxonomy terms."""
    return {name: target.removeprefix("taxonomie:") for name, target in references(model).items()
            if target.startswith("taxonomie:")}
