"""Errors are values until the CLI edge: core code raises these, only the CLI turns them into exit codes."""

from __future__ import annotations

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C


class FedkitError(Exception):
    """A failure with a message meant for a person; `exit_code` is what the CLI exits with."""

    exit_code = EXIT_CHECK_FAILED

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(FedkitError):
    """Bad arguments, bad names or bad values given by the user."""

    exit_code = EXIT_USAGE


class ConfigError(UsageError):
    """The project config cannot be read or does not validate."""


class CheckFailed(FedkitError):
    """A check ran and found problems (stale files, lint findings, parity mismatches)."""

    exit_code = EXIT_CHECK_FAILED


class CloudError(FedkitError):
    """A cloud or sandbox call failed; the message names the step and what to do."""

    exit_code = EXIT_CHECK_FAILED


class EngineUnavailable(CloudError):
    """The engine cannot be reached at all, so nothing else will run on it either: a suite stops at the first one
    instead of repeating the same message for every query."""


class MissingCredentials(EngineUnavailable):
    """No credentials for a cloud: a set-up error the user fixes before anything can run (exit 2, like config)."""

    exit_code = EXIT_USAGE
