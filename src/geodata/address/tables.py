"""Lookup tables for address normalization: street suffixes, directionals, unit designators.

Facts only (USPS abbreviations and a few country aliases); the parsers live in sibling modules.
"""

from __future__ import annotations

# USPS Publication 28, Appendix C1 (street suffix abbreviations). Keyed by the USPS standard
# abbreviation; the values are the primary name and the common variants USPS maps onto it.
# Every abbreviation also maps to itself, so normalized output parses back unchanged.
_SUFFIX_VARIANTS: dict[str, tuple[str, ...]] = {
    "ALY": ("ALLEY", "ALLEE", "ALLY"),
    "ANX": ("ANEX", "ANNEX", "ANNX"),
    "ARC": ("ARCADE",),
    "AVE": ("AVENUE", "AV", "AVEN", "AVENU", "AVN", "AVNUE"),
    "BYU": ("BAYOU", "BAYOO"),
    "BCH": ("BEACH",),
    "BND": ("BEND",),
    "BLF": ("BLUFF", "BLUF"),
    "BLFS": ("BLUFFS",),
    "BTM": ("BOTTOM", "BOT", "BOTTM"),
    "BLVD": ("BOULEVARD", "BOUL", "BOULV"),
    "BR": ("BRANCH", "BRNCH"),
    "BRG": ("BRIDGE", "BRDGE"),
    "BRK": ("BROOK",),
    "BRKS": ("BROOKS",),
    "BG": ("BURG",),
    "BGS": ("BURGS",),
    "BYP": ("BYPASS", "BYPA", "BYPAS", "BYPS"),
    "CP": ("CAMP", "CMP"),
    "CYN": ("CANYON", "CANYN", "CNYN"),
    "CPE": ("CAPE",),
    "CSWY": ("CAUSEWAY", "CAUSWA"),
    "CTR": ("CENTER", "CEN", "CENT", "CENTR", "CENTRE", "CNTER", "CNTR"),
    "CTRS": ("CENTERS",),
    "CIR": ("CIRCLE", "CIRC", "CIRCL", "CRCL", "CRCLE"),
    "CIRS": ("CIRCLES",),
    "CLF": ("CLIFF",),
    "CLFS": ("CLIFFS",),
    "CLB": ("CLUB",),
    "CMN": ("COMMON",),
    "CMNS": ("COMMONS",),
    "COR": ("CORNER",),
    "CORS": ("CORNERS",),
    "CRSE": ("COURSE",),
    "CT": ("COURT",),
    "CTS": ("COURTS",),
    "CV": ("COVE",),
    "CVS": ("COVES",),
    "CRK": ("CREEK",),
    "CRES": ("CRESCENT", "CRSENT", "CRSNT"),
    "CRST": ("CREST",),
    "XING": ("CROSSING", "CRSSNG"),
    "XRD": ("CROSSROAD",),
    "XRDS": ("CROSSROADS",),
    "CURV": ("CURVE",),
    "DL": ("DALE",),
    "DM": ("DAM",),
    "DV": ("DIVIDE", "DIV", "DVD"),
    "DR": ("DRIVE", "DRIV", "DRV"),
    "DRS": ("DRIVES",),
    "EST": ("ESTATE",),
    "ESTS": ("ESTATES",),
    "EXPY": ("EXPRESSWAY", "EXP", "EXPR", "EXPRESS", "EXPW"),
    "EXT": ("EXTENSION", "EXTN", "EXTNSN"),
    "EXTS": ("EXTENSIONS",),
    "FALL": ("FALL",),
    "FLS": ("FALLS",),
    "FRY": ("FERRY", "FRRY"),
    "FLD": ("FIELD",),
    "FLDS": ("FIELDS",),
    "FLT": ("FLAT",),
    "FLTS": ("FLATS",),
    "FRD": ("FORD",),
    "FRDS": ("FORDS",),
    "FRST": ("FOREST", "FORESTS"),
    "FRG": ("FORGE", "FORG"),
    "FRGS": ("FORGES",),
    "FRK": ("FORK",),
    "FRKS": ("FORKS",),
    "FT": ("FORT", "FRT"),
    "FWY": ("FREEWAY", "FREEWY", "FRWAY", "FRWY"),
    "GDN": ("GARDEN", "GARDN", "GRDEN", "GRDN"),
    "GDNS": ("GARDENS", "GRDNS"),
    "GTWY": ("GATEWAY", "GATEWY", "GATWAY", "GTWAY"),
    "GLN": ("GLEN",),
    "GLNS": ("GLENS",),
    "GRN": ("GREEN",),
    "GRNS": ("GREENS",),
    "GRV": ("GROVE", "GROV"),
    "GRVS": ("GROVES",),
    "HBR": ("HARBOR", "HARB", "HARBR", "HRBOR"),
    "HBRS": ("HARBORS",),
    "HVN": ("HAVEN",),
    "HTS": ("HEIGHTS", "HT"),
    "HWY": ("HIGHWAY", "HIGHWY", "HIWAY", "HIWY", "HWAY"),
    "HL": ("HILL",),
    "HLS": ("HILLS",),
    "HOLW": ("HOLLOW", "HLLW", "HOLLOWS", "HOLWS"),
    "INLT": ("INLET",),
    "IS": ("ISLAND", "ISLND"),
    "ISS": ("ISLANDS", "ISLNDS"),
    "ISLE": ("ISLES",),
    "JCT": ("JUNCTION", "JCTION", "JCTN", "JUNCTN", "JUNCTON"),
    "JCTS": ("JUNCTIONS", "JCTNS"),
    "KY": ("KEY",),
    "KYS": ("KEYS",),
    "KNL": ("KNOLL", "KNOL"),
    "KNLS": ("KNOLLS",),
    "LK": ("LAKE",),
    "LKS": ("LAKES",),
    "LAND": ("LAND",),
    "LNDG": ("LANDING", "LNDNG"),
    "LN": ("LANE",),
    "LGT": ("LIGHT",),
    "LGTS": ("LIGHTS",),
    "LF": ("LOAF",),
    "LCK": ("LOCK",),
    "LCKS": ("LOCKS",),
    "LDG": ("LODGE", "LDGE", "LODG"),
    "LOOP": ("LOOPS",),
    "MALL": ("MALL",),
    "MNR": ("MANOR",),
    "MNRS": ("MANORS",),
    "MDW": ("MEADOW",),
    "MDWS": ("MEADOWS", "MEDOWS"),
    "MEWS": ("MEWS",),
    "ML": ("MILL",),
    "MLS": ("MILLS",),
    "MSN": ("MISSION", "MISSN", "MSSN"),
    "MTWY": ("MOTORWAY",),
    "MT": ("MOUNT", "MNT"),
    "MTN": ("MOUNTAIN", "MNTAIN", "MNTN", "MOUNTIN", "MTIN"),
    "MTNS": ("MOUNTAINS", "MNTNS"),
    "NCK": ("NECK",),
    "ORCH": ("ORCHARD", "ORCHRD"),
    "OVAL": ("OVL",),
    "OPAS": ("OVERPASS",),
    "PARK": ("PRK", "PARKS"),
    "PKWY": ("PARKWAY", "PARKWY", "PKWAY", "PKY", "PARKWAYS", "PKWYS"),
    "PASS": ("PASS",),
    "PSGE": ("PASSAGE",),
    "PATH": ("PATHS",),
    "PIKE": ("PIKES",),
    "PNE": ("PINE",),
    "PNES": ("PINES",),
    "PL": ("PLACE",),
    "PLN": ("PLAIN",),
    "PLNS": ("PLAINS",),
    "PLZ": ("PLAZA", "PLZA"),
    "PT": ("POINT",),
    "PTS": ("POINTS",),
    "PRT": ("PORT",),
    "PRTS": ("PORTS",),
    "PR": ("PRAIRIE", "PRR"),
    "RADL": ("RADIAL", "RAD", "RADIEL"),
    "RAMP": ("RAMP",),
    "RNCH": ("RANCH", "RANCHES", "RNCHS"),
    "RPD": ("RAPID",),
    "RPDS": ("RAPIDS",),
    "RST": ("REST",),
    "RDG": ("RIDGE", "RDGE"),
    "RDGS": ("RIDGES",),
    "RIV": ("RIVER", "RVR", "RIVR"),
    "RD": ("ROAD",),
    "RDS": ("ROADS",),
    "RTE": ("ROUTE",),
    "ROW": ("ROW",),
    "RUE": ("RUE",),
    "RUN": ("RUN",),
    "SHL": ("SHOAL",),
    "SHLS": ("SHOALS",),
    "SHR": ("SHORE", "SHOAR"),
    "SHRS": ("SHORES", "SHOARS"),
    "SKWY": ("SKYWAY",),
    "SPG": ("SPRING", "SPNG", "SPRNG"),
    "SPGS": ("SPRINGS", "SPNGS", "SPRNGS"),
    "SPUR": ("SPURS",),
    "SQ": ("SQUARE", "SQR", "SQRE", "SQU"),
    "SQS": ("SQUARES", "SQRS"),
    "STA": ("STATION", "STATN", "STN"),
    "STRA": ("STRAVENUE", "STRAV", "STRAVEN", "STRAVN", "STRVN", "STRVNUE"),
    "STRM": ("STREAM", "STREME"),
    "ST": ("STREET", "STR", "STRT"),
    "STS": ("STREETS",),
    "SMT": ("SUMMIT", "SUMIT", "SUMITT"),
    "TER": ("TERRACE", "TERR"),
    "TRWY": ("THROUGHWAY",),
    "TRCE": ("TRACE", "TRACES"),
    "TRAK": ("TRACK", "TRACKS", "TRK", "TRKS"),
    "TRFY": ("TRAFFICWAY",),
    "TRL": ("TRAIL", "TRAILS", "TRLS"),
    "TRLR": ("TRAILER", "TRLRS"),
    "TUNL": ("TUNNEL", "TUNEL", "TUNLS", "TUNNELS", "TUNNL"),
    "TPKE": ("TURNPIKE", "TRNPK", "TURNPK"),
    "UPAS": ("UNDERPASS",),
    "UN": ("UNION",),
    "UNS": ("UNIONS",),
    "VLY": ("VALLEY", "VALLY", "VLLY"),
    "VLYS": ("VALLEYS",),
    "VIA": ("VIADUCT", "VDCT", "VIADCT"),
    "VW": ("VIEW",),
    "VWS": ("VIEWS",),
    "VLG": ("VILLAGE", "VILL", "VILLAG", "VILLG", "VILLIAGE"),
    "VLGS": ("VILLAGES",),
    "VL": ("VILLE",),
    "VIS": ("VISTA", "VIST", "VST", "VSTA"),
    "WALK": ("WALKS",),
    "WALL": ("WALL",),
    "WAY": ("WY",),
    "WAYS": ("WAYS",),
    "WL": ("WELL",),
    "WLS": ("WELLS",),
}

# Spellings Pub 28 does not list but address vendors and county files commonly use
# (e.g. "LA" for Lane, "CRT" for Court, "BL" for Boulevard). None of them is a Pub 28
# abbreviation of another suffix, so adding them cannot change an official spelling.
_COMMON_NON_USPS_VARIANTS: dict[str, tuple[str, ...]] = {
    "LN": ("LA",),
    "CT": ("CRT",),
    "BLVD": ("BL", "BLV"),
    "HWY": ("HW",),
    "TER": ("TERACE",),
}

STREET_SUFFIXES: dict[str, str] = {
    variant: abbreviation
    for table in (_SUFFIX_VARIANTS, _COMMON_NON_USPS_VARIANTS)
    for abbreviation, variants in table.items()
    for variant in (abbreviation, *variants)
}
"""Any spelling of a street suffix -> its USPS abbreviation (Pub 28, Appendix C1, plus a few
common non-USPS spellings)."""


def _route_kinds(kinds: dict[str, tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    return {tuple(written.split()): kind for kind, forms in kinds.items() for written in forms}


US_ROUTE_KINDS: dict[tuple[str, ...], str] = _route_kinds(
    {
        "STATE ROUTE": (
            *("SR", "ST RT", "ST RTE", "ST ROUTE", "STATE RT", "STATE RTE"),
            *("STATE ROUTE", "STATE RD", "STATE ROAD"),
        ),
        "STATE HIGHWAY": ("SH", "ST HWY", "STATE HWY", "STATE HIGHWAY"),
        "US HIGHWAY": ("US", "US HWY", "US HIGHWAY", "US RT", "US RTE", "US ROUTE"),
        "COUNTY ROAD": ("CR", "CO RD", "CO ROAD", "CNTY RD", "COUNTY RD", "COUNTY ROAD"),
        "INTERSTATE": ("I", "IH", "INTERSTATE", "INTERSTATE HWY", "INTERSTATE HIGHWAY"),
        "FARM TO MARKET ROAD": (
            *("FM", "FM RD", "FARM TO MARKET", "FARM TO MARKET RD", "FARM TO MARKET ROAD"),
        ),
        "HIGHWAY": ("HWY", "HW", "HIWAY", "HIGHWAY"),
        "ROUTE": ("RT", "RTE", "ROUTE"),
    }
)
"""How US files write the kind of a numbered route (the words before its number) ->
the kind spelled out, as USPS Publication 28 prints highways. A state's roads are its
routes in one state and its roads in another, so both are one kind."""

US_TYPE_ONLY_SUFFIXES: frozenset[str] = frozenset(
    {"ALY", "AVE", "BLVD", "CIR", "CT", "DR", "EXPY", "FWY", "HWY", "LN", "LOOP", "PKWY"}
    | {"PL", "RD", "ST", "TER", "TPKE", "TRL", "WAY"}
)
"""USPS abbreviations of the suffixes that are only ever a street's type: words that begin
no town's name and stand inside no street's name, unlike HOLLOW, LAKE, MOUNT or PARK
("S HOLLOW RD", "ELM ST MOUNT VERNON")."""

# British street-type abbreviations as address files write them; Royal Mail's Postcode Address
# File spells thoroughfare types out in full ("HIGH STREET"), which is the canonical form.
GB_STREET_TYPE_ABBREVIATIONS: dict[str, str] = {
    "ST": "STREET",
    "STR": "STREET",
    "RD": "ROAD",
    "AVE": "AVENUE",
    "AV": "AVENUE",
    "LN": "LANE",
    "DR": "DRIVE",
    "CL": "CLOSE",
    "CRES": "CRESCENT",
    "GDNS": "GARDENS",
    "GRN": "GREEN",
    "GR": "GROVE",
    "GRO": "GROVE",
    "GRV": "GROVE",
    "PL": "PLACE",
    "SQ": "SQUARE",
    "TER": "TERRACE",
    "TERR": "TERRACE",
    "CT": "COURT",
    "PDE": "PARADE",
    "WLK": "WALK",
    "HL": "HILL",
    "PK": "PARK",
    "EMB": "EMBANKMENT",
    "TCE": "TERRACE",
    "CLO": "CLOSE",
    "CLS": "CLOSE",
    "CRESC": "CRESCENT",
    "WY": "WAY",
    "HTS": "HEIGHTS",
    "MT": "MOUNT",
    "LA": "LANE",
    "CRT": "COURT",
    "DRV": "DRIVE",
    "AVN": "AVENUE",
    "ESP": "ESPLANADE",
    "PROM": "PROMENADE",
    "APP": "APPROACH",
    "APPR": "APPROACH",
    "RDG": "RIDGE",
    "RI": "RISE",
    "VW": "VIEW",
    "WK": "WALK",
    "YD": "YARD",
    "MWS": "MEWS",
    "CHS": "CHASE",
    "BVD": "BOULEVARD",
    "BLVD": "BOULEVARD",
}
"""Abbreviated British thoroughfare type (last word of a street) -> the word in full."""

GB_LAND_WORDS: frozenset[str] = frozenset(
    [
        "ACRE",
        "ACRES",
        "CAUSEWAY",
        "CLOISTERS",
        "COPSE",
        "CORNER",
        "COURTYARD",
        "DELL",
        "DROVE",
        "GREENWAY",
        "HOLLOW",
        "KNOLL",
        "LAWN",
        "LAWNS",
        "LEYS",
        "LINK",
        "MALL",
        "MEADOW",
        "MEADOWS",
        "ORCHARD",
        "PADDOCK",
        "PADDOCKS",
        "PASTURES",
        "PRECINCT",
        "REACH",
        "RIDE",
        "RIDGEWAY",
        "SIDINGS",
        "SPINNEY",
        "STEPS",
        "TWITTEN",
    ]
)
"""Last words of British street names that name the land the street was built on or
the way it runs ("HARPER MEADOW", "FOWLER ACRE", "MILL STEPS"): no descriptor Royal
Mail abbreviates, but a street line ends at one as at a thoroughfare word. None is
the last word of a town's name (unlike HEATH or GRANGE)."""

GB_THOROUGHFARE_TYPES: frozenset[str] = frozenset(
    {
        *GB_LAND_WORDS,
        *GB_STREET_TYPE_ABBREVIATIONS,
        *GB_STREET_TYPE_ABBREVIATIONS.values(),
        *[
            "APPROACH",
            "BANK",
            "BOULEVARD",
            "BROADWAY",
            "BROW",
            "CHASE",
            "CIRCLE",
            "CIRCUS",
            "CRESCENT",
            "CROFT",
            "CROSS",
            "DALE",
            "DENE",
            "DRIVE",
            "END",
            "ESPLANADE",
            "FIELDS",
            "FOLD",
            "GARTH",
            "GATE",
            "GLADE",
            "GROVE",
            "HEIGHTS",
            "LEA",
            "MEAD",
            "MEWS",
            "MOUNT",
            "NOOK",
            "PARADE",
            "PASSAGE",
            "PATH",
            "PROMENADE",
            "QUAY",
            "RIDGE",
            "RISE",
            "ROW",
            "VALE",
            "VIEW",
            "WAY",
            "WHARF",
            "WYND",
            "YARD",
        ],
    }
)
"""Words that end a British thoroughfare name ("FIR LANE", "THE GREEN"): the
thoroughfare descriptors of Royal Mail's Postcode Address File and BS 7666, in
full and abbreviated. A street line without commas ends at one of them; what
follows is a locality."""

GB_BUILDING_WORDS: frozenset[str] = frozenset(
    [
        "APARTMENTS",
        "BARN",
        "BARNS",
        "BUILDING",
        "BUILDINGS",
        "BUNGALOW",
        "CENTRE",
        "CHAMBERS",
        "CHAPEL",
        "COTTAGE",
        "COTTAGES",
        "COURT",
        "FARM",
        "FARMHOUSE",
        "GRANGE",
        "HALL",
        "HOUSE",
        "HOUSES",
        "LODGE",
        "LOFTS",
        "MANOR",
        "MANSIONS",
        "MILL",
        "POINT",
        "RECTORY",
        "STUDIOS",
        "TOWER",
        "TOWERS",
        "VICARAGE",
        "VILLA",
        "VILLAS",
        "WHARF",
        "WORKS",
        "YARD",
    ]
)
"""Words that end a British building name ("MAPLE COURT", "WILLOW MILL", "ROSE
COTTAGE"). Some also end thoroughfares ("COURT", "WHARF", "YARD"): which one a
word ends is read from where it stands, before the thoroughfare or as it."""

GB_BUILDING_ABBREVIATIONS: dict[str, str] = {
    "APTS": "APARTMENTS",
    "BLDGS": "BUILDINGS",
    "COTT": "COTTAGE",
    "CT": "COURT",
    "HSE": "HOUSE",
    "LDG": "LODGE",
    "MNR": "MANOR",
    "TWR": "TOWER",
}
"""Building words written short at the end of a building's name ("MAPLE CT", "KESTREL
HSE"), spelled out as the name is everywhere else."""

# USPS Publication 28, section 233 (directionals). Single-word spellings only; two-word forms
# such as "NORTH WEST" are joined by the street parser through DIRECTIONAL_PAIRS.
DIRECTIONALS: dict[str, str] = {
    "N": "N",
    "NORTH": "N",
    "S": "S",
    "SOUTH": "S",
    "E": "E",
    "EAST": "E",
    "W": "W",
    "WEST": "W",
    "NE": "NE",
    "NORTHEAST": "NE",
    "NORTH-EAST": "NE",
    "NW": "NW",
    "NORTHWEST": "NW",
    "NORTH-WEST": "NW",
    "SE": "SE",
    "SOUTHEAST": "SE",
    "SOUTH-EAST": "SE",
    "SW": "SW",
    "SOUTHWEST": "SW",
    "SOUTH-WEST": "SW",
}
"""Any spelling of a directional -> its USPS one- or two-letter abbreviation."""

DIRECTIONAL_PAIRS: dict[tuple[str, str], str] = {
    ("N", "E"): "NE",
    ("N", "W"): "NW",
    ("S", "E"): "SE",
    ("S", "W"): "SW",
}
"""Two consecutive single directionals (already abbreviated) that form one compound directional."""

# USPS Publication 28, Appendix C2 (secondary unit designators), plus "#" which Pub 28 uses
# when the designator is unknown, the British "FLAT" and "STUDIO" and the Finnish "AS".
_UNIT_VARIANTS: dict[str, tuple[str, ...]] = {
    "APT": ("APARTMENT", "APPT", "APTS"),
    "BSMT": ("BASEMENT",),
    "BLDG": ("BUILDING", "BLDNG"),
    "DEPT": ("DEPARTMENT",),
    # A floor; in Finland "krs" or "kerros", in Swedish "vån" or "våning" ("2. krs").
    "FL": ("FLOOR", "FLR", "KRS", "KERROS", "VÅN", "VÅNING"),
    "FRNT": ("FRONT",),
    "HNGR": ("HANGAR",),
    "KEY": (),
    "LBBY": ("LOBBY",),
    "LOT": (),
    "LOWR": ("LOWER",),
    "OFC": ("OFFICE",),
    "PH": ("PENTHOUSE",),
    "PIER": (),
    "REAR": (),
    "RM": ("ROOM",),
    "SIDE": (),
    "SLIP": (),
    "SPC": ("SPACE", "SP"),
    "STOP": (),
    "STE": ("SUITE",),
    "TRLR": ("TRAILER",),
    "UNIT": (),
    "UPPR": ("UPPER",),
    # A private mailbox at a mail receiving agency's address (Pub 28, section 2).
    "PMB": (),
    # "FLT": a British flat written short ("FLT 3").
    "FLAT": ("FLT",),
    # A British studio flat ("STUDIO 3, 1 CHURCH STREET").
    "STUDIO": (),
    # A British maisonette, a flat on two floors of its own ("MAISONETTE 2, 14 HIGH
    # STREET").
    "MAISONETTE": (),
    # A British annexe: a dwelling beside or within a house ("ANNEXE, 4 MILL LANE").
    "ANNEXE": ("ANNEX",),
    # Finnish "as" (asunto, apartment): "Kauppakatu 3 as 4"; its Swedish name in Finland's
    # other official language, "bst" or "bost." (bostad): "Handelsgatan 3 bst 4", the
    # same apartment; "huoneisto" (a dwelling, the word of the population register)
    # names it too.
    "AS": ("ASUNTO", "BST", "BOST", "BOSTAD", "HUONEISTO"),
    # Finnish "lh" (liikehuoneisto, business premises), a shop's or an office's unit in
    # a residential building: "Kalevankatu 3 lh 2"; Swedish "affärslokal".
    "LH": ("LIIKEHUONEISTO", "AFFÄRSLOKAL"),
    "#": (),
}

UNIT_DESIGNATORS: dict[str, str] = {
    variant: abbreviation
    for abbreviation, variants in _UNIT_VARIANTS.items()
    for variant in (abbreviation, *variants)
}
"""Any spelling of a secondary unit designator -> its Pub 28 abbreviation ("#" if unknown)."""

UNIT_DESIGNATORS_WITHOUT_ID: frozenset[str] = frozenset(
    {"BSMT", "FRNT", "LBBY", "LOWR", "OFC", "PH", "REAR", "SIDE", "UPPR", "ANNEXE"}
)
"""Designators that Pub 28 allows without a following identifier, and a British
annexe."""

UNIT_DESIGNATORS_ALWAYS_UNIT: frozenset[str] = frozenset({"#", "APT", "STE", "UNIT"})
"""Designators that never occur inside a street name, so any following word is a unit id."""

# Ordinals 1-20 spelled out; USPS prints street names with numeric ordinals ("1ST ST").
ORDINAL_WORDS: dict[str, str] = {
    "FIRST": "1ST",
    "SECOND": "2ND",
    "THIRD": "3RD",
    "FOURTH": "4TH",
    "FIFTH": "5TH",
    "SIXTH": "6TH",
    "SEVENTH": "7TH",
    "EIGHTH": "8TH",
    "NINTH": "9TH",
    "TENTH": "10TH",
    "ELEVENTH": "11TH",
    "TWELFTH": "12TH",
    "THIRTEENTH": "13TH",
    "FOURTEENTH": "14TH",
    "FIFTEENTH": "15TH",
    "SIXTEENTH": "16TH",
    "SEVENTEENTH": "17TH",
    "EIGHTEENTH": "18TH",
    "NINETEENTH": "19TH",
    "TWENTIETH": "20TH",
}
"""Spelled-out ordinal street names -> numeric ordinal."""

# Country names pycountry does not know (it has ISO names, codes and official names only).
# Keys are casefolded with dots removed.
COUNTRY_ALIASES: dict[str, str] = {
    "uk": "GB",
    "u k": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "us": "US",
    "usa": "US",
    "u s": "US",
    "u s a": "US",
    "america": "US",
    "united states of america": "US",
    "suomi": "FI",
    "finland": "FI",
}
"""Common country names and abbreviations outside ISO 3166-1 -> alpha-2 code."""


# Street types of Finland's two official languages. A bilingual municipality names a
# street in Finnish and in Swedish, often the same name with each language's type
# ("Runokylänpolku" / "Runokylästigen", "Sahaajankatu" / "Sahaajagatan"): each type
# word, written as the name's ending or as a word of its own, maps to one type here.
FI_SV_STREET_TYPES: dict[str, str] = {
    **dict.fromkeys(("KATU", "GATAN", "GATA"), "KATU"),
    **dict.fromkeys(("TIE", "VÄGEN", "VÄG"), "TIE"),
    **dict.fromkeys(("KUJA", "GRÄND", "GRÄNDEN"), "KUJA"),
    **dict.fromkeys(("POLKU", "STIGEN", "STIG"), "POLKU"),
    **dict.fromkeys(("TORI", "TORGET"), "TORI"),
    **dict.fromkeys(("RANTA", "STRANDEN"), "RANTA"),
    **dict.fromkeys(("MÄKI", "BACKEN"), "MÄKI"),
    **dict.fromkeys(("PUISTO", "PARKEN"), "PUISTO"),
    **dict.fromkeys(("AUKIO", "PLATSEN"), "AUKIO"),
    **dict.fromkeys(("LAITURI", "KAJEN"), "LAITURI"),
    **dict.fromkeys(("KAARI", "BÅGEN"), "KAARI"),
    **dict.fromkeys(("PIHA", "GÅRDEN"), "PIHA"),
    **dict.fromkeys(("RINNE", "BRINKEN"), "RINNE"),
    **dict.fromkeys(("SILTA", "BRON"), "SILTA"),
    **dict.fromkeys(("VÄYLÄ", "LEDEN"), "VÄYLÄ"),
    **dict.fromkeys(("ESPLANADI", "ESPLANADEN"), "ESPLANADI"),
    **dict.fromkeys(("BULEVARDI", "BULEVARDEN", "BOULEVARDEN"), "BULEVARDI"),
}
"""Finnish and Swedish street type -> its type in Finnish."""

GB_COMPASS_WORDS: frozenset[str] = frozenset({"NORTH", "SOUTH", "EAST", "WEST"})
"""Compass points a British street name may end with ("STATION ROAD EAST")."""

NAME_WORD_SHORT_FORMS: dict[str, str] = {
    "SAINT": "ST",
    "SAINTE": "STE",
    "MOUNT": "MT",
    "FORT": "FT",
    "DOCTOR": "DR",
    "JUNIOR": "JR",
    "GREAT": "GT",
    "UPPER": "UPR",
    "LOWER": "LWR",
}
"""Words of English street names written spelled out or short by different writers
("Saint Mary's Road" / "St Mary's Road", "Mount Vernon Ave" / "Mt Vernon Ave",
"Fort Washington Ave" / "Ft Washington Ave", "Doctor Martin Luther King Junior
Blvd" / "Dr Martin Luther King Jr Blvd", "Great Western Road" / "Gt Western Rd",
"Upper" / "Upr") -> the short form. Only words that
begin or stand inside a name are such titles; a street type at the end keeps its
own handling ("HILL MOUNT" is a thoroughfare of the type MOUNT)."""

FI_SV_NAME_ADJECTIVES: dict[str, str] = {
    "NORRA": "POHJOIS",
    "SÖDRA": "ETELÄ",
    "ÖSTRA": "ITÄ",
    "VÄSTRA": "LÄNSI",
    "STORA": "ISO",
    "LILLA": "PIENI",
    "GAMLA": "VANHA",
    "NYA": "UUSI",
}
"""The Swedish adjectives that begin street names (north, south, east, west, great,
little, old, new) -> the Finnish word as a Finnish name begins with it, joined to the
next word or not ("Södra esplanaden" / "Eteläesplanadi"). Finnish words keep their
own spelling, so a typing error in one still sounds like it."""
