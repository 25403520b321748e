"""ISO 20022 pain.001.001.03 SEPA credit-transfer files, as Finnish banks take them.

sepaxml writes the document; each payment's remittance information is then made structured: a
Finnish RF creditor reference (ISO 11649; or a light entrepreneur's invoicing service's own
reference, decision 0036) in ``RmtInf/Strd/CdtrRefInf`` with type ``SCOR``
(Finance Finland's C2B guidelines), which sepaxml itself only writes as free text.
"""

import datetime as dt
import xml.etree.ElementTree as ET

import msgspec
from sepaxml import SepaTransfer

SCHEMA = "pain.001.001.03"
NS = f"urn:iso:std:iso:20022:tech:xsd:{SCHEMA}"


class Debtor(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    iban: str
    bic: str = ""


class Payment(msgspec.Struct, frozen=True, kw_only=True):
    creditor_name: str
    creditor_iban: str
    amount_cents: int
    # The RF creditor reference; also the end-to-end id, so the bank's statement names the batch.
    reference: str
    description: str
    # The creditor's own reference for the remittance information (a light entrepreneur's invoicing
    # service's, decision 0036); "" → ``reference``.
    remittance_reference: str = ""


def pain001(debtor: Debtor, payments: list[Payment], execution_date: dt.date) -> bytes:
    """One file: the organiser pays every batch in ``payments`` from its own account."""
    config = {"name": debtor.name, "IBAN": debtor.iban.replace(" ", ""), "batch": True, "currency": "EUR"}
    if debtor.bic:
        config["BIC"] = debtor.bic
    transfer = SepaTransfer(config, schema=SCHEMA, clean=True)
    for payment in payments:
        transfer.add_payment(
            {
                "name": payment.creditor_name,
                "IBAN": payment.creditor_iban.replace(" ", ""),
                "amount": payment.amount_cents,
                "execution_date": execution_date,
                "description": payment.description,
                "endtoend_id": payment.reference,
            }
        )
    plain = transfer.export(validate=False)
    return _structured_references(plain, {p.reference: p.remittance_reference for p in payments if p.remittance_reference})


def _structured_references(document: bytes, own: dict[str, str]) -> bytes:
    """Replace each payment's free-text remittance with its structured reference: the creditor's
    own where ``own`` names one for the payment's end-to-end id, else the batch's RF reference."""
    ET.register_namespace("", NS)
    root = ET.fromstring(document)
    q = lambda tag: f"{{{NS}}}{tag}"  # noqa: E731
    for tx in root.iter(q("CdtTrfTxInf")):
        end_to_end = tx.find(f"{q('PmtId')}/{q('EndToEndId')}").text
        reference = own.get(end_to_end, end_to_end)
        rmt = tx.find(q("RmtInf"))
        for child in list(rmt):
            rmt.remove(child)
        strd = ET.SubElement(rmt, q("Strd"))
        cdtr_ref = ET.SubElement(strd, q("CdtrRefInf"))
        tp = ET.SubElement(cdtr_ref, q("Tp"))
        ET.SubElement(ET.SubElement(tp, q("CdOrPrtry")), q("Cd")).text = "SCOR"
        if reference.upper().startswith("RF"):
            ET.SubElement(tp, q("Issr")).text = "ISO"  # a national reference number has no issuer
        ET.SubElement(cdtr_ref, q("Ref")).text = reference
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")
