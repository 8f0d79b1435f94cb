"""The words of the pre-screening pages in English and Simplified Chinese.

The pages are written without Django (``oligotrial prescreen --language``), so their few
strings live here, not in the web application's catalogue. Each entry is a format string;
``{name}`` fields are filled by the template.
"""

from __future__ import annotations

from oligotrial.errors import InputError

LANGUAGES = ("en", "zh-hans")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Pre-screening {protocol}",
        "heading": "Pre-screening for {protocol} v{version}, as of {day}",
        "site_heading": "Pre-screening for {protocol} v{version} — site {site}",
        "counts": (
            "{patients} patients in the export; {population} with an HCC diagnosis were "
            "screened: {candidates} candidates, {excluded} excluded. {problems} problems and "
            "{unknown} codings not in the mapping were found."
        ),
        "sites": "Sites",
        "site": "Site",
        "candidates": "Candidates",
        "excluded": "Excluded",
        "problems": "Problems (first {n}; all in problems.csv)",
        "none": "None.",
        "file": "File",
        "line": "Line",
        "problem": "Problem",
        "unknown": "Codings not in the mapping (most frequent; all in unknown-codes.csv)",
        "resource": "Resource",
        "system": "System",
        "code": "Code",
        "count": "Count",
        "intro": (
            "From the hospital's FHIR export, as of {day}. A candidate fails no criterion on "
            "the data the EHR holds; the fields listed must still be checked in the chart. "
            "Every value shown comes from the resource named beside it."
        ),
        "candidates_heading": "Candidates ({n}), fewest fields left to check first",
        "excluded_heading": "Excluded ({n})",
        "patient": "Patient",
        "criteria_open": "Criteria open",
        "eligible": "none (eligible)",
        "fields_to_check": "Fields to check",
        "n_fields": "{n} fields",
        "from_ehr": "From the EHR",
        "n_from_ehr": "{n} fields from the EHR",
        "criteria_failed": "Criteria failed",
    },
    "zh-hans": {
        "title": "{protocol} 预筛选",
        "heading": "{protocol} v{version} 预筛选，截至 {day}",
        "site_heading": "{protocol} v{version} 预筛选 — 中心 {site}",
        "counts": (
            "导出数据中共 {patients} 名患者；其中 {population} 名有肝细胞癌诊断并已筛选："
            "候选 {candidates} 名，排除 {excluded} 名。发现 {problems} 个问题和 {unknown} "
            "个映射表中没有的编码。"
        ),
        "sites": "中心",
        "site": "中心",
        "candidates": "候选",
        "excluded": "排除",
        "problems": "问题（前 {n} 个；全部见 problems.csv）",
        "none": "无。",
        "file": "文件",
        "line": "行",
        "problem": "问题",
        "unknown": "映射表中没有的编码（按出现次数；全部见 unknown-codes.csv）",
        "resource": "资源",
        "system": "编码系统",
        "code": "编码",
        "count": "次数",
        "intro": (
            "数据来自医院的 FHIR 导出，截至 {day}。候选患者在电子病历已有的数据上不违反任何"
            "标准；列出的字段仍须在病历中核对。显示的每个值都来自其旁边注明的资源。"
        ),
        "candidates_heading": "候选患者（{n} 名），待核对字段最少者在前",
        "excluded_heading": "排除（{n} 名）",
        "patient": "患者",
        "criteria_open": "未定标准",
        "eligible": "无（符合）",
        "fields_to_check": "待核对字段",
        "n_fields": "{n} 个字段",
        "from_ehr": "来自电子病历",
        "n_from_ehr": "{n} 个字段来自电子病历",
        "criteria_failed": "不符合的标准",
    },
}


def labels(language: str) -> dict[str, str]:
    """The table for ``language`` (``en`` or ``zh-hans``)."""
    if language not in LABELS:
        raise InputError("--language", f"expected one of {', '.join(LANGUAGES)}, got {language!r}")
    return LABELS[language]
