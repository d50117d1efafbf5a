"""crawler.normalise.contacts: off-platform contacts in titles and descriptions."""

from __future__ import annotations

import pytest

from crawler.normalise.contacts import find_contacts


def found(text, country=None):
    return [(c.kind, c.normalized) for c in find_contacts(text, country)]


@pytest.mark.parametrize(
    "text,country,expected",
    [
        ("正品象牙手镯，加微信: IvoryKing88 详聊", "CN", [("wechat", "ivoryking88")]),
        ("VX ivoryking88 包邮", "CN", [("wechat", "ivoryking88")]),
        ("wechat:IVORYKING88", None, [("wechat", "ivoryking88")]),
        ("薇信 horn_art 同号", "CN", [("wechat", "horn_art")]),
        ("电话 +86 138 0013 8000", None, [("phone", "+8613800138000")]),
        ("手机138-0013-8000", "CN", [("phone", "+8613800138000")]),
        ("WhatsApp +234 803 123 4567 for price", "NG", [("whatsapp", "+2348031234567")]),
        ("call 0803 123 4567 now", "NG", [("phone", "+2348031234567")]),
        ("wa.me/2348031234567", None, [("whatsapp", "+2348031234567")]),
        (
            "Line ID: rhino_horn99 / TG @hornshop",
            "TH",
            [("line", "rhino_horn99"), ("telegram", "hornshop")],
        ),
        ("https://t.me/hornshop", None, [("telegram", "hornshop")]),
        ("QQ：123456789 微信同号", "CN", [("qq", "123456789")]),
        ("Mail: John.Doe@Gmail.com", None, [("email", "john.doe@gmail.com")]),
        ("john (at) gmail (dot) com", None, [("email", "john@gmail.com")]),
        # not contacts: prices, sizes, years, phrases after a label
        ("WhatsApp me for price", None, []),
        ("Price 1,234,567 USD, 12 x 30 cm, 2019", "US", []),
        ("Preis: 1.234,50 €", "DE", []),
        ("", None, []),
        (None, None, []),
    ],
)
def test_find_contacts(text, country, expected):
    assert found(text, country) == expected


@pytest.mark.parametrize(
    "ways,kind,normalized",
    [
        (["微信: IvoryKing88", "VX ivoryking88", "wechat:IVORYKING88"], "wechat", "ivoryking88"),
        (["+86 138 0013 8000", "138-0013-8000", "(+86) 13800138000"], "phone", "+8613800138000"),
        (
            ["WhatsApp +234 803 123 4567", "wa.me/2348031234567", "whatsapp: 0803 123 4567"],
            "whatsapp",
            "+2348031234567",
        ),
        (["a@b.com", "A@B.COM", "a [at] b [dot] com"], "email", "a@b.com"),
    ],
)
def test_one_contact_written_three_ways(ways, kind, normalized):
    keys = {
        (c.kind, c.normalized)
        for text in ways
        for c in find_contacts(text, "CN" if kind != "whatsapp" else "NG")
    }
    assert keys == {(kind, normalized)}


def test_offsets_point_into_the_text():
    text = "Ivory bangle. 微信: IvoryKing88, phone +86 138 0013 8000, mail a@b.com"
    contacts = find_contacts(text, "CN")
    assert [c.kind for c in contacts] == ["wechat", "phone", "email"]
    for contact in contacts:
        assert text[contact.start : contact.end] == contact.value
