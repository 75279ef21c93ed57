"""GitHub workflows and pre-commit hooks: parsed, and the key steps are there."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from sociale_kaart.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict) -> list[dict]:
    return [s for job in workflow["jobs"].values() for s in job["steps"]]


def commands(workflow: dict) -> list[str]:
    """Every shell command line of every run step."""
    out = []
    for step in steps(workflow):
        for line in step.get("run", "").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                out.append(line)
    return out


def sociale_kaart_calls(workflow: dict) -> list[list[str]]:
    calls = []
    for line in commands(workflow):
        for part in re.split(r"\s*(?:&&|\||;)\s*", line):
            words = shlex.split(part.split(">")[0]) if "sociale-kaart" in part else []
            if words and words[0] == "sociale-kaart":
                calls.append(words[1:])
    return calls


@pytest.mark.parametrize("name", ["pr.yml", "stale.yml", "rebuild.yml"])
def test_workflow_shape(name: str) -> None:
    wf = load(name)
    assert wf["name"]
    assert "permissions" in wf
    for job in wf["jobs"].values():
        assert job["runs-on"].startswith("ubuntu")
        assert job["timeout-minutes"] <= 30


@pytest.mark.parametrize("name", ["pr.yml", "stale.yml"])
def test_cli_calls_in_workflows_are_valid(name: str) -> None:
    """Every `sociale-kaart ...` in a workflow parses with the real argument parser."""
    parser = build_parser()
    calls = sociale_kaart_calls(load(name))
    assert calls
    for call in calls:
        args = parser.parse_args(call)
        assert args.func


def test_pr_checks_and_builds() -> None:
    wf = load("pr.yml")
    assert "pull_request" in wf["on"]
    uses = [s.get("uses", "") for s in steps(wf)]
    assert any(u.startswith("actions/checkout@") for u in uses)
    setup = next(s for s in steps(wf) if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(setup["with"]["python-version"]) == "3.11"
    cmds = commands(wf)
    install = cmds.index(PINNED_INSTALL)
    check = next(i for i, c in enumerate(cmds) if c.startswith("sociale-kaart check"))
    build = next(i for i, c in enumerate(cmds) if c.startswith("sociale-kaart build"))
    assert install < check < build
    assert "--format github" in cmds[check]
    assert any(c.startswith("sociale-kaart codeowners --check") for c in cmds)
    assert wf["permissions"] == {"contents": "read"}


PINNED_INSTALL = "pip install -c constraints.txt --build-constraint constraints.txt ."


def test_pr_runs_the_gates_and_tests_on_a_clean_debian() -> None:
    """The pull request also runs .ci/run (ruff, mypy, a non-editable build, pytest) in the
    Debian image CI uses, where apt-get can install Chromium."""
    job = load("pr.yml")["jobs"]["tests"]
    assert job["container"].startswith("python:3.11")
    assert [s["run"] for s in job["steps"] if "run" in s] == ["bash .ci/run"]


@pytest.mark.parametrize("name", ["pr.yml", "stale.yml"])
def test_actions_are_on_current_major_versions(name: str) -> None:
    """Node 20 actions are deprecated on GitHub's runners: checkout and setup-python v6 run
    on Node 24."""
    current = {"actions/checkout": 6, "actions/setup-python": 6}
    for step in steps(load(name)):
        action, _, version = step.get("uses", "").partition("@")
        if action in current:
            assert version == f"v{current[action]}", step["uses"]


def test_workflow_installs_are_pinned() -> None:
    for name in ("pr.yml", "stale.yml"):
        assert PINNED_INSTALL in commands(load(name)), name


def test_stale_issue_weekly_with_gh() -> None:
    wf = load("stale.yml")
    cron = wf["on"]["schedule"][0]["cron"].split()
    assert len(cron) == 5 and cron[4] != "*"  # one day of the week
    assert "workflow_dispatch" in wf["on"]
    assert wf["permissions"]["issues"] == "write"
    text = "\n".join(commands(wf))
    assert "sociale-kaart rapport --format markdown --onderdeel versheid" in text
    assert "gh issue edit" in text and "gh issue create" in text and "gh issue close" in text
    assert "gh issue list" in text  # finds the one existing issue instead of opening another
    env = next(iter(wf["jobs"].values()))["env"]
    assert env["GH_TOKEN"] == "${{ github.token }}"


def test_rebuild_posts_to_the_build_hook_daily() -> None:
    wf = load("rebuild.yml")
    cron = wf["on"]["schedule"][0]["cron"].split()
    assert cron[2:] == ["*", "*", "*"]  # every day
    step = steps(wf)[0]
    assert step["env"]["NETLIFY_BUILD_HOOK"] == "${{ secrets.NETLIFY_BUILD_HOOK }}"
    assert re.search(r'curl .*-X POST .*"\$NETLIFY_BUILD_HOOK"', step["run"])
    assert wf["permissions"] == {}


def test_pre_commit_runs_check_on_content_changes() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    hook = hooks["sociale-kaart-check"]
    assert config["repos"][0]["repo"] == "local"
    assert re.search(hook["files"], "content/activiteiten/kampen/x.yaml")
    assert not re.search(hook["files"], "sociale_kaart/cli/__init__.py")
    assert hook["pass_filenames"] is False
    words = shlex.split(hook["entry"])
    assert words[:3] == ["python", "-m", "sociale_kaart"]
    assert build_parser().parse_args(words[3:]).func
    owners = shlex.split(hooks["sociale-kaart-codeowners"]["entry"])
    assert build_parser().parse_args(owners[3:]).func


def test_pre_commit_hooks_manifest() -> None:
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in manifest if h["id"] == "sociale-kaart-check")
    assert hook["language"] == "python"  # pre-commit installs this package for the hook
    assert shlex.split(hook["entry"])[:2] == ["sociale-kaart", "check"]
    assert re.search(hook["files"], "content/gemeenten/kampen.yaml")
