"""The one exception type an ingester raises for input a person must fix."""


class InputError(Exception):
    """Bad input: `stage` says where it was noticed, `message` what to do about it."""

    def __init__(self, stage: str, message: str):
        super().__init__(message)
        self.stage = stage
        self.message = message
