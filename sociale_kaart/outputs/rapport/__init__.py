"""The report for maintainers and policy makers (``sociale-kaart rapport`` and ``/rapport/``).

One ``Rapport`` is computed from the ``Kaart`` (``data.py``) and shown in several ways: as
text, Markdown, JSON and CSV (``formats.py``) and as pages of the built site (``pages.py``).
The command itself is ``cli/rapport.py``.
"""
