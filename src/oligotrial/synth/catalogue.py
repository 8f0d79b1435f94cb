"""Fixed vocabularies and frequencies behind synthetic HCC patients.

Frequencies are plausible values for a Chinese multicentre HCC population treated with
first-line systemic therapy (FLST), not estimates from one source: HBV aetiology in about
80 % (China's HCC burden is mainly HBV-related), men about 85 %, median age about 56.
FLST regimens are those approved or widely used first-line in China (atezolizumab +
bevacizumab, sintilimab + bevacizumab biosimilar IBI305, camrelizumab + rivoceranib,
lenvatinib, donafenib, sorafenib, tislelizumab, durvalumab + tremelimumab; lenvatinib with
a PD-1 antibody is common off-label practice). Lymph-node regions follow the Japanese
numbering used in the protocol (16a and 16b separate).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Regimen:
    code: str
    name: str
    drugs: tuple[str, ...]
    ici: bool
    weight: float


REGIMENS: tuple[Regimen, ...] = (
    Regimen("atezo-bev", "Atezolizumab + bevacizumab", ("atezolizumab", "bevacizumab"), True, 0.24),
    Regimen(
        "sint-ibi305",
        "Sintilimab + bevacizumab biosimilar (IBI305)",
        ("sintilimab", "IBI305"),
        True,
        0.18,
    ),
    Regimen("cam-rivo", "Camrelizumab + rivoceranib", ("camrelizumab", "rivoceranib"), True, 0.14),
    Regimen("len", "Lenvatinib", ("lenvatinib",), False, 0.17),
    Regimen("len-pd1", "Lenvatinib + PD-1 antibody", ("lenvatinib", "tislelizumab"), True, 0.10),
    Regimen("donaf", "Donafenib", ("donafenib",), False, 0.06),
    Regimen("sora", "Sorafenib", ("sorafenib",), False, 0.05),
    Regimen("tisle", "Tislelizumab", ("tislelizumab",), True, 0.03),
    Regimen("stride", "Durvalumab + tremelimumab", ("durvalumab", "tremelimumab"), True, 0.03),
)

SECOND_LINE = ("regorafenib", "regorafenib", "regorafenib", "apatinib", "cabozantinib")

AETIOLOGIES = (("HBV", 0.80), ("HCV", 0.06), ("alcohol", 0.06), ("MASLD", 0.05), ("other", 0.03))
ANTIVIRALS = ("entecavir", "tenofovir disoproxil", "tenofovir alafenamide")


@dataclass(frozen=True)
class Site:
    code: str
    name: str
    weight: float
    bilirubin_unit: str  # "mg/dL" or µmol/L as the site spells it (µ, μ or u)
    albumin_unit: str  # "g/L" or "g/dL"
    afp_unit: str  # "ng/mL" or "IU/mL"
    bilirubin_uln_umol: float
    alt_uln: float
    hbv_dna_uln: float  # IU/mL; the lab's quantification limit


SITES: tuple[Site, ...] = (
    Site("JN01", "Shandong Cancer Hospital, Jinan", 0.30, "µmol/L", "g/L", "ng/mL", 21.0, 40, 20),
    Site("QD02", "Qingdao University Hospital", 0.18, "umol/L", "g/L", "ng/mL", 17.1, 50, 100),
    Site("YT03", "Yantai Yuhuangding Hospital", 0.14, "mg/dL", "g/dL", "ng/mL", 20.5, 40, 500),
    Site("WF04", "Weifang People's Hospital", 0.14, "umol/L", "g/L", "IU/mL", 21.0, 40, 20),
    Site("LY05", "Linyi People's Hospital", 0.12, "mg/dL", "g/dL", "ng/mL", 17.1, 45, 100),
    Site("ZB06", "Zibo Central Hospital", 0.12, "μmol/L", "g/L", "ng/mL", 19.0, 40, 30),
)

# Organ systems for oligoprogressive lesions; weights for an extrahepatic lesion's organ.
EXTRAHEPATIC_ORGANS = (("lung", 0.40), ("lymph node", 0.30), ("bone", 0.18), ("adrenal", 0.12))
LYMPH_NODE_REGIONS = (
    "8",
    "12",
    "13",
    "9",
    "16a",
    "16b",
    "mediastinal",
    "supraclavicular-left",
)
BONE_SITES = ("vertebra", "rib", "pelvis", "femur", "sternum")

OTHER_MALIGNANCIES = (
    "colorectal carcinoma",
    "gastric carcinoma",
    "thyroid carcinoma",
    "basal cell carcinoma of the skin",
    "cervical carcinoma in situ",
)
