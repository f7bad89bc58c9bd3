"""Watchlist importers: each turns a publisher's file into nominal records + a report."""

from screening.formats.watchlists.notices import read_notices
from screening.formats.watchlists.ofac import read_ofac_sdn
from screening.formats.watchlists.result import ImportReport, ImportResult
from screening.formats.watchlists.un import read_un_consolidated

__all__ = [
    "ImportReport",
    "ImportResult",
    "read_notices",
    "read_ofac_sdn",
    "read_un_consolidated",
]
