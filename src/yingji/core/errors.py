"""The domain errors services raise; the API maps them to HTTP statuses."""


class YingjiError(Exception):
    """Base of every domain error; `errors` maps a field name to its messages; `extra` holds machine-readable
    facts the API adds to the answer (a refused move's `allowed` states)."""

    status = 400

    def __init__(
        self, detail: str, errors: dict[str, list[str]] | None = None, extra: dict[str, object] | None = None
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or {}
        self.extra = extra or {}


class ValidationFailed(YingjiError):
    status = 400


class NotAllowed(YingjiError):
    status = 403


class Conflict(YingjiError):
    status = 409
