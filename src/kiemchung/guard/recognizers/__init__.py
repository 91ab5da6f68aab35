"""The leak guard's recognizers, one module per family, registered by entity type.

Third-party recognizers join through the ``kiemchung.recognizers`` entry-point group or
:func:`register_recognizer`; each is a zero-argument factory returning a Presidio
``EntityRecognizer``.
"""

from __future__ import annotations

from collections.abc import Callable

from presidio_analyzer import EntityRecognizer

from kiemchung.guard.recognizers.address import VnAddressRecognizer
from kiemchung.guard.recognizers.contact import VnEmailRecognizer, VnPhoneRecognizer
from kiemchung.guard.recognizers.credential import VnCredentialRecognizer
from kiemchung.guard.recognizers.dates import VnDateOfBirthRecognizer
from kiemchung.guard.recognizers.finance import VnBankAccountRecognizer, VnCardNumberRecognizer
from kiemchung.guard.recognizers.identity import (
    VnCitizenIdRecognizer,
    VnOldIdCardRecognizer,
    VnPassportRecognizer,
    VnSocialInsuranceRecognizer,
    VnTaxCodeRecognizer,
)
from kiemchung.guard.recognizers.marking import VnClassifiedMarkingRecognizer
from kiemchung.guard.recognizers.person import VnPersonRecognizer
from kiemchung.guard.recognizers.vehicle import VnLicensePlateRecognizer
from kiemchung.registry import Registry

RecognizerFactory = Callable[[], EntityRecognizer]
RECOGNIZERS: Registry[RecognizerFactory] = Registry(
    "recognizer", entry_point_group="kiemchung.recognizers"
)
for _factory in (
    VnCitizenIdRecognizer,
    VnOldIdCardRecognizer,
    VnPhoneRecognizer,
    VnEmailRecognizer,
    VnBankAccountRecognizer,
    VnCardNumberRecognizer,
    VnTaxCodeRecognizer,
    VnPassportRecognizer,
    VnLicensePlateRecognizer,
    VnSocialInsuranceRecognizer,
    VnAddressRecognizer,
    VnPersonRecognizer,
    VnDateOfBirthRecognizer,
    VnClassifiedMarkingRecognizer,
    VnCredentialRecognizer,
):
    RECOGNIZERS.register(_factory.ENTITY, _factory)


def register_recognizer(entity: str, factory: RecognizerFactory) -> None:
    """Add (or replace) the recognizer for ``entity`` in this process."""
    RECOGNIZERS.register(entity, factory)
