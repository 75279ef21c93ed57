"""Import an existing sociale kaart: Open Referral HSDS and spreadsheets (CSV).

Both importers turn the input into *drafts* (entry kind, slug, Dutch field data) and a list
of Dutch notes about every value that could not be taken over; ``writer.py`` writes the drafts
as YAML files. Input that cannot be imported (no JSON, no CSV, a value of the wrong type in
the HSDS document or the mapping) raises ``ImportError_`` with diagnostics (file, line,
column, field) before anything is written.

- ``common.py``: drafts, results, the error, slugs, checks and schedule rules both importers use
- ``match.py``: taxonomy terms and existing entries that imported names and words match
- ``nl_text.py``: Dutch free text (days, times, costs, dates)
- ``jsonread.py``: JSON with line and column of every problem, within limits
- ``hsds_document.py``, ``hsds_values.py``, ``hsds.py``: an HSDS file, the parts of its
  objects, and the objects, to drafts
- ``csvmapping.py``, ``spreadsheet.py``: the mapping file, and a spreadsheet read with it
- ``writer.py``: drafts as YAML files, merged with existing ones on ``--update``

The importers use nothing from ``outputs/`` but ``csvsafe`` (which cells a spreadsheet runs as
a formula); the mapping to Open Referral that they share with the export is
model/openreferral.py.
"""
