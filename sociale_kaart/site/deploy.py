"""Where the site is published: its base URL, whether it is a preview, its repository.

One place decides this for a build, from (in this order) the ``--base-url`` option,
``content/site.yaml`` and the environment Netlify sets during its builds:

* ``URL``: the site's main address, used for production deploys (``CONTEXT=production``);
* ``DEPLOY_PRIME_URL``: the address of this deploy preview or branch deploy. Previews are
  marked ``noindex`` (a robots meta tag on every page, and a robots.txt that disallows
  everything), so search engines never list a preview;
* ``REPOSITORY_URL``: the repository (for the edit links and the Decap admin).

Without any base URL the site still works (its links are relative), but it has no canonical
links and no sitemap: a sitemap must list absolute URLs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from sociale_kaart.model.entries import Site

PREVIEW_CONTEXTS = ("deploy-preview", "branch-deploy")


@dataclass(frozen=True)
class Deploy:
    base_url: str | None  # "https://example.nl" (no trailing slash), or None when unknown
    source: str  # where base_url came from: "--base-url", "site.yaml", "URL", "DEPLOY_PRIME_URL"
    preview: bool  # a Netlify deploy preview or branch deploy: not for search engines
    repository: str | None

    @property
    def root_path(self) -> str:
        """The path of the site's root on its host ("/" or "/sociale-kaart/")."""
        path = urlsplit(self.base_url).path if self.base_url else ""
        return path.rstrip("/") + "/"


def _http_url(value: str | None) -> str | None:
    if not value:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return value.strip().rstrip("/")


def deploy_settings(site: Site, base_url_option: str | None,
                    environ: Mapping[str, str]) -> Deploy:
    """The publication settings of one build (see the module's docstring)."""
    netlify = environ.get("NETLIFY") == "true"
    context = environ.get("CONTEXT", "") if netlify else ""
    preview = context in PREVIEW_CONTEXTS
    base, source = _http_url(base_url_option), "--base-url"
    if base is None:
        base, source = _http_url(site.basis_url), "site.yaml"
    if base is None and netlify:
        name = "URL" if context == "production" else "DEPLOY_PRIME_URL"
        base, source = _http_url(environ.get(name)), name
    repository = site.repository
    if repository is None and environ.get("REPOSITORY_URL", "").startswith("https://"):
        repository = _http_url(environ["REPOSITORY_URL"])
    return Deploy(base, source if base else "", preview, repository)
