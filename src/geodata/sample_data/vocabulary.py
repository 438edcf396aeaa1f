"""Names, codes and spellings both profiles are made of.

Over 400 lines because it is word lists (streets, aliases, keyboards), not logic.

Street names are (NAME, TYPE) pairs in canonical uppercase; Finnish streets
carry their type inside the name (`...KATU`, `...TIE`) and an empty TYPE.
"""

from __future__ import annotations

US, FI, GB = "US-CA", "FI-18", "GB-ENG"
"""Region codes (ISO 3166-2): the demo's two and the hard profile's British one."""

USPS_STREET_TYPES: dict[str, str] = {
    "ST": "STREET",
    "AVE": "AVENUE",
    "BLVD": "BOULEVARD",
    "DR": "DRIVE",
    "CT": "COURT",
    "WAY": "WAY",
    "LN": "LANE",
    "PL": "PLACE",
    "TER": "TERRACE",
}
"""USPS street suffix abbreviation -> spelled-out suffix."""

ALTERNATE_TYPE_ABBREVIATIONS: dict[str, str] = {
    "ST": "ST",
    "AVE": "AV",
    "BLVD": "BL",
    "DR": "DRV",
    "CT": "CRT",
    "WAY": "WY",
    "LN": "LA",
    "PL": "PL",
    "TER": "TERR",
}
"""Non-USPS abbreviations seen in commercial address files."""

DIRECTIONALS: dict[str, str] = {"N": "NORTH", "S": "SOUTH", "E": "EAST", "W": "WEST"}

SAN_FRANCISCO_AVENUES: tuple[tuple[str, str], ...] = (
    ("VALENCIA", "ST"),
    ("MISSION", "ST"),
    ("PARK", "AVE"),
    ("CEDAR", "LN"),
    ("OAK", "ST"),
    ("ELM", "WAY"),
    ("PINE", "ST"),
    ("ASHBURY", "TER"),
    ("LAKE", "ST"),
    ("ORD", "CT"),
    ("DOLORES", "ST"),
    ("ACACIA", "PL"),
    ("TWIN PEAKS", "BLVD"),
    ("GUERRERO", "ST"),
    ("PORTOLA", "DR"),
    ("CHURCH", "ST"),
    ("SANCHEZ", "ST"),
    ("NOE", "ST"),
    ("CASTRO", "ST"),
    ("DIAMOND", "ST"),
    ("DOUGLASS", "ST"),
    ("HOFFMAN", "AVE"),
    ("FOLSOM", "ST"),
    ("HARRISON", "ST"),
    ("SHOTWELL", "ST"),
    ("TREAT", "AVE"),
    ("ALABAMA", "ST"),
    ("FLORIDA", "ST"),
    ("BRYANT", "ST"),
    ("YORK", "ST"),
    ("HAMPSHIRE", "ST"),
    ("POTRERO", "AVE"),
    ("VERMONT", "ST"),
    ("KANSAS", "ST"),
    ("CAROLINA", "ST"),
    ("WISCONSIN", "ST"),
    ("ARKANSAS", "ST"),
    ("CONNECTICUT", "ST"),
    ("MISSOURI", "ST"),
    ("TEXAS", "ST"),
    ("INDIANA", "ST"),
    ("TENNESSEE", "ST"),
    ("MINNESOTA", "ST"),
    ("ILLINOIS", "ST"),
    ("CAPP", "ST"),
    ("BARTLETT", "ST"),
    ("LEXINGTON", "ST"),
    ("FAIR OAKS", "ST"),
    ("CHATTANOOGA", "ST"),
    ("EUREKA", "ST"),
    ("COLLINGWOOD", "ST"),
    ("CORBETT", "AVE"),
    ("CLAYTON", "ST"),
    ("BELVEDERE", "ST"),
    ("GLENVIEW", "DR"),
    ("BURNETT", "AVE"),
    ("SHERWOOD", "CT"),
    ("GRAYSTONE", "TER"),
    ("VISTA", "LN"),
    ("LINCOLN", "WAY"),
    ("HILLWAY", "AVE"),
    ("EDGEWOOD", "AVE"),
    ("ALOHA", "AVE"),
    ("LOCKSLEY", "AVE"),
    ("WARREN", "DR"),
    ("STANYAN", "ST"),
    ("COLE", "ST"),
    ("CARL", "ST"),
    ("MADRONE", "AVE"),
    ("LAUREL", "PL"),
    ("WILLOW", "CT"),
    ("MAPLE", "TER"),
)
"""North-south streets of the San Francisco grid, west to east."""

DALY_CITY_AVENUES: tuple[tuple[str, str], ...] = (
    ("MAYFAIR", "AVE"),
    ("WASHINGTON", "ST"),
    ("POPLAR", "CT"),
    ("WILLOW", "LN"),
    ("SHELDON", "PL"),
    ("ALTA LOMA", "TER"),
    ("NIMITZ", "WAY"),
    ("HAZELWOOD", "DR"),
    ("CARTER", "ST"),
    ("BRUNSWICK", "ST"),
    ("SAN DIEGO", "AVE"),
    ("GOETHE", "ST"),
    ("WEBSTER", "ST"),
    ("FRANKFORT", "ST"),
    ("HANOVER", "ST"),
    ("GUTTENBERG", "ST"),
    ("LAWRENCE", "AVE"),
    ("COLUMBIA", "ST"),
    ("SULLIVAN", "AVE"),
    ("CLARINADA", "AVE"),
    ("BELLEVUE", "AVE"),
    ("LINCOLN", "AVE"),
    ("OLIVE", "ST"),
    ("VERONA", "AVE"),
    ("ROLLING HILLS", "DR"),
    ("PALISADES", "DR"),
    ("HILLCREST", "DR"),
    ("WESTRIDGE", "AVE"),
    ("FALMOUTH", "ST"),
    ("COVENTRY", "CT"),
)
"""North-south streets of the Daly City grid (split N/S at its baseline)."""

DALY_CITY_MAIN_STREET: tuple[str, str] = ("MAIN", "ST")
"""Placed on the Daly City grid's middle column, so `N MAIN ST` and `S MAIN ST` exist."""

DALY_CITY_CROSS_STREETS: tuple[tuple[str, str], ...] = (
    ("HILLSIDE", "BLVD"),
    ("SOUTHGATE", "AVE"),
    ("PARK", "AVE"),
    ("CRESTLINE", "DR"),
    ("LAKE", "ST"),
    ("SEAVIEW", "TER"),
    ("MARINER", "WAY"),
    ("BONNIE", "LN"),
    ("ARBOR", "PL"),
    ("CLIFTON", "CT"),
    ("WESTLAKE", "AVE"),
    ("PALMCREST", "DR"),
    ("GELLERT", "BLVD"),
    ("EASTGATE", "AVE"),
    ("ACACIA", "ST"),
    ("EVERGREEN", "AVE"),
    ("BRUNSWICK", "CT"),
    ("HIGHLAND", "AVE"),
    ("SKYLINE", "DR"),
    ("ORANGE", "ST"),
    ("FRANCISCO", "ST"),
    ("COUNTRY CLUB", "DR"),
    ("GARDEN", "ST"),
    ("WOODROW", "ST"),
    ("BELMAR", "AVE"),
    ("SULLIVAN", "WAY"),
)
"""East-west streets of the Daly City grid, south to north."""

BRISBANE_AVENUES: tuple[tuple[str, str], ...] = (
    ("VISITACION", "AVE"),
    ("SAN BRUNO", "AVE"),
    ("MONTEREY", "CT"),
    ("PARK", "LN"),
    ("GLEN PARK", "WAY"),
    ("OLD COUNTY", "PL"),
    ("CLIFF", "TER"),
    ("VALLEY", "DR"),
    ("ALVARADO", "ST"),
    ("MARIPOSA", "ST"),
    ("HUMBOLDT", "ST"),
    ("SOLANO", "ST"),
    ("TUNNEL", "AVE"),
    ("INYO", "ST"),
    ("ANNIS", "CT"),
    ("KLAMATH", "ST"),
    ("HARRIS", "CT"),
    ("ALANA", "WAY"),
    ("LIPMAN", "LN"),
    ("NAPA", "ST"),
    ("SANTA CLARA", "ST"),
    ("MENDOCINO", "ST"),
    ("TAMALPAIS", "TER"),
    ("STERLING", "DR"),
    ("KINGS", "CT"),
    ("CREST", "PL"),
)
"""North-south streets of the Brisbane grid, west to east."""

FINNISH_CROSS_STREETS: tuple[str, ...] = (
    "ETELÄESPLANADI",
    "POHJOISESPLANADI",
    "ALEKSANTERINKATU",
    "BULEVARDI",
    "LÖNNROTINKATU",
    "EERIKINKATU",
    "KALEVANKATU",
    "UUDENMAANKATU",
    "ISO ROOBERTINKATU",
    "PURSIMIEHENKATU",
    "TEHTAANKATU",
    "MERIMIEHENKATU",
    "PERÄMIEHENKATU",
    "SEPÄNKATU",
    "VUORIKATU",
    "KIRKKOKATU",
    "RAUHANKATU",
    "LIISANKATU",
    "MAURINKATU",
    "MARIANKATU",
    "KAISANIEMENKATU",
    "KAIVOKATU",
)
"""East-west streets of the Helsinki grid, south to north."""

FINNISH_AVENUES: tuple[str, ...] = (
    "HIETALAHDENKATU",
    "ALBERTINKATU",
    "FREDRIKINKATU",
    "ANNANKATU",
    "YRJÖNKATU",
    "RUNEBERGINKATU",
    "MIKONKATU",
    "UNIONINKATU",
    "HÄMEENTIE",
    "KASARMIKATU",
    "KORKEAVUORENKATU",
    "VUORIMIEHENKATU",
    "ABRAHAMINKATU",
    "ROBERTINKATU",
    "SNELLMANINKATU",
    "MELANKATU",
    "TÖÖLÖNKATU",
    "SIBELIUKSENKATU",
    "NERVANDERINKATU",
    "ARKADIANKATU",
)
"""North-south streets of the Helsinki grid, west to east."""

FINNISH_NAME_PREFIXES: tuple[str, ...] = ("PIENI ", "ISO ", "UUSI ", "VANHA ", "ETELÄINEN ")
"""Prefixes Finnish towns give a second street of the same name (Pieni Roobertinkatu)."""

FINNISH_ABBREVIATED_ENDINGS: tuple[tuple[str, str], ...] = (("KATU", "K."), ("TIE", "T."))
"""Finnish street-type endings and their customary abbreviations (Fredrikink.)."""

ASCII_FOLDING = str.maketrans({"Ä": "A", "Ö": "O", "Å": "A", "ä": "a", "ö": "o", "å": "a"})
"""Diacritics that commercial files drop from Finnish names."""

KEYBOARD_NEIGHBOURS: dict[str, str] = {
    "A": "SQZ",
    "B": "VNGH",
    "C": "XVDF",
    "D": "SFER",
    "E": "WRD",
    "F": "DGRT",
    "G": "FHTY",
    "H": "GJYU",
    "I": "UOK",
    "J": "HKUI",
    "K": "JLIO",
    "L": "KOP",
    "M": "NJK",
    "N": "BMHJ",
    "O": "IPL",
    "P": "OL",
    "Q": "WA",
    "R": "ETF",
    "S": "ADWZ",
    "T": "RYG",
    "U": "YIJ",
    "V": "CBF",
    "W": "QES",
    "X": "ZCS",
    "Y": "TUH",
    "Z": "XAS",
}
"""QWERTY neighbours, the letters a slipped finger types instead."""

# --- The hard evaluation profile (`geodata.sample_data.hard`) ---------------------------------

RURAL_ROADS: tuple[tuple[str, str], ...] = (
    ("RIDGE", "RD"),
    ("CANYON", "RD"),
    ("OLD STAGE", "RD"),
    ("RANCH", "RD"),
    ("MILL CREEK", "RD"),
    ("OAK KNOLL", "RD"),
    ("VINEYARD", "LN"),
    ("WALNUT GROVE", "RD"),
    ("SPRING VALLEY", "RD"),
    ("HOPLAND", "RD"),
    ("ORCHARD", "LN"),
    ("RUSSIAN RIVER", "RD"),
    ("SADDLEBACK", "DR"),
    ("QUAIL RUN", "RD"),
    ("BUCKEYE", "RD"),
    ("CHAPARRAL", "WAY"),
    ("MANZANITA", "LN"),
    ("COYOTE VALLEY", "RD"),
    ("HIGHLAND SPRINGS", "RD"),
    ("BLACK BART", "TRL"),
)
"""Roads of the rural county area (both directions)."""

OLD_US_STREET_NAMES: tuple[str, ...] = (
    "ARMY",
    "KEARNY",
    "STOCKTON",
    "FILLMORE",
    "GEARY",
    "LARKIN",
    "POLK",
    "HYDE",
    "DUBOCE",
    "PAGE",
    "WALLER",
    "HAIGHT",
    "OFARRELL",
    "ELLIS",
    "TURK",
    "GOLDEN GATE",
    "MCALLISTER",
    "FULTON",
    "GROVE",
    "HAYES",
)
"""Former names of renamed US streets (not used by any current street)."""

OLD_GB_STREET_NAMES: tuple[str, ...] = (
    "BACK LANE",
    "GALLOWS HILL",
    "WORKHOUSE LANE",
    "GASWORKS ROAD",
    "TANNERY STREET",
    "BREWERY ROAD",
    "POUND LANE",
    "RAILWAY STREET",
    "TURNPIKE ROAD",
    "CANAL STREET",
    "FOUNDRY LANE",
    "ROPEWALK",
)
"""Former names of renamed British streets (not used by any current street)."""

GB_STREETS: tuple[str, ...] = (
    "HIGH STREET",
    "STATION ROAD",
    "CHURCH STREET",
    "PARK ROAD",
    "VICTORIA ROAD",
    "GREEN LANE",
    "MANOR ROAD",
    "CHURCH LANE",
    "PARK AVENUE",
    "QUEENS ROAD",
    "NEW ROAD",
    "GRANGE ROAD",
    "KINGS ROAD",
    "ALEXANDRA ROAD",
    "GLADSTONE ROAD",
    "NORTH STREET",
    "SOUTH STREET",
    "MILL LANE",
    "SCHOOL LANE",
    "YORK ROAD",
    "WEST STREET",
    "MARKET STREET",
    "ALBERT ROAD",
    "CHURCH ROAD",
    "RICHMOND ROAD",
    "SPRINGFIELD ROAD",
    "ORCHARD CLOSE",
    "BRIDGE STREET",
    "WINDSOR ROAD",
    "THE CRESCENT",
)
"""East-west streets of the British towns (their type inside the name)."""

GB_AVENUES: tuple[str, ...] = (
    "LONDON ROAD",
    "HIGHFIELD ROAD",
    "STANLEY ROAD",
    "WELLINGTON ROAD",
    "CLAREMONT ROAD",
    "BEECH GROVE",
    "ELM GROVE",
    "ASH GROVE",
    "MAPLE AVENUE",
    "OAKWOOD AVENUE",
    "CEDAR CLOSE",
    "LAUREL GARDENS",
    "ROSE TERRACE",
    "CHESTNUT DRIVE",
    "HOLLY PLACE",
    "MEADOW WAY",
    "ST JOHN'S ROAD",
    "ST MARY'S LANE",
    "QUEEN'S CRESCENT",
    "PRINCE'S SQUARE",
    "BELMONT DRIVE",
    "ASHBURTON PARADE",
    "COLLEGE WALK",
    "FERNDALE COURT",
    "HILLSIDE",
    "WOODLAND RISE",
    "EXETER STREET",
    "OXFORD ROAD",
    "CAMBRIDGE ROAD",
    "BATH ROAD",
)
"""North-south streets of the British towns."""

GB_NAME_PREFIXES: tuple[str, ...] = ("UPPER ", "LOWER ", "OLD ", "NEW ", "LITTLE ")
"""Prefixes British towns give a second street of the same name (Upper High Street)."""

GB_TYPE_ABBREVIATIONS: dict[str, str] = {
    "STREET": "St",
    "ROAD": "Rd",
    "AVENUE": "Ave",
    "LANE": "Ln",
    "CLOSE": "Cl",
    "CRESCENT": "Cres",
    "GARDENS": "Gdns",
    "GROVE": "Gr",
    "PLACE": "Pl",
    "SQUARE": "Sq",
    "TERRACE": "Terr",
    "DRIVE": "Dr",
    "COURT": "Ct",
    "PARADE": "Pde",
}
"""British street types and the abbreviations address files use."""

SWEDISH_STREET_NAMES: dict[str, str] = {
    "MANNERHEIMINTIE": "MANNERHEIMVÄGEN",
    "HIETALAHDENKATU": "SANDVIKSGATAN",
    "ALBERTINKATU": "ALBERTSGATAN",
    "FREDRIKINKATU": "FREDRIKSGATAN",
    "ANNANKATU": "ANNEGATAN",
    "YRJÖNKATU": "GEORGSGATAN",
    "RUNEBERGINKATU": "RUNEBERGSGATAN",
    "MIKONKATU": "MIKAELSGATAN",
    "UNIONINKATU": "UNIONSGATAN",
    "HÄMEENTIE": "TAVASTVÄGEN",
    "KASARMIKATU": "KASERNGATAN",
    "KORKEAVUORENKATU": "HÖGBERGSGATAN",
    "VUORIMIEHENKATU": "BERGMANSGATAN",
    "ABRAHAMINKATU": "ABRAHAMSGATAN",
    "ROBERTINKATU": "ROBERTSGATAN",
    "SNELLMANINKATU": "SNELLMANSGATAN",
    "TÖÖLÖNKATU": "TÖLÖGATAN",
    "SIBELIUKSENKATU": "SIBELIUSGATAN",
    "NERVANDERINKATU": "NERVANDERSGATAN",
    "ARKADIANKATU": "ARKADIAGATAN",
    "ETELÄESPLANADI": "SÖDRA ESPLANADEN",
    "POHJOISESPLANADI": "NORRA ESPLANADEN",
    "ALEKSANTERINKATU": "ALEXANDERSGATAN",
    "BULEVARDI": "BULEVARDEN",
    "LÖNNROTINKATU": "LÖNNROTSGATAN",
    "EERIKINKATU": "ERIKSGATAN",
    "KALEVANKATU": "KALEVAGATAN",
    "UUDENMAANKATU": "NYLANDSGATAN",
    "ISO ROOBERTINKATU": "STORA ROBERTSGATAN",
    "PURSIMIEHENKATU": "BÅTSMANSGATAN",
    "TEHTAANKATU": "FABRIKSGATAN",
    "MERIMIEHENKATU": "SJÖMANSGATAN",
    "PERÄMIEHENKATU": "STYRMANSGATAN",
    "SEPÄNKATU": "SMEDSGATAN",
    "VUORIKATU": "BERGGATAN",
    "KIRKKOKATU": "KYRKOGATAN",
    "RAUHANKATU": "FREDSGATAN",
    "LIISANKATU": "ELISABETSGATAN",
    "MARIANKATU": "MARIEGATAN",
    "KAISANIEMENKATU": "KAJSANIEMIGATAN",
    "KAIVOKATU": "BRUNNSGATAN",
}
"""Official Swedish names of Helsinki streets (the city is bilingual)."""

LOCALITY_ALIASES: dict[str, str] = {
    "HELSINKI": "HELSINGFORS",
    "ESPOO": "ESBO",
}
"""Swedish names of Finnish towns, which sources write instead of the Finnish one."""

POSTCODE_PLACE_NAMES: dict[str, str] = {
    "94110": "MISSION DISTRICT",
    "94131": "NOE VALLEY",
    "94112": "INGLESIDE",
    "94134": "VISITACION VALLEY",
    "94014": "COLMA",
    "94080": "SSF",
    "95490": "REDWOOD VALLEY",
}
"""A neighbourhood or acceptable place name sources write as the locality of a postcode."""
