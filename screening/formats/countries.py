"""Country names and ISO 3166-1 codes.

Watchlists name countries in prose ("Korea, North", "Iran (Islamic Republic of)", "Burma"),
travel documents and APIS use alpha-3, INTERPOL uses alpha-2. Everything we store is alpha-3,
so this table maps all three onto it. Lookups are case-, accent- and punctuation-insensitive.
"""

from __future__ import annotations

import re
import unicodedata

# alpha-2, alpha-3, ISO short name. One line per ISO 3166-1 entry.
_ISO = """\
AF AFG Afghanistan
AX ALA Aland Islands
AL ALB Albania
DZ DZA Algeria
AS ASM American Samoa
AD AND Andorra
AO AGO Angola
AI AIA Anguilla
AQ ATA Antarctica
AG ATG Antigua and Barbuda
AR ARG Argentina
AM ARM Armenia
AW ABW Aruba
AU AUS Australia
AT AUT Austria
AZ AZE Azerbaijan
BS BHS Bahamas
BH BHR Bahrain
BD BGD Bangladesh
BB BRB Barbados
BY BLR Belarus
BE BEL Belgium
BZ BLZ Belize
BJ BEN Benin
BM BMU Bermuda
BT BTN Bhutan
BO BOL Bolivia
BQ BES Bonaire, Sint Eustatius and Saba
BA BIH Bosnia and Herzegovina
BW BWA Botswana
BV BVT Bouvet Island
BR BRA Brazil
IO IOT British Indian Ocean Territory
BN BRN Brunei Darussalam
BG BGR Bulgaria
BF BFA Burkina Faso
BI BDI Burundi
CV CPV Cabo Verde
KH KHM Cambodia
CM CMR Cameroon
CA CAN Canada
KY CYM Cayman Islands
CF CAF Central African Republic
TD TCD Chad
CL CHL Chile
CN CHN China
CX CXR Christmas Island
CC CCK Cocos (Keeling) Islands
CO COL Colombia
KM COM Comoros
CG COG Congo
CD COD Congo, Democratic Republic of the
CK COK Cook Islands
CR CRI Costa Rica
CI CIV Cote d'Ivoire
HR HRV Croatia
CU CUB Cuba
CW CUW Curacao
CY CYP Cyprus
CZ CZE Czechia
DK DNK Denmark
DJ DJI Djibouti
DM DMA Dominica
DO DOM Dominican Republic
EC ECU Ecuador
EG EGY Egypt
SV SLV El Salvador
GQ GNQ Equatorial Guinea
ER ERI Eritrea
EE EST Estonia
SZ SWZ Eswatini
ET ETH Ethiopia
FK FLK Falkland Islands
FO FRO Faroe Islands
FJ FJI Fiji
FI FIN Finland
FR FRA France
GF GUF French Guiana
PF PYF French Polynesia
TF ATF French Southern Territories
GA GAB Gabon
GM GMB Gambia
GE GEO Georgia
DE DEU Germany
GH GHA Ghana
GI GIB Gibraltar
GR GRC Greece
GL GRL Greenland
GD GRD Grenada
GP GLP Guadeloupe
GU GUM Guam
GT GTM Guatemala
GG GGY Guernsey
GN GIN Guinea
GW GNB Guinea-Bissau
GY GUY Guyana
HT HTI Haiti
HM HMD Heard Island and McDonald Islands
VA VAT Holy See
HN HND Honduras
HK HKG Hong Kong
HU HUN Hungary
IS ISL Iceland
IN IND India
ID IDN Indonesia
IR IRN Iran
IQ IRQ Iraq
IE IRL Ireland
IM IMN Isle of Man
IL ISR Israel
IT ITA Italy
JM JAM Jamaica
JP JPN Japan
JE JEY Jersey
JO JOR Jordan
KZ KAZ Kazakhstan
KE KEN Kenya
KI KIR Kiribati
KP PRK Korea, North
KR KOR Korea, South
KW KWT Kuwait
KG KGZ Kyrgyzstan
LA LAO Laos
LV LVA Latvia
LB LBN Lebanon
LS LSO Lesotho
LR LBR Liberia
LY LBY Libya
LI LIE Liechtenstein
LT LTU Lithuania
LU LUX Luxembourg
MO MAC Macao
MG MDG Madagascar
MW MWI Malawi
MY MYS Malaysia
MV MDV Maldives
ML MLI Mali
MT MLT Malta
MH MHL Marshall Islands
MQ MTQ Martinique
MR MRT Mauritania
MU MUS Mauritius
YT MYT Mayotte
MX MEX Mexico
FM FSM Micronesia
MD MDA Moldova
MC MCO Monaco
MN MNG Mongolia
ME MNE Montenegro
MS MSR Montserrat
MA MAR Morocco
MZ MOZ Mozambique
MM MMR Myanmar
NA NAM Namibia
NR NRU Nauru
NP NPL Nepal
NL NLD Netherlands
NC NCL New Caledonia
NZ NZL New Zealand
NI NIC Nicaragua
NE NER Niger
NG NGA Nigeria
NU NIU Niue
NF NFK Norfolk Island
MK MKD North Macedonia
MP MNP Northern Mariana Islands
NO NOR Norway
OM OMN Oman
PK PAK Pakistan
PW PLW Palau
PS PSE Palestine
PA PAN Panama
PG PNG Papua New Guinea
PY PRY Paraguay
PE PER Peru
PH PHL Philippines
PN PCN Pitcairn
PL POL Poland
PT PRT Portugal
PR PRI Puerto Rico
QA QAT Qatar
RE REU Reunion
RO ROU Romania
RU RUS Russia
RW RWA Rwanda
BL BLM Saint Barthelemy
SH SHN Saint Helena, Ascension and Tristan da Cunha
KN KNA Saint Kitts and Nevis
LC LCA Saint Lucia
MF MAF Saint Martin
PM SPM Saint Pierre and Miquelon
VC VCT Saint Vincent and the Grenadines
WS WSM Samoa
SM SMR San Marino
ST STP Sao Tome and Principe
SA SAU Saudi Arabia
SN SEN Senegal
RS SRB Serbia
SC SYC Seychelles
SL SLE Sierra Leone
SG SGP Singapore
SX SXM Sint Maarten
SK SVK Slovakia
SI SVN Slovenia
SB SLB Solomon Islands
SO SOM Somalia
ZA ZAF South Africa
GS SGS South Georgia and the South Sandwich Islands
SS SSD South Sudan
ES ESP Spain
LK LKA Sri Lanka
SD SDN Sudan
SR SUR Suriname
SJ SJM Svalbard and Jan Mayen
SE SWE Sweden
CH CHE Switzerland
SY SYR Syria
TW TWN Taiwan
TJ TJK Tajikistan
TZ TZA Tanzania
TH THA Thailand
TL TLS Timor-Leste
TG TGO Togo
TK TKL Tokelau
TO TON Tonga
TT TTO Trinidad and Tobago
TN TUN Tunisia
TR TUR Turkey
TM TKM Turkmenistan
TC TCA Turks and Caicos Islands
TV TUV Tuvalu
UG UGA Uganda
UA UKR Ukraine
AE ARE United Arab Emirates
GB GBR United Kingdom
US USA United States
UM UMI United States Minor Outlying Islands
UY URY Uruguay
UZ UZB Uzbekistan
VU VUT Vanuatu
VE VEN Venezuela
VN VNM Vietnam
VG VGB Virgin Islands, British
VI VIR Virgin Islands, U.S.
WF WLF Wallis and Futuna
EH ESH Western Sahara
YE YEM Yemen
ZM ZMB Zambia
ZW ZWE Zimbabwe
"""

# Other spellings seen in OFAC, UN, INTERPOL and ICAO material -> alpha-3.
_ALIASES = {
    "Aland": "ALA",
    "Bahamas, The": "BHS",
    "The Bahamas": "BHS",
    "Bolivia (Plurinational State of)": "BOL",
    "Brunei": "BRN",
    "Burma": "MMR",
    "Cape Verde": "CPV",
    "Congo, Republic of the": "COG",
    "Republic of the Congo": "COG",
    "Congo (Brazzaville)": "COG",
    "Democratic Republic of the Congo": "COD",
    "Congo (Kinshasa)": "COD",
    "DRC": "COD",
    "Zaire": "COD",
    "Ivory Coast": "CIV",
    "Czech Republic": "CZE",
    "Swaziland": "SWZ",
    "Falkland Islands (Malvinas)": "FLK",
    "Gambia, The": "GMB",
    "The Gambia": "GMB",
    "Vatican": "VAT",
    "Vatican City": "VAT",
    "Holy See (Vatican City State)": "VAT",
    "Hong Kong, China": "HKG",
    "China, Hong Kong Special Administrative Region": "HKG",
    "Iran (Islamic Republic of)": "IRN",
    "Islamic Republic of Iran": "IRN",
    "North Korea": "PRK",
    "Democratic People's Republic of Korea": "PRK",
    "Korea, Democratic People's Republic of": "PRK",
    "DPRK": "PRK",
    "South Korea": "KOR",
    "Republic of Korea": "KOR",
    "Korea, Republic of": "KOR",
    "Lao People's Democratic Republic": "LAO",
    "Libyan Arab Jamahiriya": "LBY",
    "Macau": "MAC",
    "Micronesia, Federated States of": "FSM",
    "Micronesia (Federated States of)": "FSM",
    "Moldova, Republic of": "MDA",
    "Republic of Moldova": "MDA",
    "Macedonia": "MKD",
    "North Macedonia, The Republic of": "MKD",
    "The former Yugoslav Republic of Macedonia": "MKD",
    "Palestinian": "PSE",
    "State of Palestine": "PSE",
    "Palestinian Territories": "PSE",
    "West Bank": "PSE",
    "Gaza": "PSE",
    "Region: Gaza": "PSE",
    "Region: West Bank": "PSE",
    "Russian Federation": "RUS",
    "Saint Helena": "SHN",
    "St. Kitts and Nevis": "KNA",
    "St. Lucia": "LCA",
    "St. Vincent and the Grenadines": "VCT",
    "Syrian Arab Republic": "SYR",
    "Taiwan, Province of China": "TWN",
    "Tanzania, United Republic of": "TZA",
    "United Republic of Tanzania": "TZA",
    "Turkiye": "TUR",
    "East Timor": "TLS",
    "United Kingdom of Great Britain and Northern Ireland": "GBR",
    "Great Britain": "GBR",
    "UK": "GBR",
    "United States of America": "USA",
    "USA": "USA",
    "U.S.": "USA",
    "Venezuela (Bolivarian Republic of)": "VEN",
    "Viet Nam": "VNM",
    "Yugoslavia": "SRB",
    "Serbia and Montenegro": "SRB",
    "Kosovo": "XKX",  # not ISO; the code used by the EU, ICAO documents and most lists
    "Republic of Kosovo": "XKX",
    "Soviet Union": "SUN",  # withdrawn ISO code, still used by lists for "former USSR"
    "former Soviet Union": "SUN",
    "USSR": "SUN",
}

# ICAO Doc 9303 codes that are not ISO alpha-3 but are valid in MRZs and APIS.
ICAO_EXTRA_CODES = frozenset(
    {"D", "GBD", "GBN", "GBO", "GBP", "GBS", "UNO", "UNA", "UNK", "XOM", "XXA", "XXB",
     "XXC", "XXX", "EUE", "XPO", "XCC", "XES", "XKX", "XBA", "XIM", "XMP", "RKS", "SUN"}
)


def _key(name: str) -> str:
    """Comparable form: accents stripped, lowercase, punctuation folded to single spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", ascii_only.lower()).strip()


ALPHA2_TO_ALPHA3: dict[str, str] = {}
ALPHA3_TO_NAME: dict[str, str] = {}
_BY_NAME: dict[str, str] = {}

for _line in _ISO.splitlines():
    _a2, _a3, _name = _line.split(" ", 2)
    ALPHA2_TO_ALPHA3[_a2] = _a3
    ALPHA3_TO_NAME[_a3] = _name
    _BY_NAME[_key(_name)] = _a3
for _alias, _a3 in _ALIASES.items():
    _BY_NAME[_key(_alias)] = _a3
ALPHA2_TO_ALPHA3["XK"] = "XKX"
ALPHA2_TO_ALPHA3["UK"] = "GBR"  # not ISO, but common in airline and police data


def country_alpha3(name: str) -> str | None:
    """Alpha-3 for a country name, alpha-2 or alpha-3 code; None when unknown.

    Tolerates OFAC's trailing full stop ("Iraq.") and the "possibly"/"reportedly" hedges.
    """
    if not name:
        return None
    text = name.strip().rstrip(".").strip()
    if len(text) == 3 and text.isalpha() and text.isupper():
        if text in ALPHA3_TO_NAME or text in ICAO_EXTRA_CODES:
            return text
    if len(text) == 2 and text.isalpha() and text.isupper():
        return ALPHA2_TO_ALPHA3.get(text)
    key = _key(text)
    for hedge in ("possibly ", "reportedly ", "probably ", "likely "):
        if key.startswith(hedge):
            key = key[len(hedge) :]
    found = _BY_NAME.get(key)
    if found:
        return found
    # "The Republic of X" and "X, Republic of" style leftovers.
    for prefix in ("the ", "republic of ", "the republic of "):
        if key.startswith(prefix) and key[len(prefix) :] in _BY_NAME:
            return _BY_NAME[key[len(prefix) :]]
    return None


def alpha2_to_alpha3(code: str) -> str | None:
    """Alpha-3 for an ISO alpha-2 code (as INTERPOL publishes them); None when unknown."""
    return ALPHA2_TO_ALPHA3.get((code or "").strip().upper())


def is_country_code(code: str) -> bool:
    """True for an ISO alpha-3 code or an ICAO-specific document code."""
    return code in ALPHA3_TO_NAME or code in ICAO_EXTRA_CODES
