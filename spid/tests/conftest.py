import pytest

from .providers import providers_start


@pytest.fixture
def providers(db, settings, monkeypatch):
    """Our relying party with the demo SPID and CIE providers answering in-process."""
    return providers_start(settings, monkeypatch)
