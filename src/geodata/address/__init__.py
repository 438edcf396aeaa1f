"""Pure-Python address parsing and normalization (no Spark): one record in, canonical parts out.

Entry point: normalize_address; see NormalizedAddress for the fields and REJECT_REASONS for the
reason codes.
"""

from geodata.address.normalize import REJECT_REASONS, NormalizedAddress, normalize_address

__all__ = ["REJECT_REASONS", "NormalizedAddress", "normalize_address"]
