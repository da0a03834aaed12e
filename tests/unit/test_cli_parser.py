"""The command line builds only the parser of the command it names (desk.cli.one_command),
and that parser is the one every command had when all were built."""

from __future__ import annotations

import argparse

import pytest

from desk.cli import build_parser, main


def commands_of(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The top-level commands of `parser` by name."""
    found = [action for action in parser._actions
             if isinstance(action, argparse._SubParsersAction)]
    return dict(found[0].choices)


def everything(parser: argparse.ArgumentParser) -> list[str]:
    """The help of a command and of every action under it, depth first."""
    texts = [parser.format_help()]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                texts += everything(command)
    return texts


def test_a_command_line_gets_only_its_command_built_the_same_as_before():
    every = commands_of(build_parser())
    assert len(every) > 30
    for name, full in every.items():
        alone = commands_of(build_parser([name, "--format", "json"]))
        assert list(alone) == [name]
        assert everything(alone[name]) == everything(full)


@pytest.mark.parametrize(("argv", "command"), [
    (["--db", "sqlite:///ls", "show", "1"], "show"),
    (["--db=sqlite:///x", "statuses", "Inbox", "add", "Done"], "statuses"),
    (["--config", "/tmp/ls", "--ssh-key", "SHA256:x", "ls", "--limit", "5"], "ls"),
])
def test_the_options_before_the_command_do_not_hide_it(argv, command):
    assert list(commands_of(build_parser(argv))) == [command]


@pytest.mark.parametrize("argv", [["--help"], ["--db", "sqlite:///x", "-h"], ["nosuch"]])
def test_the_help_and_an_unknown_word_get_every_command(argv):
    assert commands_of(build_parser(argv)).keys() == commands_of(build_parser()).keys()


@pytest.mark.parametrize("argv", [[], ["--db", "sqlite:///x"], ["--ssh-agent", "ann"]])
def test_a_line_that_starts_the_app_builds_no_command(argv):
    parser = build_parser(argv)
    assert commands_of(parser) == {}
    args = parser.parse_args(argv)
    assert args.command is None and args.handler.__name__ == "show_home"


def test_the_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    listed = capsys.readouterr().out
    assert all(f"\n    {name} " in listed for name in commands_of(build_parser()))


def test_an_unknown_command_is_refused_with_the_whole_list(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["nosuch"])
    assert exit_.value.code == 2
    error = capsys.readouterr().err
    assert "invalid choice: 'nosuch'" in error
    assert all(f"'{name}'" in error for name in ("ls", "statuses", "import", "forme"))


def test_options_before_the_command_that_cannot_be_read_are_refused_by_desk(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--db"])
    assert exit_.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("usage: desk ") and "argument --db: expected one argument" in error
