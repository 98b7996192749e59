import argparse
import ipaddress


def port_arg(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port must be a number from 1 to 65535, not {value!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be from 1 to 65535, not {port}")
    return port


def host_arg(value: str) -> str:
    if value == "localhost":
        return value
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"host must be an IP address or localhost, not {value!r}") from None
    return value


MAX_WEB_WORKERS = 64


def workers_arg(value: str) -> int:
    try:
        workers = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"workers must be a number from 1 to {MAX_WEB_WORKERS}, not {value!r}"
        ) from None
    if not 1 <= workers <= MAX_WEB_WORKERS:
        raise argparse.ArgumentTypeError(f"workers must be from 1 to {MAX_WEB_WORKERS}, not {workers}")
    return workers
