"""Shared fixtures: the synthetic test content and a site built from it once per session."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from .browser import browser, site_server  # noqa: F401 - browser fixtures for all tests
from .test_search_browser import search_page  # noqa: F401 - for both search browser test files

FIXTURE = Path(__file__).parent / "fixtures" / "kaart"
TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 8, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture(scope="session", autouse=True)
def user_cache(tmp_path_factory: pytest.TempPathFactory):
    """The user's cache folder (``cache.default_base``, where ``check`` and ``build`` keep their
    caches by default) is a temporary folder: tests never touch the real one."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("user-cache")
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


@pytest.fixture(scope="session")
def fixture_content() -> Path:
    return FIXTURE


@pytest.fixture()
def content_copy(tmp_path: Path) -> Path:
    """A private copy of the fixture content that a test may change."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture content built once (with search index) into a temporary folder."""
    from sociale_kaart.site.build import BuildOptions, build

    out = tmp_path_factory.mktemp("site") / "public"
    result = build(BuildOptions(content=FIXTURE, out=out, today=TODAY, now=NOW))
    assert result.ok, [d.text() for d in result.diagnostics if d.is_error]
    return out
