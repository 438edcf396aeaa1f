"""Each source's file layout: its columns, record ids and delivery dates (both profiles).

Every function takes the source's planned `records` (see `records.plan_records`), its
delivery `dates` and one array per record for each of the file's address columns, in
the file's column order, and returns the delivered rows with what the truth needs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geodata.sample_data.records import DATE_TYPE, SourceRecords, repeat_deliveries


def _numbered(records: pd.DataFrame, first: int = 1) -> np.ndarray:
    return np.arange(first, first + len(records), dtype=np.int64)


def _dated(records, frame, ids, dates, column: str, *, iso: bool) -> SourceRecords:
    """`frame` once per delivery, dated in `column` (ISO text or a date column)."""
    if iso:
        delivered = repeat_deliveries(records, frame, [d.isoformat() for d in dates], column)
    else:
        delivered = repeat_deliveries(records, frame, dates, column)
        delivered[column] = delivered[column].astype(DATE_TYPE)
    return SourceRecords(delivered, records, ids.astype(str).astype(object), dates)


def county_gis_file(
    records, dates, house_number, street, unit, city, zip_code, lon, lat
) -> SourceRecords:
    """The county's address points: numbered OBJECTIDs, an empty street written as null,
    one snapshot per date (`EDIT_DATE`, ISO text)."""
    ids = _numbered(records)
    frame = pd.DataFrame(
        {
            "OBJECTID": ids,
            "ADDNUM": house_number,
            "FULLNAME": np.where(street == "", None, street),
            "UNIT": unit,
            "CITY": city,
            "STATE": "CA",
            "ZIP": zip_code,
            "X": lon,
            "Y": lat,
        }
    )
    return _dated(records, frame, ids, dates, "EDIT_DATE", iso=True)


def vendor_acme_file(
    records, dates, house_number, street, unit, city, state, postal, country, lon, lat
) -> SourceRecords:
    """The vendor's file: `ACME-0000001` ids, one file per date (`file_dt`, a date)."""
    ids = np.array([f"ACME-{i:07d}" for i in range(1, len(records) + 1)], dtype=object)
    frame = pd.DataFrame(
        {
            "rec_id": ids,
            "house_no": house_number,
            "street_nm": street,
            "sec_unit": unit,
            "city_nm": city,
            "state_prov": state,
            "postal_cd": postal,
            "ctry": country.astype(object),
            "longitude": lon,
            "latitude": lat,
        }
    )
    return _dated(records, frame, ids, dates, "file_dt", iso=False)


def open_data_file(records, dates, address, lon, lat) -> SourceRecords:
    """The city's open-data export: numbered ids, one free-text address, no date column."""
    ids = _numbered(records)
    frame = pd.DataFrame({"id": ids, "address": address, "lon": lon, "lat": lat})
    return SourceRecords(frame, records, ids.astype(str).astype(object), dates)


def fi_open_data_file(records, dates, text, lon, lat) -> SourceRecords:
    """The Finnish register: ids from 1000001, one address text, one snapshot per date
    (`paivitetty`, ISO text)."""
    ids = _numbered(records, 1_000_001)
    frame = pd.DataFrame({"osoite_id": ids, "osoite": text, "lon": lon, "lat": lat})
    return _dated(records, frame, ids, dates, "paivitetty", iso=True)


def gb_open_data_file(
    records, dates, sub_building, number, street, town, postcode, lon, lat
) -> SourceRecords:
    """The British register: UPRNs from 10000000001, flats as sub-building names, an empty
    street written as null, no date column."""
    ids = _numbered(records, 10_000_000_001)
    frame = pd.DataFrame(
        {
            "uprn": ids,
            "sub_building": sub_building,
            "building_number": number,
            "thoroughfare": np.where(street == "", None, street),
            "post_town": town,
            "postcode": postcode,
            "longitude": lon,
            "latitude": lat,
        }
    )
    return SourceRecords(frame, records, ids.astype(str).astype(object), dates)


def postal_directory_file(records, dates, line, admin_area, country, lon, lat) -> SourceRecords:
    """The postal directory: `DP000000001` ids, one address line, postcode-centroid points,
    one file per date (`as_of`, a date)."""
    ids = np.array([f"DP{i:09d}" for i in range(1, len(records) + 1)], dtype=object)
    frame = pd.DataFrame(
        {
            "delivery_point_id": ids,
            "address_line": line,
            "admin_area": admin_area.astype(object),
            "country_code": country.astype(object),
            "pc_lon": lon,
            "pc_lat": lat,
        }
    )
    return _dated(records, frame, ids, dates, "as_of", iso=False)
