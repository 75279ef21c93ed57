"""Fuzzing the importers: mutated HSDS, CSV and mapping files never crash them.

Seeded and bounded (a few hundred cases, well under 30 seconds): every mutation of the files
in ``tests/fixtures/import/`` either imports or is refused with Dutch diagnostics, never a
Python exception; the drafts it produces can be written as YAML; and the command itself
(``sociale-kaart import``, on a share of the cases) exits 0 or 1, never 2.
"""

from __future__ import annotations

import copy
import json
import random
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from sociale_kaart.cli import main
from sociale_kaart.importers.common import ImportError_, ImportResult
from sociale_kaart.importers.csvmapping import load_mapping
from sociale_kaart.importers.hsds import import_hsds
from sociale_kaart.importers.hsds_document import read_hsds
from sociale_kaart.importers.match import Vocabularies
from sociale_kaart.importers.spreadsheet import import_csv
from sociale_kaart.importers.writer import ordered, to_yaml
from sociale_kaart.pipeline.load import load_content

ROOT = Path(__file__).parent
IMPORT = ROOT / "fixtures" / "import"
FIXTURE = ROOT / "fixtures" / "kaart"
TODAY = date(2026, 11, 22)
SEED = 20261122
HSDS_FILES = ("vechtstad-hsds.json", "buurtwerk-hsds.json")
CASES = 250  # per kind of file
CLI_EVERY = 12  # one case in this many also runs the whole command

JUNK: list[Any] = [None, True, False, 0, -1, 7, 2.5, -0.0, 1e300, "", " ", "x", "=1+1",
                   "+cmd|' /C calc'!A0", "\u0000", "\u2028", "😀" * 3, "a" * 500, [], {}, [None],
                   ["x"], [[[]]], {"a": {"b": ["c"]}}, {"name": ["x"]}, [{"id": 5}], "WEEKLY",
                   "MO,XX", "25:99", "2026-02-31", "06 12345678", "NL", "active", "zonder-id-1",
                   "aanmelden", "sociale-kaart-kenmerken", {"taxonomy": ["x"], "code": {}},
                   {"number": {"x": 1}}, "\ud800"]


@pytest.fixture(scope="module")
def setting():
    loaded = load_content(FIXTURE)
    gemeente = next(g for g in loaded.entries["gemeente"] if g.slug == "vechtstad")
    return Vocabularies(loaded.taxonomies), gemeente


def _paths(data: Any, path: tuple = ()) -> list[tuple]:
    out = [path]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*path, i))
    return out


def _get(data: Any, path: tuple) -> Any:
    for step in path:
        data = data[step]
    return data


def _mutate_data(rng: random.Random, data: Any, rounds: int) -> Any:
    data = copy.deepcopy(data)
    for _ in range(rounds):
        paths = [p for p in _paths(data) if p]
        if not paths:
            return data
        path = rng.choice(paths)
        parent, key = _get(data, path[:-1]), path[-1]
        value = parent[key]
        op = rng.randrange(6)
        if op == 0 and isinstance(parent, dict):
            del parent[key]
        elif op == 1:
            parent[key] = [value]
        elif op == 2 and isinstance(value, (list, dict)) and value:
            parent[key] = next(iter(value.values())) if isinstance(value, dict) else value[0]
        elif op == 3 and isinstance(value, (list, dict)):
            parent[key] = json.dumps(value)[:50]
        else:
            parent[key] = copy.deepcopy(rng.choice(JUNK))
    return data


def _mutate_text(rng: random.Random, raw: bytes) -> bytes:
    op = rng.randrange(8)
    at = rng.randrange(len(raw) + 1)
    if op == 0:
        return raw[:at]
    if op == 1:
        return raw[:at] + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 20))) + raw[at:]
    if op == 2:
        return raw[:at] + b"[" * rng.choice((60, 2000, 100_000)) + raw[at:]
    if op == 3:
        return raw[:at] + b'"\\ud83d x"' + raw[at:]
    if op == 4:
        return raw.replace(b"1", b"9" * rng.choice((31, 5000)), 1)
    if op == 5:
        return raw.replace(b'"', b"", rng.randrange(1, 5))
    if op == 6:
        return b"\xef\xbb\xbf" + raw
    return bytes(rng.randrange(256) for _ in range(rng.randrange(200)))


def _writable(result: ImportResult) -> None:
    """What ``write_drafts`` does with the drafts, without the files."""
    for draft in result.drafts:
        to_yaml(ordered(draft.kind, draft.data)).encode("utf-8")
    "\n".join(result.notes).encode("utf-8")


def _check_cli(tmp_path: Path, capsys, args: list[str], label: str) -> None:
    content = tmp_path / "content"
    if content.exists():
        shutil.rmtree(content)
    content.mkdir()
    shutil.copy(FIXTURE / "site.yaml", content / "site.yaml")
    for folder in ("taxonomie", "gemeenten", "organisaties"):
        shutil.copytree(FIXTURE / folder, content / folder)
    code = main(["import", *args, "--gemeente", "vechtstad", "--content", str(content),
                 "--vandaag", TODAY.isoformat()])
    out, err = capsys.readouterr()
    assert code in (0, 1), (label, err[-2000:])
    assert "Traceback" not in out + err and "generator zelf" not in err, (label, err[-2000:])
    if code == 1 and "Importeren lukt niet" in err:
        assert "Er is niets geschreven." in err
        assert not list((content / "activiteiten").rglob("*.yaml")), label


def test_mutated_hsds_never_crashes(setting, tmp_path, capsys):
    vocab, gemeente = setting
    rng = random.Random(SEED)
    sources = {name: (IMPORT / name).read_bytes() for name in HSDS_FILES}
    parsed = {name: json.loads(raw) for name, raw in sources.items()}
    refused = imported = 0
    for case in range(CASES):
        name = rng.choice(HSDS_FILES)
        if rng.random() < 0.7:
            raw = json.dumps(_mutate_data(rng, parsed[name], rng.randrange(1, 6)),
                             ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")
        else:
            raw = _mutate_text(rng, sources[name])
        label = f"HSDS case {case} of seed {SEED} ({name})"
        try:
            result = import_hsds(read_hsds(raw, "x.json"), vocab, gemeente, TODAY, "Test")
        except ImportError_ as exc:
            refused += 1
            assert exc.diagnostics and all(d.file == "x.json" and d.message for d in exc.diagnostics)
        else:
            imported += 1
            _writable(result)
        if case % CLI_EVERY == 0:
            source = tmp_path / "import.json"
            source.write_bytes(raw)
            _check_cli(tmp_path, capsys, ["hsds", str(source)], label)
    assert refused > 20 and imported > 20  # the mutations reach both outcomes


def _mutate_csv(rng: random.Random, text: str) -> bytes:
    rows = [line.split(";") for line in text.splitlines()]
    for _ in range(rng.randrange(1, 5)):
        op = rng.randrange(7)
        r = rng.randrange(len(rows))
        if op <= 2 and rows[r]:
            c = rng.randrange(len(rows[r]))
            rows[r][c] = rng.choice(["", "=1+1", "@SUM(A1)", "-", "+31 6 12345678", "x" * 140_000,
                                     "\x00", '"', 'a"b', '"a\nb"', "\r", "😀", "€ 2,50",
                                     "99:99", "31-02-2026", "2e woensdag", "laatste xx",
                                     "Dinsdag", "x" * 5000, "\u2028", "06-1234", "gratis"])
        elif op == 3:
            del rows[r]
        elif op == 4 and rows[r]:
            del rows[r][rng.randrange(len(rows[r]))]
        elif op == 5:
            rows.insert(r, rows[rng.randrange(len(rows))][:])
        else:
            rows[r] = rows[r] + ["extra"] * rng.randrange(1, 4)
    out = "\n".join(";".join(row) for row in rows if row is not None)
    encoding = rng.choice(["utf-8", "utf-8-sig", "cp1252", "utf-16"])
    raw = out.encode(encoding, errors="replace")
    if rng.random() < 0.15:
        raw = _mutate_text(rng, raw)
    return raw


MAPPED_FIELDS = ["themas", "doelgroepen", "toegankelijkheid", "dagen", "kosten", "aanmelden",
                 "status", "tijd", "frequentie", "welzijn_op_recept", "plek_soort",
                 "organisatie_soort", "kern", "plaats"]


def _mutate_mapping(rng: random.Random, data: dict) -> str:
    """Junk in the mapping, mostly where the importer uses the values ('standaard', 'waarden')."""
    data = copy.deepcopy(data)
    for _ in range(rng.randrange(1, 4)):
        section = rng.choice(["standaard", "waarden", "waarden", "kolommen", "scheidingsteken", ""])
        target = data.get(section)
        if not section:
            data = _mutate_data(rng, data, 1)
        elif isinstance(target, dict) and target and rng.random() < 0.9:
            key = rng.choice(list(target) + MAPPED_FIELDS)
            if section == "waarden":
                table = target.setdefault(key, {})
                if not isinstance(table, dict):
                    table = target[key] = {}
                table[rng.choice([*table, "Dinsdag", "Gratis", "55+", "ja"])] = \
                    copy.deepcopy(rng.choice(JUNK))
            else:
                target[key] = copy.deepcopy(rng.choice(JUNK))
        else:
            data[section] = copy.deepcopy(rng.choice(JUNK))
    return yaml.safe_dump(data, allow_unicode=True)


def test_mutated_csv_and_mapping_never_crash(setting, tmp_path, capsys):
    vocab, gemeente = setting
    rng = random.Random(SEED)
    text = (IMPORT / "vechtstad-aanbod.csv").read_text(encoding="utf-8")
    mapping_data = yaml.safe_load((IMPORT / "vechtstad-mapping.yaml").read_text(encoding="utf-8"))
    good_mapping = load_mapping(IMPORT / "vechtstad-mapping.yaml")
    refused = imported = 0
    for case in range(CASES):
        which = rng.random()  # the spreadsheet, the mapping or both
        raw = _mutate_csv(rng, text) if which < 0.65 else text.encode("utf-8")
        mapping_file = IMPORT / "vechtstad-mapping.yaml"
        mapping = good_mapping
        if which >= 0.5:
            mapping_file = tmp_path / f"mapping-{case % 2}.yaml"
            mapping_file.write_text(_mutate_mapping(rng, mapping_data), encoding="utf-8")
        label = f"CSV case {case} of seed {SEED}"
        try:
            if mapping_file.parent == tmp_path:
                mapping = load_mapping(mapping_file)
            result = import_csv(raw, mapping, vocab, gemeente, TODAY, "Test", source="x.csv")
        except ImportError_ as exc:
            refused += 1
            assert exc.diagnostics and all(d.message for d in exc.diagnostics), label
        else:
            imported += 1
            _writable(result)
        if case % CLI_EVERY == 0:
            source = tmp_path / "import.csv"
            source.write_bytes(raw)
            _check_cli(tmp_path, capsys, ["csv", str(source), "--mapping", str(mapping_file)], label)
    assert refused > 20 and imported > 20
