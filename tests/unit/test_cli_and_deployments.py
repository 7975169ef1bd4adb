"""Every CLI command is documented in the README; prefect.yaml's entrypoints import."""

from __future__ import annotations

import typer.main

from tests.conftest import ROOT
from whitehall.cli import app


def _command_paths(group, prefix: str = "") -> list[str]:
    paths = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):  # a group (typer may ship its own click)
            paths += _command_paths(command, f"{prefix}{name} ")
        else:
            paths.append(f"{prefix}{name}")
    return paths


def test_every_command_is_documented_in_the_readme_with_an_example():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = _command_paths(typer.main.get_command(app))
    assert "run nightly" in commands and "parse" in commands  # the walk found them
    for path in commands:
        assert f"`whitehall {path}" in readme, f"`whitehall {path}` is not documented in README.md"


def test_every_command_has_a_one_line_help_with_an_example():
    group = typer.main.get_command(app)

    def walk(cmd):
        if hasattr(cmd, "commands"):
            for sub in cmd.commands.values():
                yield from walk(sub)
        else:
            yield cmd

    for command in walk(group):
        assert command.help and "Example:" in command.help, command.name


def test_prefect_yaml_entrypoints_import_and_schedules_are_as_declared():
    from flows.serve import read_deployments, runner_deployments

    specs = {d["name"]: d for d in read_deployments()}
    assert specs["nightly"]["schedules"][0] == {"cron": "30 2 * * *", "timezone": "Europe/London"}
    built = {d.name: d for d in runner_deployments()}
    assert set(built) == set(specs)
    for name, deployment in built.items():
        assert deployment.description
        crons = [(s.schedule.cron, s.schedule.timezone) for s in deployment.schedules]
        assert crons == [(s["cron"], s["timezone"]) for s in specs[name].get("schedules", [])]
