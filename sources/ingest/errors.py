"""The one error the ingester raises."""


class IngestError(ValueError):
    """A document cannot be ingested; the message is shown to the user as is, so it names the problem."""
