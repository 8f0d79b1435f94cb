"""The MedDRA system organ class of CTCAE v5.0 terms (for AE tables by SOC).

CTCAE v5.0 (NCI, 2017) files every term under exactly one MedDRA SOC; the database stores
the term, and the SOC is looked up here when the analysis data are exported. Terms outside
this table are reported under "Not coded" rather than guessed.
"""

from __future__ import annotations

INVESTIGATIONS = "Investigations"
GENERAL = "General disorders and administration site conditions"
GASTRO = "Gastrointestinal disorders"
NOT_CODED = "Not coded"

CTCAE_SOC: dict[str, str] = {
    "alanine aminotransferase increased": INVESTIGATIONS,
    "aspartate aminotransferase increased": INVESTIGATIONS,
    "blood bilirubin increased": INVESTIGATIONS,
    "platelet count decreased": INVESTIGATIONS,
    "neutrophil count decreased": INVESTIGATIONS,
    "white blood cell decreased": INVESTIGATIONS,
    "weight loss": INVESTIGATIONS,
    "fatigue": GENERAL,
    "fever": GENERAL,
    "edema limbs": GENERAL,
    "hypertension": "Vascular disorders",
    "proteinuria": "Renal and urinary disorders",
    "anorexia": "Metabolism and nutrition disorders",
    "hypoalbuminemia": "Metabolism and nutrition disorders",
    "nausea": GASTRO,
    "vomiting": GASTRO,
    "diarrhea": GASTRO,
    "abdominal pain": GASTRO,
    "ascites": GASTRO,
    "gastrointestinal hemorrhage": GASTRO,
    "radiation-induced liver disease": "Hepatobiliary disorders",
    "hepatic failure": "Hepatobiliary disorders",
    "pneumonitis": "Respiratory, thoracic and mediastinal disorders",
    "dermatitis radiation": "Injury, poisoning and procedural complications",
    "palmar-plantar erythrodysesthesia syndrome": "Skin and subcutaneous tissue disorders",
    "rash maculo-papular": "Skin and subcutaneous tissue disorders",
    "pruritus": "Skin and subcutaneous tissue disorders",
    "hypothyroidism": "Endocrine disorders",
    "anemia": "Blood and lymphatic system disorders",
}


def soc_of(term: str) -> str:
    """The SOC of a CTCAE term (case-insensitive), or "Not coded"."""
    return CTCAE_SOC.get(term.strip().lower(), NOT_CODED)
