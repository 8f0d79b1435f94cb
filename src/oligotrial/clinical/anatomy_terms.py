"""The controlled vocabulary of organs and lymph-node regions: codes, labels and aliases.

Each organ and each lymph-node region has a code and an English and Simplified Chinese
label; the aliases are the other spellings a site may type, mapped to the code. Organs
cover where hepatocellular carcinoma spreads (lung, lymph nodes, bone, adrenal,
peritoneum and omentum, brain, macrovascular tumour thrombus) and the sites RECIST 1.1
names. Lymph-node regions are the Japanese station numbers (JGCA, Japanese Classification
of Gastric Carcinoma, 3rd English edition, Gastric Cancer 2011;14:101-112; the Liver Cancer
Study Group of Japan uses the same numbers, with the hepatic hilum as part of station 12)
and named regions outside that numbering. Station 16 (para-aortic) is given as 16a or 16b:
the NCT06841172 registry (inclusion 3) counts them as separate regions.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "NAMED_REGIONS",
    "ORGANS",
    "ORGAN_ALIASES",
    "REGION_ALIASES",
    "SIDED_REGIONS",
    "STATIONS",
]

Labels = tuple[str, str]  # (English, Simplified Chinese)

ORGANS: Mapping[str, Labels] = MappingProxyType(
    {
        "liver": ("liver", "肝脏"),
        "lung": ("lung", "肺"),
        "lymph-node": ("lymph nodes", "淋巴结"),
        "bone": ("bone", "骨"),
        "adrenal": ("adrenal gland", "肾上腺"),
        "peritoneum": ("peritoneum", "腹膜"),
        "omentum": ("omentum", "网膜"),
        "brain": ("brain", "脑"),
        "pleura": ("pleura", "胸膜"),
        "portal-vein": ("portal vein (tumour thrombus)", "门静脉（癌栓）"),
        "hepatic-vein": ("hepatic vein (tumour thrombus)", "肝静脉（癌栓）"),
        "inferior-vena-cava": ("inferior vena cava (tumour thrombus)", "下腔静脉（癌栓）"),
        "diaphragm": ("diaphragm", "膈肌"),
        "spleen": ("spleen", "脾脏"),
        "kidney": ("kidney", "肾脏"),
        "pancreas": ("pancreas", "胰腺"),
        "stomach": ("stomach", "胃"),
        "chest-wall": ("chest wall", "胸壁"),
        "abdominal-wall": ("abdominal wall", "腹壁"),
        "soft-tissue": ("soft tissue or muscle", "软组织或肌肉"),
        "skin": ("skin", "皮肤"),
        "pericardium": ("pericardium", "心包"),
    }
)

_ORGAN_WORDS: dict[str, tuple[str, ...]] = {
    "liver": ("hepatic", "intrahepatic", "肝", "肝内"),
    "lung": ("lungs", "pulmonary", "肺部"),
    "lymph-node": (
        "lymph node",
        "lymph nodes",
        "lymph",
        "lymphatic",
        "node",
        "nodes",
        "nodal",
        "ln",
        "淋巴",
    ),
    "bone": (
        "bones",
        "skeleton",
        "skeletal",
        "osseous",
        "spine",
        "vertebra",
        "vertebrae",
        "vertebral",
        "rib",
        "ribs",
        "sternum",
        "skull",
        "sacrum",
        "ilium",
        "iliac bone",
        "pelvis",
        "pelvic bone",
        "femur",
        "humerus",
        "scapula",
        "clavicle",
        "骨骼",
        "椎体",
        "肋骨",
    ),
    "adrenal": ("adrenals", "suprarenal", "肾上腺"),
    "peritoneum": ("peritoneal", "腹膜"),
    "omentum": ("omental", "大网膜"),
    "brain": ("cerebral", "intracranial", "脑部", "颅内"),
    "pleura": ("pleural",),
    "portal-vein": ("portal vein", "portal venous", "门静脉"),
    "hepatic-vein": ("hepatic vein", "hepatic veins", "肝静脉"),
    "inferior-vena-cava": ("inferior vena cava", "ivc", "下腔静脉"),
    "diaphragm": ("diaphragmatic",),
    "spleen": ("splenic", "脾"),
    "kidney": ("kidneys", "renal", "肾"),
    "pancreas": ("pancreatic",),
    "stomach": ("gastric",),
    "chest-wall": ("chest wall", "thoracic wall"),
    "abdominal-wall": ("abdominal wall",),
    "soft-tissue": ("soft tissue", "muscle", "muscular", "subcutaneous", "软组织", "肌肉"),
    "skin": ("cutaneous",),
    "pericardium": ("pericardial",),
}


def _aliases(codes: Mapping[str, Labels], words: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for code, (english, chinese) in codes.items():
        for alias in (code, code.replace("-", " "), english, chinese, *words.get(code, ())):
            out[alias.lower()] = code
    return out


ORGAN_ALIASES: Mapping[str, str] = MappingProxyType(_aliases(ORGANS, _ORGAN_WORDS))

# JGCA station numbers (abdominal and lower mediastinal), with what each drains.
STATIONS: Mapping[str, Labels] = MappingProxyType(
    {
        "1": ("station 1, right paracardial", "1组，贲门右"),
        "2": ("station 2, left paracardial", "2组，贲门左"),
        "3": ("station 3, lesser curvature", "3组，胃小弯"),
        "4": ("station 4, greater curvature", "4组，胃大弯"),
        "5": ("station 5, suprapyloric", "5组，幽门上"),
        "6": ("station 6, infrapyloric", "6组，幽门下"),
        "7": ("station 7, left gastric artery", "7组，胃左动脉旁"),
        "8": ("station 8, common hepatic artery", "8组，肝总动脉旁"),
        "9": ("station 9, coeliac artery", "9组，腹腔干旁"),
        "10": ("station 10, splenic hilum", "10组，脾门"),
        "11": ("station 11, splenic artery", "11组，脾动脉旁"),
        "12": (
            "station 12, hepatoduodenal ligament and hepatic hilum (porta hepatis)",
            "12组，肝十二指肠韧带及肝门",
        ),
        "13": ("station 13, posterior pancreatic head", "13组，胰头后"),
        "14": ("station 14, superior mesenteric vessels", "14组，肠系膜上血管旁"),
        "15": ("station 15, middle colic vessels", "15组，结肠中血管旁"),
        "16a": ("station 16a, para-aortic, upper (16a1, 16a2)", "16a组，腹主动脉旁（上）"),
        "16b": ("station 16b, para-aortic, lower (16b1, 16b2)", "16b组，腹主动脉旁（下）"),
        "17": ("station 17, anterior pancreatic head", "17组，胰头前"),
        "18": ("station 18, inferior pancreatic body", "18组，胰体下缘"),
        "19": ("station 19, infradiaphragmatic", "19组，膈下"),
        "20": ("station 20, oesophageal hiatus", "20组，食管裂孔"),
        "110": ("station 110, lower thoracic paraoesophageal", "110组，下胸段食管旁"),
        "111": ("station 111, supradiaphragmatic", "111组，膈上"),
        "112": ("station 112, posterior mediastinal", "112组，后纵隔"),
    }
)

# Named regions outside the station numbering. Regions on both sides are separate
# drainage regions per side.
NAMED_REGIONS: Mapping[str, Labels] = MappingProxyType(
    {
        "cardiophrenic": ("cardiophrenic angle (paracardiac)", "心膈角"),
        "retrocrural": ("retrocrural", "膈脚后"),
        "mesenteric": ("mesenteric", "肠系膜"),
        "mediastinal": ("mediastinal", "纵隔"),
        "pulmonary-hilar-left": ("left pulmonary hilum", "左肺门"),
        "pulmonary-hilar-right": ("right pulmonary hilum", "右肺门"),
        "internal-mammary": ("internal mammary", "内乳"),
        "supraclavicular-left": ("left supraclavicular", "左锁骨上"),
        "supraclavicular-right": ("right supraclavicular", "右锁骨上"),
        "cervical-left": ("left cervical", "左颈部"),
        "cervical-right": ("right cervical", "右颈部"),
        "axillary-left": ("left axillary", "左腋窝"),
        "axillary-right": ("right axillary", "右腋窝"),
        "iliac-left": ("left iliac", "左髂血管旁"),
        "iliac-right": ("right iliac", "右髂血管旁"),
        "inguinal-left": ("left inguinal", "左腹股沟"),
        "inguinal-right": ("right inguinal", "右腹股沟"),
    }
)
SIDED_REGIONS = frozenset(
    code.rsplit("-", 1)[0] for code in NAMED_REGIONS if code.endswith(("-left", "-right"))
)

_REGION_WORDS: dict[str, tuple[str, ...]] = {
    "12": (
        "porta hepatis",
        "hepatic hilum",
        "hepatic hilar",
        "liver hilum",
        "hilar hepatic",
        "hepatoduodenal",
        "hepatoduodenal ligament",
        "肝门",
        "肝十二指肠韧带",
    ),
    "8": ("common hepatic artery", "common hepatic"),
    "9": ("celiac", "coeliac", "celiac axis", "celiac trunk", "coeliac axis", "腹腔干"),
    "10": ("splenic hilum", "脾门"),
    "13": ("posterior pancreatic head", "retropancreatic"),
    "14": ("superior mesenteric", "superior mesenteric artery"),
    "cardiophrenic": ("paracardiac", "cardiophrenic angle", "pericardiac"),
    "mediastinal": ("mediastinum",),
    "internal-mammary": ("internal mammary chain", "parasternal"),
}


def _region_aliases() -> dict[str, str]:
    out = _aliases({**STATIONS, **NAMED_REGIONS}, _REGION_WORDS)
    for code in NAMED_REGIONS:
        base, _, side = code.rpartition("-")
        if side in ("left", "right"):
            name = base.replace("-", " ")
            out[f"{side} {name}"] = code
            out[f"{name} {side}"] = code
    return {alias: code for alias, code in out.items() if not alias[0].isdigit()}


REGION_ALIASES: Mapping[str, str] = MappingProxyType(_region_aliases())
