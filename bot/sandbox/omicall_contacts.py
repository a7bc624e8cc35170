"""OMICall ``Contact`` records: validation of request bodies, search matching, demo seed."""

from __future__ import annotations

import random
import re
from datetime import datetime
from typing import Any

from bot.sandbox.demo_data import address, birthday, email_for, person_name, token, unique_mobiles
from bot.sandbox.vnphone import national

CONTACT_FIELDS = (
    "fullName",
    "phones",
    "emails",
    "tags",
    "more_infomation",  # sic: the provider's spelling
    "user_owner_email",
    "refId",
    "refCode",
    "job_title",
    "note",
    "birthday",
    "gender",
    "passport",
    "address",
)
TEXT_FIELDS = (
    "fullName",
    "user_owner_email",
    "refId",
    "refCode",
    "job_title",
    "note",
    "passport",
    "address",
)
# seed: phones/emails "type : "home", // home, personal, office valueType : "Nhà" // Nhà, Cá
# nhân, Công ty"
VALUE_TYPES = {"home": "Nhà", "personal": "Cá nhân", "office": "Công ty"}
# seed: "Giới tính gồm ( 'other' : Giới tính khác; 'male' : Nam; 'female' : Nữ)"
GENDERS = ("male", "female", "other")
AGENTS = ("an.nguyen@callops.vn", "binh.tran@callops.vn", "chi.le@callops.vn")
TAGS = ("Khách lẻ", "Khách có nhu cầu", "VIP", "Đã gọi", "Tiềm năng")
JOBS = ("Kế toán", "Giáo viên", "Kỹ sư", "Chủ cửa hàng", "Nhân viên văn phòng", None)
_NON_DIGITS = re.compile(r"\D")


class ContactInvalid(ValueError):
    """A request body field that is not acceptable; the message names the field.

    Outside ``bot.errors``: the sandbox imports nothing from the rest of ``bot``; this is the
    simulated provider's refusal, sent as an HTTP answer, not an error of callops.
    """


def clean_contact(body: Any) -> dict[str, Any]:
    """The documented ``Contact`` fields present in ``body``, validated (unknown keys dropped).

    Only what the seed states is checked: types (string, array), the birthday format, the
    gender and phone/e-mail type enumerations. It names no required field for a new
    contact and no format for a phone or an e-mail, so none is enforced here.
    """
    if not isinstance(body, dict):
        raise ContactInvalid("contact must be a JSON object")
    out: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if body.get(name) is not None:
            if not isinstance(body[name], str):
                raise ContactInvalid(f"{name} must be a string")
            out[name] = body[name]
    for name in ("phones", "emails"):
        if body.get(name) is not None:
            out[name] = _channels(name, body[name])
    if body.get("tags") is not None:
        tags = body["tags"]
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise ContactInvalid("tags must be an array of strings")
        out["tags"] = list(tags)
    if body.get("more_infomation") is not None:
        out["more_infomation"] = _more_information(body["more_infomation"])
    if body.get("birthday") is not None:  # seed: "birthday string … định dạng : (dd/MM/yyyy)"
        try:
            datetime.strptime(body["birthday"], "%d/%m/%Y")
        except (TypeError, ValueError):
            raise ContactInvalid("birthday must be dd/MM/yyyy") from None
        out["birthday"] = body["birthday"]
    if body.get("gender") is not None:
        if body["gender"] not in GENDERS:
            raise ContactInvalid("gender must be one of male, female, other")
        out["gender"] = body["gender"]
    return out


def blank_contact(contact_id: str) -> dict[str, Any]:
    """A contact with every documented field empty."""
    contact: dict[str, Any] = {"id": contact_id}
    for name in CONTACT_FIELDS:
        contact[name] = [] if name in ("phones", "emails", "tags", "more_infomation") else None
    return contact


def matches_keyword(contact: dict[str, Any], keyword: str) -> bool:
    """Whether ``keyword`` matches a phone, an e-mail or the full name (case-insensitive)."""
    needle = keyword.strip().casefold()
    if not needle:
        return True
    if needle in (contact.get("fullName") or "").casefold():
        return True
    if any(needle in str(e.get("data", "")).casefold() for e in contact.get("emails") or []):
        return True
    digits = _NON_DIGITS.sub("", needle)
    wanted = national(keyword)
    for phone in contact.get("phones") or []:
        data = str(phone.get("data", ""))
        if wanted is not None and national(data) == wanted:
            return True
        if len(digits) >= 3 and digits in _NON_DIGITS.sub("", data):
            return True
    return False


def has_phone(contact: dict[str, Any], phone: str) -> bool:
    """Whether one of the contact's phones is ``phone`` (compared in national form)."""
    wanted = national(phone) or _NON_DIGITS.sub("", phone)
    return any(
        (national(str(p.get("data", ""))) or _NON_DIGITS.sub("", str(p.get("data", "")))) == wanted
        for p in contact.get("phones") or []
    )


def seed_contacts(rng: random.Random, count: int = 300) -> list[dict[str, Any]]:
    """``count`` demo CRM contacts with Vietnamese names and mobile numbers."""
    contacts = []
    for n, phone in enumerate(unique_mobiles(rng, count), start=1):
        name, gender = person_name(rng)
        contact = blank_contact(token(rng, "", 12))
        contact.update(
            fullName=name,
            phones=[{"data": phone, "type": "personal", "valueType": "Cá nhân"}],
            emails=(
                [{"data": email_for(name, n, rng), "type": "personal", "valueType": "Cá nhân"}]
                if rng.random() < 0.7
                else []
            ),
            tags=rng.sample(TAGS, rng.randrange(3)),
            user_owner_email=rng.choice(AGENTS) if rng.random() < 0.7 else None,
            refId=f"KH{n:05d}",
            refCode=f"CRM-{n:05d}",
            job_title=rng.choice(JOBS),
            birthday=birthday(rng),
            gender=gender,
            address=address(rng),
        )
        contacts.append(contact)
    return contacts


def _channels(name: str, value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise ContactInvalid(f"{name} must be an array")
    out = []
    for i, item in enumerate(value):
        data = item.get("data") if isinstance(item, dict) else None
        # seed: "Danh sách đối tượng PHONE Ví dụ : [{ data: "02525485xxx", type …}]"
        if not isinstance(data, str) or not data.strip():
            raise ContactInvalid(f"{name}[{i}].data is required")
        kind = item.get("type")
        if kind is not None and kind not in VALUE_TYPES:
            raise ContactInvalid(f"{name}[{i}].type must be one of home, personal, office")
        value_type = item.get("valueType")
        if value_type is not None and value_type not in VALUE_TYPES.values():
            raise ContactInvalid(f"{name}[{i}].valueType must be one of Nhà, Cá nhân, Công ty")
        out.append({"data": data, "type": kind, "valueType": value_type or VALUE_TYPES.get(kind)})
    return out


def _more_information(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise ContactInvalid("more_infomation must be an array")
    for i, item in enumerate(value):
        if not isinstance(item, dict) or not isinstance(item.get("display_value"), str):
            raise ContactInvalid(f"more_infomation[{i}].display_value is required")
    return [{"value_type": i.get("value_type"), "display_value": i["display_value"]} for i in value]
