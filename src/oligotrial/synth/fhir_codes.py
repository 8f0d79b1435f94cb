"""Codes the synthetic hospital export writes: realistic LOINC / ICD-10 / ATC / SNOMED
codings and the UCUM code of each unit spelling the synthetic sites use.

These are what a hospital system would emit, written independently of the importer's
mapping table (:mod:`oligotrial.interop.fhir`), so that a round trip tests the table.
"""

from __future__ import annotations

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
ATC = "http://www.whocc.no/atc"
ICDO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3"
FORMULARY = "urn:oid:2.16.156.10011.2.5.1.1"
UCUM = "http://unitsofmeasure.org"

# analyte -> LOINC code by the unit's kind (mass or moles per volume), and display
LAB_LOINC: dict[str, tuple[str, str]] = {
    "bilirubin-mass": ("1975-2", "Bilirubin.total [Mass/volume] in Serum or Plasma"),
    "bilirubin-moles": ("14631-6", "Bilirubin.total [Moles/volume] in Serum or Plasma"),
    "albumin": ("1751-7", "Albumin [Mass/volume] in Serum or Plasma"),
    "inr": ("6301-6", "INR in Platelet poor plasma by Coagulation assay"),
    "afp": ("1834-1", "Alpha-1-Fetoprotein [Mass/volume] in Serum or Plasma"),
    "hbv_dna": ("29615-2", "Hepatitis B virus DNA [#/volume] in Serum or Plasma by NAA"),
    "alt": ("1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma"),
    "ast": ("1920-8", "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma"),
    "platelets": ("777-3", "Platelets [#/volume] in Blood by Automated count"),
    "neutrophils": ("751-8", "Neutrophils [#/volume] in Blood by Automated count"),
    "creatinine": ("2160-0", "Creatinine [Mass/volume] in Serum or Plasma"),
    "haemoglobin": ("718-7", "Hemoglobin [Mass/volume] in Blood"),
    "glucose": ("2345-7", "Glucose [Mass/volume] in Serum or Plasma"),
    "heart_rate": ("8867-4", "Heart rate"),
    "weight": ("29463-7", "Body weight"),
}
ECOG = ("89247-1", "ECOG Performance Status score")
ECOG_ANSWERS = ("LA9622-7", "LA9623-5", "LA9624-3", "LA9625-0", "LA9626-8", "LA9627-6")
HBSAG = ("5196-1", "Hepatitis B virus surface Ag [Presence] in Serum by Immunoassay")
PREGNANCY = ("82810-3", "Pregnancy status")
POSITIVE, NEGATIVE = ("10828004", "Positive"), ("260385009", "Negative")
PREGNANT, NOT_PREGNANT = ("77386006", "Pregnant"), ("60001007", "Not pregnant")

# unit as the site spells it -> UCUM code
UCUM_CODES: dict[str, str] = {
    "µmol/L": "umol/L",
    "μmol/L": "umol/L",
    "umol/L": "umol/L",
    "mg/dL": "mg/dL",
    "g/L": "g/L",
    "g/dL": "g/dL",
    "ng/mL": "ng/mL",
    "IU/mL": "[IU]/mL",
    "1": "{INR}",
    "U/L": "U/L",
    "10^9/L": "10*9/L",
    "/min": "/min",
    "kg": "kg",
    "mmol/L": "mmol/L",
}

# drug name -> (system, code)
DRUGS: dict[str, tuple[str, str]] = {
    "atezolizumab": (ATC, "L01FF05"),
    "bevacizumab": (ATC, "L01FG01"),
    "durvalumab": (ATC, "L01FF03"),
    "tremelimumab": (ATC, "L01FX20"),
    "tislelizumab": (ATC, "L01FF09"),
    "sorafenib": (ATC, "L01EX02"),
    "lenvatinib": (ATC, "L01EX08"),
    "sintilimab": (FORMULARY, "SINTILIMAB"),
    "IBI305": (FORMULARY, "IBI305"),
    "camrelizumab": (FORMULARY, "CAMRELIZUMAB"),
    "rivoceranib": (FORMULARY, "RIVOCERANIB"),
    "donafenib": (FORMULARY, "DONAFENIB"),
    "entecavir": (ATC, "J05AF10"),
    "tenofovir disoproxil": (ATC, "J05AF07"),
    "tenofovir alafenamide": (ATC, "J05AF13"),
    "ramipril": (ATC, "C09AA05"),
    "metformin": (ATC, "A10BA02"),
    "amlodipine": (ATC, "C08CA01"),
    "omeprazole": (ATC, "A02BC01"),
}

# other malignancy in words -> ICD-10
MALIGNANCY_ICD10: dict[str, str] = {
    "colorectal carcinoma": "C18.9",
    "gastric carcinoma": "C16.9",
    "thyroid carcinoma": "C73",
    "basal cell carcinoma of the skin": "C44.9",
    "cervical carcinoma in situ": "D06.9",
}
# background conditions of a hospital population (ICD-10, display, share)
BACKGROUND_CONDITIONS: tuple[tuple[str, str, float], ...] = (
    ("I10", "Essential (primary) hypertension", 0.35),
    ("E11.9", "Type 2 diabetes mellitus without complications", 0.18),
    ("K74.6", "Other and unspecified cirrhosis of liver", 0.06),
    ("B18.1", "Chronic viral hepatitis B without delta-agent", 0.08),
    ("J44.9", "Chronic obstructive pulmonary disease, unspecified", 0.07),
    ("C18.9", "Malignant neoplasm of colon, unspecified", 0.03),
    ("C34.9", "Malignant neoplasm of bronchus or lung, unspecified", 0.03),
    ("C78.0", "Secondary malignant neoplasm of lung", 0.01),
    ("Z94.0", "Kidney transplant status", 0.005),
)
HCC_ICD10 = ("C22.0", "Liver cell carcinoma")
PATHOLOGY = {
    "histology": ("11529-5", "Surgical pathology study"),
    "cytology": ("33717-0", "Cytology report"),
}
HISTOLOGY_ICDO3 = {
    "hcc": ("8170/3", "Hepatocellular carcinoma, NOS"),
    "combined-hcc-cca": ("8180/3", "Combined hepatocellular carcinoma and cholangiocarcinoma"),
}
RADIOTHERAPY = ("108290001", "Radiation oncology AND/OR radiotherapy")
LIVER_TRANSPLANT = ("18027006", "Transplantation of liver")
