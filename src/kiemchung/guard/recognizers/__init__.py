"""The leak guard's recognizers, one module per family, registered by entity type.

Third-party recognizers join through the ``kiemchung.recognizers`` entry-point group or
:func:`register_recognizer`; each is a zero-argument factory returning a Presidio
``EntityRecognizer``.
"""

from __future__ import annotations

from collections.abc import Callable

from presidio_analyzer import EntityRecognizer

from kiemchung.guard.recognizers.address import AddressRecognizer
from kiemchung.guard.recognizers.contact import EmailRecognizer, PhoneRecognizer
from kiemchung.guard.recognizers.credential import CredentialRecognizer
from kiemchung.guard.recognizers.dates import DateOfBirthRecognizer
from kiemchung.guard.recognizers.finance import BankAccountRecognizer, CardNumberRecognizer
from kiemchung.guard.recognizers.identity import (
    CitizenIdRecognizer,
    OldIdCardRecognizer,
    PassportRecognizer,
    SocialInsuranceRecognizer,
    TaxCodeRecognizer,
)
from kiemchung.guard.recognizers.marking import ClassifiedMarkingRecognizer
from kiemchung.guard.recognizers.person import PersonRecognizer
from kiemchung.guard.recognizers.vehicle import LicensePlateRecognizer
from kiemchung.registry import Registry

RecognizerFactory = Callable[[], EntityRecognizer]
RECOGNIZERS: Registry[RecognizerFactory] = Registry(
    "recognizer", entry_point_group="kiemchung.recognizers"
)
for _factory in (
    CitizenIdRecognizer,
    OldIdCardRecognizer,
    PhoneRecognizer,
    EmailRecognizer,
    BankAccountRecognizer,
    CardNumberRecognizer,
    TaxCodeRecognizer,
    PassportRecognizer,
    LicensePlateRecognizer,
    SocialInsuranceRecognizer,
    AddressRecognizer,
    PersonRecognizer,
    DateOfBirthRecognizer,
    ClassifiedMarkingRecognizer,
    CredentialRecognizer,
):
    RECOGNIZERS.register(_factory.ENTITY, _factory)

#: Entity types with a fixed format (the issue's F1 ≥ 0.95 group); the rest are ADDRESS, PERSON.
STRUCTURED_ENTITIES = (
    "VN_CITIZEN_ID",
    "VN_OLD_ID",
    "PHONE",
    "EMAIL",
    "BANK_ACCOUNT",
    "CARD_NUMBER",
    "TAX_CODE",
    "PASSPORT",
    "LICENSE_PLATE",
    "SOCIAL_INSURANCE",
    "DATE_OF_BIRTH",
    "CLASSIFIED_MARKING",
    "CREDENTIAL",
)


def register_recognizer(entity: str, factory: RecognizerFactory) -> None:
    """Add (or replace) the recognizer for ``entity`` in this process."""
    RECOGNIZERS.register(entity, factory)
