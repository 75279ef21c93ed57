"""Generate a deterministic, realistic synthetic content folder for benchmarks.

    python benchmarks/generate.py --gemeenten 25 --activiteiten 400 --out benchmarks/out/c10000

Writes N fictional gemeenten (CBS codes GM9000 and up) with about M activities each, M/10
ontmoetingsplekken, a handful of organisations per gemeente plus regional ones, and some
leerrijke praktijken. Schedules cover every form the model knows (weekly, every other week,
monthly on a positioned day, one-off dates, exceptions, none); bodies are Dutch Markdown of a
realistic length. The same arguments always give byte-identical files.

The output must pass ``sociale-kaart check --vandaag 2026-11-22`` with 0 errors (warnings about
stale entries and missing times are expected: they are realistic). It is never committed.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TAXONOMIE = ROOT / "tests" / "fixtures" / "kaart" / "taxonomie"
REFERENCE = date(2026, 11, 22)  # the "today" the content is written for (run.py checks with it)

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class Dumper(_Dumper):  # type: ignore[misc, valid-type]
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


Dumper.add_representer(str, _str)


def dump(data: dict) -> str:
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=None)


# --------------------------------------------------------------------------- word banks

PREFIXES = ("Beek", "Wold", "Hoog", "Laag", "Noord", "Zuid", "Oost", "West", "Zand", "Veen",
            "Eik", "Linde", "Berk", "Wilg", "Brug", "Dijk", "Meer", "Horst", "Holt", "Loo",
            "Vecht", "Regge", "Dinkel", "Schip", "Molen", "Kerk", "Heide", "Esch", "Hazel",
            "Vos", "Ree", "Kraan", "Valk", "Lelie", "Roos", "Haver")
SUFFIXES = ("dorp", "veld", "stad", "horst", "broek", "wijk", "lo", "dam", "haven", "kamp",
            "zijl", "hoven")
WIJKEN = ("Centrum", "Oost", "West", "Noord", "Zuid", "De Haar", "Het Veld", "Molenbuurt",
          "De Es", "Kerkbuurt", "Stationsbuurt", "De Marke")
STREETS = ("Kerkstraat", "Dorpsstraat", "Molenweg", "Schoolstraat", "Stationsweg", "Markt",
           "Beukenlaan", "Lindelaan", "Julianastraat", "Wilhelminastraat", "Esweg", "Brink",
           "Veldweg", "Oranjestraat", "Parkweg", "Ganzenmarkt")
PLACE_NAMES = ("De Brug", "De Linde", "Het Anker", "De Schakel", "De Esch", "Het Trefpunt",
               "De Kern", "De Ontmoeting", "De Boei", "Het Baken", "De Horst", "De Wieken",
               "Het Kompas", "De Zon", "De Klinker", "Het Hoekje", "De Bron", "De Pit",
               "Het Spectrum", "De Kroon", "De Eik", "Het Dorpshart", "De Vonk", "De Wissel")
PLACE_KINDS = (("buurthuis", "Buurthuis"), ("dorpshuis", "Dorpshuis"),
               ("wijkcentrum", "Wijkcentrum"), ("mfa", "MFA"), ("kulturhus", "Kulturhus"),
               ("huiskamer", "Huiskamer"), ("inloophuis", "Inloophuis"),
               ("bibliotheek", "Bibliotheek"), ("sportlocatie", "Sporthal"),
               ("cultureel-centrum", "Cultuurhuis"))
FACILITIES = ("koffie en thee", "wifi", "keuken", "biljart", "tuin", "vergaderzaal",
              "computers", "podium", "leestafel", "invalidenparkeerplaats")
ACCESS = ("rolstoeltoegankelijk", "aangepast-toilet", "ringleiding", "goed-bereikbaar",
          "gratis-of-goedkoop", "vergoeding-mogelijk", "zonder-aanmelden", "laagdrempelig",
          "eenvoudige-taal", "andere-talen", "geen-computer-nodig", "hulp-bij-digitaal")

# title, themas, doelgroepen, gezondheid, summary, what happens (body sentences)
ACTIVITIES = (
    ("Koffie-inloop", ["ontmoeting", "eenzaamheid"], ["ouderen", "eenzame-mensen"], ["meedoen"],
     "Koffie drinken en een praatje maken met buurtgenoten.",
     "Loop binnen voor een kop **koffie** of thee. Er is altijd een vrijwilliger die u welkom heet."),
    ("Wandelgroep", ["bewegen", "natuur-en-buiten"], ["ouderen", "volwassenen"],
     ["lichaamsfuncties"], "Samen wandelen in een rustig tempo, met koffie na afloop.",
     "We wandelen ongeveer **een uur** door het park en langs het water. Iedereen loopt in zijn eigen tempo."),
    ("Samen eten", ["eten-en-koken", "ontmoeting"], ["iedereen"], ["meedoen"],
     "Samen een warme maaltijd eten aan een lange tafel.",
     "Vrijwilligers koken een eenvoudige, gezonde maaltijd. U eet samen met andere mensen uit de buurt."),
    ("Taalcafé", ["leren-en-taal", "ontmoeting"], ["nieuwkomers", "laaggeletterden"], ["meedoen"],
     "Nederlands oefenen in een gezellige groep, met vrijwilligers.",
     "U praat in kleine groepjes over gewone dingen: boodschappen, het weer, de buurt."),
    ("Digicafé", ["leren-en-taal"], ["ouderen"], ["dagelijks-functioneren"],
     "Hulp bij uw telefoon, tablet of computer.",
     "Neem uw eigen telefoon of tablet mee. Een vrijwilliger helpt u met uw vraag, zoals DigiD of videobellen."),
    ("Stoelyoga", ["bewegen", "gezond-leven"], ["ouderen", "mensen-met-een-beperking"],
     ["lichaamsfuncties", "mentaal-welbevinden"], "Rustige yoga op een stoel, voor elk lichaam.",
     "Alle oefeningen doet u zittend of staand naast de stoel. U hoeft niet lenig te zijn."),
    ("Mantelzorgcafé", ["mantelzorg", "ontmoeting"], ["mantelzorgers"], ["mentaal-welbevinden"],
     "Even op adem komen en ervaringen delen met andere mantelzorgers.",
     "Elke keer is er een ander onderwerp, zoals respijtzorg of regelingen van de gemeente."),
    ("Geldspreekuur", ["geldzaken"], ["mensen-met-weinig-geld", "volwassenen"],
     ["dagelijks-functioneren"], "Gratis hulp bij brieven, toeslagen en schulden.",
     "Een vrijwilliger van de thuisadministratie kijkt met u naar uw post en uw rekeningen."),
    ("Schilderclub", ["creatief", "ontmoeting"], ["volwassenen", "ouderen"], ["zingeving"],
     "Schilderen en tekenen in een groep, voor beginners en gevorderden.",
     "Materiaal is aanwezig. Een docent geeft tips, maar u bepaalt zelf wat u maakt."),
    ("Moestuin", ["natuur-en-buiten", "gezond-leven"], ["iedereen"], ["zingeving", "meedoen"],
     "Samen groenten kweken in de buurtmoestuin.",
     "U helpt mee met zaaien, wieden en oogsten. De oogst verdelen we samen."),
    ("Beweegles 55+", ["bewegen"], ["ouderen"], ["lichaamsfuncties"],
     "Gymnastiek op muziek voor mensen vanaf 55 jaar.",
     "De oefeningen zijn goed voor uw spieren en uw evenwicht. Na afloop drinken we koffie."),
    ("Huiswerkklas", ["opgroeien", "leren-en-taal"], ["kinderen", "jongeren"], ["meedoen"],
     "Rustig huiswerk maken met hulp van vrijwilligers.",
     "Kinderen uit groep 7 en 8 en de brugklas maken hier hun huiswerk. Er is altijd iemand om te helpen."),
    ("Ouder-kindochtend", ["opgroeien", "ontmoeting"], ["gezinnen", "kinderen"], ["meedoen"],
     "Spelen en andere ouders ontmoeten, met kinderen tot 4 jaar.",
     "Er is speelgoed en er zijn boekjes. Ouders drinken koffie en wisselen tips uit."),
    ("Gespreksgroep", ["mentale-gezondheid", "eenzaamheid"],
     ["mensen-met-psychische-klachten", "volwassenen"], ["mentaal-welbevinden", "zingeving"],
     "Praten met anderen die iets vergelijkbaars meemaken.",
     "Een ervaringsdeskundige leidt het gesprek. Wat hier gezegd wordt, blijft in de groep."),
    ("Alzheimer Café", ["mentale-gezondheid"], ["mensen-met-dementie", "mantelzorgers"],
     ["kwaliteit-van-leven"], "Informatie en ontmoeting voor mensen met dementie en hun naasten.",
     "Elke keer vertelt een deskundige over een onderwerp. Daarna is er tijd voor vragen en een praatje."),
    ("Repair Café", ["meedoen", "ontmoeting"], ["iedereen"], ["meedoen"],
     "Samen kapotte spullen repareren in plaats van weggooien.",
     "Neem uw kapotte lamp, broek of fiets mee. Vrijwillige reparateurs helpen u."),
    ("Kookles", ["eten-en-koken", "gezond-leven"], ["volwassenen", "mensen-met-weinig-geld"],
     ["lichaamsfuncties"], "Gezond en goedkoop leren koken.",
     "U kookt samen met anderen een maaltijd van weinig geld. De recepten neemt u mee naar huis."),
    ("Zangkoor", ["creatief", "ontmoeting"], ["ouderen", "volwassenen"], ["zingeving"],
     "Samen zingen, bekende liedjes en nieuwe.",
     "U hoeft geen noten te kunnen lezen. Zingen is goed voor uw stemming en uw adem."),
    ("Klaverjassen", ["ontmoeting"], ["ouderen"], ["meedoen"],
     "Kaarten in een gezellige groep.",
     "We spelen in wisselende tafels. Beginners zijn welkom; iemand legt de regels uit."),
    ("Fietsmaatjes", ["bewegen", "eenzaamheid"], ["ouderen", "mensen-met-een-beperking"],
     ["meedoen", "kwaliteit-van-leven"], "Samen fietsen op een duofiets met een vrijwilliger.",
     "Een vrijwilliger fietst met u mee op een duofiets. Zo komt u weer buiten."),
)
QUALIFIERS = ("voor iedereen", "in de middag", "op de avond", "voor beginners", "extra",
              "in de winter", "voor senioren", "in de wijk")
MIDDLE = (
    "U bent van harte welkom, ook als u niemand kent. De eerste keer is altijd gratis.",
    "Twijfelt u of het iets voor u is? Bel gerust en vraag wat u kunt verwachten.",
    "De ruimte is goed bereikbaar met de bus. Er is een invalidentoilet.",
    "Vrijwilligers uit de buurt organiseren dit samen met de welzijnsorganisatie.",
    "Een welzijnscoach kan de eerste keer met u meegaan als u dat prettig vindt.",
    "Veel deelnemers komen al jaren. Nieuwe mensen worden snel opgenomen in de groep.",
    "Heeft u een Meedoenpas? Dan betaalt u minder of niets.",
    "Heeft u vervoer nodig? De buurtbus kan u ophalen; bel een dag van tevoren.",
)
BRING = ("Goede schoenen", "Een regenjas", "Uw telefoon of tablet", "Een pen en papier",
         "Uw Meedoenpas", "Iets te drinken", "Makkelijke kleding", "Uw eigen beker")


# --------------------------------------------------------------------------- helpers

def slugify(text: str) -> str:
    out = "".join(c.lower() if c.isalnum() else "-" for c in
                  text.replace("é", "e").replace("+", "plus"))
    return "-".join(p for p in out.split("-") if p)


def phone(rng: random.Random) -> str:
    return f"0{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"


def postcode(rng: random.Random, base: int) -> str:
    letters = "ABCEGHJKLMNPRTVWXZ"
    return f"{base + rng.randint(0, 99)} {rng.choice(letters)}{rng.choice(letters)}"


def checked(rng: random.Random) -> date:
    # mostly recent; about 5 % older than the default check term of 12 months
    return REFERENCE - timedelta(days=rng.randint(5, 385))


def next_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7)


DAYS = ("MA", "DI", "WO", "DO", "VR", "ZA")


def time_pair(rng: random.Random) -> tuple[str, str]:
    start = rng.choice((9, 10, 10, 13, 14, 14, 15, 19, 19, 20))
    minute = rng.choice((0, 0, 30))
    length = rng.choice((60, 90, 120, 150))
    end = start * 60 + minute + length
    return f"{start:02d}:{minute:02d}", f"{end // 60:02d}:{end % 60:02d}"


def schedule(rng: random.Random) -> list[dict]:
    """One of the schedule forms, with the weights of a real kaart."""
    van, tot = time_pair(rng)
    form = rng.random()
    if form < 0.38:  # weekly, one or two days
        days = sorted(rng.sample(range(6), rng.choice((1, 1, 1, 2))))
        return [{"frequentie": "wekelijks", "dagen": [DAYS[d] for d in days], "van": van, "tot": tot}]
    if form < 0.52:  # every other week from a first date
        day = rng.randrange(6)
        first = next_weekday(REFERENCE - timedelta(days=rng.randint(0, 120)), day)
        return [{"frequentie": "wekelijks", "interval": 2, "dagen": [DAYS[day]], "van": van,
                 "tot": tot, "geldig_vanaf": first}]
    if form < 0.67:  # monthly on a positioned day
        pos = rng.choice((1, 2, 3, -1))
        return [{"frequentie": "maandelijks", "dagen": [f"{pos}{rng.choice(DAYS[:5])}"],
                 "van": van, "tot": tot}]
    if form < 0.77:  # one-off dates
        first = REFERENCE + timedelta(days=rng.randint(-10, 40))
        dates = sorted({first + timedelta(days=7 * i * rng.randint(1, 3)) for i in range(rng.randint(1, 4))})
        return [{"datums": dates, "van": van, "tot": tot}]
    if form < 0.90:  # weekly with exceptions and an end date
        day = rng.randrange(5)
        holiday = next_weekday(date(2026, 12, 21), day)
        return [{"frequentie": "wekelijks", "dagen": [DAYS[day]], "van": van, "tot": tot,
                 "geldig_tot": date(2027, 6, 30),
                 "niet_op": [holiday, {"van": date(2027, 2, 16), "tot": date(2027, 2, 22),
                                       "reden": "voorjaarsvakantie"}],
                 "toelichting": "Niet in de schoolvakanties."}]
    if form < 0.95:  # two rules: weekly and a monthly extra
        return [{"frequentie": "wekelijks", "dagen": [DAYS[rng.randrange(5)]], "van": van, "tot": tot},
                {"frequentie": "maandelijks", "dagen": ["-1ZA"], "van": "10:00", "tot": "12:00"}]
    return []  # no schedule: "neem contact op"


def body(rng: random.Random, what: str, summary: str, heading: bool) -> str:
    paras = [f"{summary} {what}", " ".join(rng.sample(MIDDLE, 3))]
    parts = [paras[0], paras[1]]
    if heading:
        parts.append("## Wat neemt u mee?")
    parts.append("\n".join(f"- {b}" for b in rng.sample(BRING, rng.randint(2, 4))))
    parts.append(" ".join(rng.sample(MIDDLE, 2)) + " Meer weten? Kijk op "
                 "[de website](https://www.voorbeeld.example.nl) of bel ons.")
    return "\n\n".join(parts) + "\n"


# --------------------------------------------------------------------------- generator

def gemeente_names(n: int, rng: random.Random) -> list[str]:
    names = [p + s for p in PREFIXES for s in SUFFIXES]
    rng.shuffle(names)
    if n > len(names):
        raise SystemExit(f"at most {len(names)} gemeenten")
    return names[:n]


def generate(out: Path, gemeenten: int, activiteiten: int, seed: int = 1) -> dict[str, int]:
    """Write the content folder ``out`` (replaced if it exists). Returns counts per kind."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "taxonomie").mkdir(parents=True)
    for f in sorted(TAXONOMIE.glob("*.yaml")):
        shutil.copyfile(f, out / "taxonomie" / f.name)
    counts = {"gemeenten": 0, "organisaties": 0, "ontmoetingsplekken": 0, "activiteiten": 0,
              "praktijken": 0}

    def write(rel: str, data: dict, text: str | None = None) -> None:
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        content = dump(data)
        if text is not None:
            content = f"---\n{content}---\n{text}"
        path.write_text(content, encoding="utf-8")
        counts[rel.split("/", 1)[0]] += 1

    ggd = [f"ggd-{i + 1}" for i in range(max(1, gemeenten // 12 + 1))]
    samen = [f"samenwerking-{i + 1}" for i in range(max(1, gemeenten // 6 + 1))]
    site = {"naam": "Sociale Kaart Benchmark", "beschrijving": "Verzonnen inhoud voor de benchmark.",
            "basis_url": "https://benchmark.example.nl", "provincie": "Overijssel",
            "regio_indelingen": [
                {"slug": "ggd", "naam": "GGD-regio",
                 "regios": [{"slug": s, "naam": f"GGD Regio {i + 1}"} for i, s in enumerate(ggd)]},
                {"slug": "samenwerking", "naam": "Samenwerkingsregio",
                 "regios": [{"slug": s, "naam": f"Samenwerkingsregio {i + 1}"}
                            for i, s in enumerate(samen)]}]}
    (out / "site.yaml").write_text(dump(site), encoding="utf-8")

    names = gemeente_names(gemeenten, random.Random(seed))
    all_slugs = [slugify(n) for n in names]
    for i, s in enumerate(ggd):
        members = [all_slugs[j] for j in range(gemeenten) if j // 12 == i]
        write(f"organisaties/{s}.yaml", {
            "naam": f"GGD Regio {i + 1}", "soort": "ggd",
            "gemeenten": members,
            "website": f"https://www.{s}.example.nl", "telefoon": phone(rng),
            "beschrijving": "De GGD werkt aan de gezondheid van alle inwoners in de regio.\n",
            "laatst_gecontroleerd": checked(rng), "gecontroleerd_door": "beheerder",
            "bron": {"titel": "Website van de GGD"}})

    for gi, naam in enumerate(names):
        g = all_slugs[gi]
        kernen = [naam] + rng.sample(WIJKEN, rng.randint(2, 4))
        base_pc = 1000 + (gi * 83) % 8800
        orgs = [(f"welzijn-{g}", f"Welzijn {naam}", "welzijnsorganisatie"),
                (f"sportservice-{g}", f"Sportservice {naam}", "sportorganisatie"),
                (f"bibliotheek-{g}", f"Bibliotheek {naam}", "bibliotheek"),
                (f"vrijwilligers-{g}", f"Vrijwilligerscentrale {naam}", "vrijwilligersorganisatie")]
        for k in range(max(1, activiteiten // 50)):
            soort = rng.choice(("zelforganisatie", "levensbeschouwing", "zorgaanbieder",
                                "vrijwilligersorganisatie", "woningcorporatie"))
            orgs.append((f"stichting-{slugify(PLACE_NAMES[k % len(PLACE_NAMES)])}-{k}-{g}",
                         f"Stichting {PLACE_NAMES[k % len(PLACE_NAMES)]} {k + 1} {naam}", soort))
        write(f"gemeenten/{g}.yaml", {
            "naam": naam, "cbs_code": f"GM{9000 + gi:04d}", "provincie": "Overijssel",
            "regios": [ggd[gi // 12], samen[gi // 6]], "kernen": kernen,
            "website": f"https://www.{g}.example.nl",
            "intro": f"Welkom bij de sociale kaart van **{naam}**. Hier vindt u activiteiten en "
                     "plekken om andere mensen te ontmoeten, te bewegen en mee te doen.\n",
            "beheer": {"organisatie": orgs[0][0],
                       "contact": {"naam": "Team sociale kaart", "email": f"kaart@{g}.example.nl"},
                       "beheerders": [f"@{g}-beheer"]},
            "controle_termijn_maanden": 12})
        for slug, oname, soort in orgs:
            write(f"organisaties/{slug}.yaml", {
                "naam": oname, "soort": soort, "gemeenten": [g],
                "website": f"https://www.{slug}.example.nl", "telefoon": phone(rng),
                "email": f"info@{slug}.example.nl",
                "adres": {"straat": rng.choice(STREETS), "huisnummer": str(rng.randint(1, 120)),
                          "postcode": postcode(rng, base_pc), "plaats": naam},
                "beschrijving": f"{oname} helpt inwoners van {naam} om mee te doen. "
                                + " ".join(rng.sample(MIDDLE, 2)) + "\n",
                "laatst_gecontroleerd": checked(rng), "gecontroleerd_door": "beheerder",
                "bron": {"titel": "Website van de organisatie"}})

        plekken = []
        combos = [(k, n) for k in PLACE_KINDS for n in PLACE_NAMES]
        rng.shuffle(combos)
        for (soort, label), pname in combos[:max(1, activiteiten // 10)]:
            full = f"{label} {pname}"
            slug = slugify(full)
            kern = rng.choice(kernen)
            van, _ = time_pair(rng)
            plekken.append((slug, full, kern))
            write(f"ontmoetingsplekken/{g}/{slug}.yaml", {
                "naam": full, "soort": soort, "kern": kern,
                "adres": {"straat": rng.choice(STREETS), "huisnummer": f"{rng.randint(1, 80)}",
                          "postcode": postcode(rng, base_pc), "plaats": naam},
                "coordinaten": {"lat": round(52.0 + rng.random(), 5), "lon": round(5.5 + rng.random(), 5)},
                "openingstijden": [
                    {"frequentie": "wekelijks", "dagen": ["MA", "DI", "WO", "DO"], "van": "09:00",
                     "tot": "17:00"},
                    {"frequentie": "wekelijks", "dagen": ["VR"], "van": "09:00", "tot": "12:00",
                     "niet_op": [{"van": date(2026, 12, 24), "tot": date(2027, 1, 1),
                                  "reden": "kerstvakantie"}]}],
                "beheerder": rng.choice(orgs)[0],
                "faciliteiten": rng.sample(FACILITIES, rng.randint(2, 5)),
                "toegankelijkheid": sorted(rng.sample(ACCESS, rng.randint(1, 4))),
                "contact": {"naam": "Beheerder", "telefoon": phone(rng)},
                "samenvatting": f"Een {label.lower()} in {kern} met koffie, activiteiten en een "
                                "luisterend oor.",
                "beschrijving": f"In {full} kunt u binnenlopen voor een kop koffie. "
                                + " ".join(rng.sample(MIDDLE, 3)) + "\n",
                "laatst_gecontroleerd": checked(rng), "gecontroleerd_door": "beheerder",
                "bron": {"titel": "Bezoek aan de plek"}})

        titles: set[str] = set()
        for k in range(activiteiten):
            titel_base, themas, groepen, gezondheid, summary, what = rng.choice(ACTIVITIES)
            where = rng.random()
            plek = rng.choice(plekken) if where < 0.75 else None
            titel = f"{titel_base} in {plek[1]}" if plek else f"{titel_base} {rng.choice(kernen)}"
            n = 1
            while titel in titles:
                titel = f"{titel_base} {rng.choice(QUALIFIERS)} {n}"
                n += 1
            titles.add(titel)
            slug = slugify(titel)[:70]
            org = rng.choice(orgs)
            data: dict = {"titel": titel, "samenvatting": summary}
            if plek:
                data["plek"] = plek[0]
            elif where < 0.92:
                kern = rng.choice(kernen)
                data["kern"] = kern
                data["adres"] = {"straat": rng.choice(STREETS), "huisnummer": str(rng.randint(1, 200)),
                                 "postcode": postcode(rng, base_pc), "plaats": naam}
            else:
                data["online"] = f"https://www.{org[0]}.example.nl/online/{slug}"
            data["organisator"] = org[0]
            data["themas"] = themas
            data["doelgroepen"] = groepen
            data["gezondheid"] = gezondheid
            if rng.random() < 0.3:
                data["leeftijd"] = {"van": rng.choice((18, 55, 65))}
            wanneer = schedule(rng)
            if wanneer:
                data["wanneer"] = wanneer
            if rng.random() < 0.5:
                data["kosten"] = {"gratis": True}
            else:
                data["kosten"] = {"gratis": False, "bedrag": rng.choice((1.0, 2.5, 3.0, 5.0, 7.5)),
                                  "per": rng.choice(("keer", "maand", "cursus")),
                                  "toelichting": "Korting met de Meedoenpas."}
            data["aanmelden"] = ({"nodig": False, "hoe": "Gewoon binnenlopen."} if rng.random() < 0.6
                                 else {"nodig": True, "hoe": "Bel of mail ons.", "telefoon": phone(rng)})
            if rng.random() < 0.4:
                data["begeleiding"] = {"maatje": True, "eerste_keer_mee": rng.random() < 0.5}
            data["toegankelijkheid"] = sorted(rng.sample(ACCESS, rng.randint(1, 3)))
            data["welzijn_op_recept"] = rng.random() < 0.4
            data["contact"] = {"naam": "Welzijnscoach", "telefoon": phone(rng),
                               "email": f"info@{org[0]}.example.nl"}
            status = rng.random()
            if status > 0.97:
                data["status"] = "gestopt"
            elif status > 0.93:
                data["status"] = "gepauzeerd"
            data["laatst_gecontroleerd"] = checked(rng)
            data["gecontroleerd_door"] = "beheerder"
            data["bron"] = {"titel": f"Folder {org[1]}", "datum": 2026}
            text = body(rng, what, summary, heading=rng.random() < 0.5)
            if rng.random() < 0.3:
                write(f"activiteiten/{g}/{slug}.md", data, text)
            else:
                items = list(data.items())
                at = [k for k, _ in items].index("plek" if plek else "organisator")
                data = dict(items[:at] + [("beschrijving", text)] + items[at:])
                write(f"activiteiten/{g}/{slug}.yaml", data)

    for p in range(max(2, gemeenten // 3)):
        members = sorted(rng.sample(all_slugs, min(len(all_slugs), rng.randint(1, 3))))
        titel = f"{rng.choice(ACTIVITIES)[0]} als aanpak {p + 1}"
        write(f"praktijken/{slugify(titel)}.md", {
            "titel": titel,
            "lede": "Een aanpak die inwoners helpt om mee te doen, samen met huisartsen en "
                    "welzijnswerk.",
            "gemeenten": members, "regios": [rng.choice(ggd)],
            "organisaties": [f"welzijn-{m}" for m in members],
            "doelgroepen": ["eenzame-mensen"], "themas": ["eenzaamheid", "ontmoeting"],
            "wat_werkt": ["Korte lijnen tussen huisarts en welzijnscoach.",
                          "Een actuele sociale kaart met het aanbod.",
                          "Een maatje dat de eerste keer meegaat."],
            "status": rng.choice(("pilot", "structureel")), "start": 2020 + p % 6,
            "bron": {"titel": "Verzonnen voor de benchmark"}},
            "## Aanleiding\n\nVeel mensen gaan naar de huisarts met klachten die met "
            "eenzaamheid te maken hebben.\n\n## Aanpak\n\n" + " ".join(rng.sample(MIDDLE, 4))
            + "\n\n## Resultaten\n\nDeelnemers voelen zich minder alleen.\n")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gemeenten", type=int, required=True)
    parser.add_argument("--activiteiten", type=int, required=True, help="activities per gemeente")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    counts = generate(args.out, args.gemeenten, args.activiteiten, args.seed)
    print(", ".join(f"{v} {k}" for k, v in counts.items()), "->", args.out, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
