"""What the SDTM and the ADaM define.xml share (Define-XML 2.1 with odmlib): descriptions,
standards, codelists, methods, the ItemDef of a variable's type and length, and the
``ODM``/``Study``/``MetaDataVersion`` frame around them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import odmlib.define_2_1.model as DEFINE

from oligotrial.interop.cdisc.dataset import Dataset, Variable
from oligotrial.interop.cdisc.define.codelists import Codelist
from oligotrial.protocol import Protocol

#: (OID, Name, Type, Version, PublishingSet) of each standard a define.xml may declare
SDTMIG = ("STD.SDTMIG", "SDTMIG", "IG", "3.4", None)
ADAMIG = ("STD.ADAMIG", "ADaMIG", "IG", "1.3", None)
CT = ("STD.CT.SDTM", "CDISC/NCI", "CT", "2024-09-27", "SDTM")
ADAM_CT = ("STD.CT.ADAM", "CDISC/NCI", "CT", "2024-09-27", "ADaM")
Standard = tuple[str, str, str, str, str | None]

_DATA_TYPE = {
    "text": "text",
    "integer": "integer",
    "float": "float",
    "date": "date",
    "datetime": "datetime",
}


def text(value: str) -> Any:
    """A Description with one English TranslatedText."""
    return DEFINE.Description(TranslatedText=[DEFINE.TranslatedText(_content=value, lang="en")])


def item_def(dataset: Dataset, v: Variable, data_type: str | None = None) -> Any:
    """The ItemDef of ``v`` in ``dataset``: type, length (text: the longest value in bytes;
    numbers: 8), two significant digits for floats, the label as description."""
    data_type = data_type or _DATA_TYPE[v.type]
    item = DEFINE.ItemDef(
        OID=f"IT.{dataset.name}.{v.name}", Name=v.name, DataType=data_type, SASFieldName=v.name
    )
    if data_type in ("text", "integer", "float"):
        item.Length = dataset.text_length(v.name) if data_type == "text" else 8
    if data_type == "float":
        item.SignificantDigits = 2
    item.Description = text(v.label)
    return item


def codelist_def(c: Codelist, ct_oid: str) -> Any:
    """The CodeList of ``c``: its terms with decodes and NCI codes (a term without a code
    in a CDISC list is an extended value), or the external dictionary it names."""
    out = DEFINE.CodeList(OID=c.oid, Name=c.name, DataType=c.data_type)
    if c.external is not None:
        out.ExternalCodeList = DEFINE.ExternalCodeList(
            Dictionary=c.external[0], Version=c.external[1]
        )
        out.CommentOID = "COM.CTCAE"
        return out
    if c.code:
        out.StandardOID = ct_oid
    for number, term in enumerate(c.terms, start=1):
        item = DEFINE.CodeListItem(CodedValue=term.value, OrderNumber=number)
        item.Decode = DEFINE.Decode(
            TranslatedText=[DEFINE.TranslatedText(_content=term.decode, lang="en")]
        )
        if term.code:
            item.Alias = [DEFINE.Alias(Context="nci:ExtCodeID", Name=term.code)]
        else:
            item.ExtendedValue = "Yes" if c.code else None
        out.CodeListItem.append(item)
    if c.code:
        out.Alias = [DEFINE.Alias(Context="nci:ExtCodeID", Name=c.code)]
    return out


def method_def(oid: str, name: str, description: str) -> Any:
    """A computation method described in words."""
    return DEFINE.MethodDef(OID=oid, Name=name, Type="Computation", Description=text(description))


def metadata_version(protocol: Protocol, model: str, standards: Iterable[Standard]) -> Any:
    """An empty MetaDataVersion of the ``model`` ("SDTM" or "ADaM") data sets."""
    mdv = DEFINE.MetaDataVersion(
        OID=f"MDV.{protocol.id}.{model}",
        Name=f"{protocol.id} {model}",
        Description=f"{model} data sets of {protocol.id}, protocol version {protocol.version}",
        DefineVersion="2.1.0",
    )
    listed = []
    for oid, name, kind, version, publishing_set in standards:
        extra = {"PublishingSet": publishing_set} if publishing_set else {}
        listed.append(
            DEFINE.Standard(OID=oid, Name=name, Type=kind, **extra, Version=version, Status="Final")
        )
    mdv.Standards = DEFINE.Standards(Standard=listed)
    return mdv


def document(mdv: Any, protocol: Protocol, model: str, created: dt.datetime | None) -> Any:
    """The define.xml ODM document around ``mdv``."""
    created = (created or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    study = DEFINE.Study(
        OID=f"ST.{protocol.id}",
        GlobalVariables=DEFINE.GlobalVariables(
            StudyName=DEFINE.StudyName(_content=protocol.id),
            StudyDescription=DEFINE.StudyDescription(_content=" ".join(protocol.title.split())),
            ProtocolName=DEFINE.ProtocolName(_content=protocol.id),
        ),
        MetaDataVersion=mdv,
    )
    return DEFINE.ODM(
        FileOID=f"DEF.{protocol.id}.{model}",
        AsOfDateTime=created.isoformat(),
        CreationDateTime=created.isoformat(),
        ODMVersion="1.3.2",
        FileType="Snapshot",
        Originator="oligotrial",
        SourceSystem="oligotrial",
        Context="Submission",
        Study=study,
    )


def dataset_comments(mdv: Any, datasets: Iterable[Dataset]) -> None:
    """A CommentDef ``COM.<name>`` with the notes of each data set that has notes."""
    for dataset in datasets:
        if dataset.notes:
            mdv.CommentDef.append(
                DEFINE.CommentDef(
                    OID=f"COM.{dataset.name}", Description=text(" | ".join(dataset.notes))
                )
            )


def leaf(name: str) -> Any:
    """The def:leaf pointing at the data set's XPT file."""
    return DEFINE.leaf(
        ID=f"LF.{name}",
        href=f"{name.lower()}.xpt",
        title=DEFINE.title(_content=f"{name.lower()}.xpt"),
    )
