"""Each source's file layout: its columns, record ids and delivery dates (both profiles)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from geodata.sample_data.records import DATE_TYPE, SourceRecords, repeat_deliveries


def county_gis_file(
    records: pd.DataFrame,
    dates: tuple[date, ...],
    house_number: np.ndarray,
    street: np.ndarray,
    unit: np.ndarray,
    city: np.ndarray,
    zip_code: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
) -> SourceRecords:
    """The county's address points file: numbered OBJECTIDs, one snapshot per date
    (`EDIT_DATE`, ISO text); an empty street is written as null."""
    ids = np.arange(1, len(records) + 1, dtype=np.int64)
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
    delivered = repeat_deliveries(records, frame, [d.isoformat() for d in dates], "EDIT_DATE")
    return SourceRecords(delivered, records, ids.astype(str).astype(object), dates)


def vendor_acme_file(
    records: pd.DataFrame,
    dates: tuple[date, ...],
    house_number: np.ndarray,
    street: np.ndarray,
    unit: np.ndarray,
    city: np.ndarray,
    state: np.ndarray,
    postal: np.ndarray,
    country: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
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
    delivered = repeat_deliveries(records, frame, dates, "file_dt")
    delivered["file_dt"] = delivered["file_dt"].astype(DATE_TYPE)
    return SourceRecords(delivered, records, ids, dates)


def open_data_file(
    records: pd.DataFrame, dates: tuple[None], address: np.ndarray, lon: np.ndarray, lat: np.ndarray
) -> SourceRecords:
    """The city's open-data export: numbered ids, one free-text address, no date column."""
    ids = np.arange(1, len(records) + 1, dtype=np.int64)
    frame = pd.DataFrame({"id": ids, "address": address, "lon": lon, "lat": lat})
    return SourceRecords(frame, records, ids.astype(str).astype(object), dates)


def fi_open_data_file(
    records: pd.DataFrame,
    dates: tuple[date, ...],
    text: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
) -> SourceRecords:
    """The Finnish register's file: ids from 1000001, one address text, one snapshot per
    date (`paivitetty`, ISO text)."""
    ids = np.arange(1_000_001, 1_000_001 + len(records), dtype=np.int64)
    frame = pd.DataFrame({"osoite_id": ids, "osoite": text, "lon": lon, "lat": lat})
    delivered = repeat_deliveries(records, frame, [d.isoformat() for d in dates], "paivitetty")
    return SourceRecords(delivered, records, ids.astype(str).astype(object), dates)
