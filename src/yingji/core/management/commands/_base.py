from django.core.management.base import CommandError

from yingji.core.errors import YingjiError


def command_error(exc: YingjiError) -> CommandError:
    """A domain error as a CLI error: bad input exits 2 with the message."""
    return CommandError(exc.detail, returncode=2)
