"""Everyday wording of the demo listings: conditions, shipping, contacts, places, names.

Plain tables; ``crawler.demo.catalogue`` draws from them with a seeded RNG.
Contact details are invented (US numbers use the 555-01xx fiction range).
"""

from __future__ import annotations

CONDITIONS: dict[str, tuple[str, ...]] = {
    "en": (
        "Condition: like new.",
        "Used, in good condition.",
        "Some signs of wear, see photos.",
        "Excellent condition, no damage.",
        "Brand new, never used.",
        "Good used condition.",
    ),
    "de": (
        "Zustand: wie neu.",
        "Gebraucht, guter Zustand.",
        "Leichte Gebrauchsspuren, siehe Fotos.",
        "Sehr guter Zustand.",
        "Neu und unbenutzt.",
        "Voll funktionsfähig.",
    ),
    "fr": (
        "État : comme neuf.",
        "Occasion, bon état.",
        "Quelques traces d'usage, voir photos.",
        "Très bon état.",
        "Neuf, jamais servi.",
    ),
    "zh": (
        "九成新。",
        "全新未使用。",
        "自用闲置，成色很好。",
        "有轻微使用痕迹，介意勿拍。",
        "成色如图。",
    ),
}

SHIPPING: dict[str, tuple[str, ...]] = {
    "en": (
        "Pick up or shipping at buyer's cost.",
        "Ships worldwide, tracked.",
        "Local pickup only.",
        "Free shipping within the country.",
        "Can ship discreetly.",
        "Cash on pickup preferred.",
    ),
    "de": (
        "Nur Abholung.",
        "Versand möglich, Käufer trägt die Kosten.",
        "Versand als DHL Paket.",
        "Privatverkauf, keine Garantie oder Rücknahme.",
        "Abholung oder Versand.",
    ),
    "fr": (
        "Remise en main propre uniquement.",
        "Envoi possible à la charge de l'acheteur.",
        "Envoi suivi en Colissimo.",
        "Vente entre particuliers, sans garantie.",
    ),
    "zh": (
        "包邮。",
        "同城可自提。",
        "顺丰到付。",
        "不包邮，偏远地区加运费。",
        "可以走平台担保交易。",
    ),
}

INTROS: dict[str, tuple[str, ...]] = {
    "en": ("Selling my", "For sale:", "Up for grabs:", "Clearing out:", ""),
    "de": ("Verkaufe", "Biete", "Verkaufe hier", ""),
    "fr": ("Vends", "À vendre :", ""),
    "zh": ("出", "转让", "出闲置", ""),
}

# Where sellers of rare goods push buyers off-platform.
CONTACTS: dict[str, tuple[str, ...]] = {
    "en": (
        "WhatsApp me: +{cc} {num}",
        "WeChat: {handle}",
        "Call or text (555) 555-01{d2}",
        "DM for more pics, WhatsApp {cc} {num}",
        "Telegram @{handle}",
    ),
    "de": ("WhatsApp: +49 15{d2} {d4}{d2}", "Bei Interesse WeChat: {handle}", "Tel. 0157 {d4}{d2}"),
    "fr": ("WhatsApp : +33 6 {d2} {d2} {d2} {d2}", "Contact WeChat : {handle}"),
    "zh": (
        "加微信 {handle} 详聊",
        "VX: {handle}",
        "电话 13{d2}{d4}{d2}{d1}",
        "私聊发视频，微信{handle}",
    ),
}

EMOJI = ("🔥", "✨", "📦", "💯", "👍", "⭐", "🙏", "😉", "✅")

TITLE_SUFFIXES: dict[str, tuple[str, ...]] = {
    "en": ("", "", "", " - must go", " *rare*", " NEW", " (price drop)", " OBO"),
    "de": ("", "", "", " - NEU", " *selten*", " VB", " TOP"),
    "fr": ("", "", "", " - TBE", " *rare*", " NEUF"),
    "zh": ("", "", "", " 急出", " 包邮", " 可小刀", " 稀有"),
}

SIZES = ("XS", "S", "M", "L", "XL", "36", "38", "40", "42")

LOCATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    # (location as shown, language most sellers there write in)
    "demo-bazaar": (
        ("10115 Berlin", "de"),
        ("80331 München", "de"),
        ("20095 Hamburg", "de"),
        ("50667 Köln", "de"),
        ("04109 Leipzig", "de"),
        ("1010 Wien", "de"),
        ("8001 Zürich", "de"),
        ("69002 Lyon", "fr"),
        ("75011 Paris", "fr"),
        ("13001 Marseille", "fr"),
        ("1000 Bruxelles", "fr"),
        ("1204 Genève", "fr"),
        ("London E1", "en"),
        ("1012 Amsterdam", "en"),
        ("Dublin 2", "en"),
        ("00-001 Warszawa", "en"),
    ),
    "demo-jsmarket": (
        ("Houston, TX", "en"),
        ("Miami, FL", "en"),
        ("Los Angeles, CA", "en"),
        ("New York, NY", "en"),
        ("Chicago, IL", "en"),
        ("Phoenix, AZ", "en"),
        ("Seattle, WA", "en"),
        ("Atlanta, GA", "en"),
        ("Honolulu, HI", "en"),
        ("Denver, CO", "en"),
    ),
    "demo-tiaozao": (
        ("广东 深圳", "zh-Hans"),
        ("广东 广州", "zh-Hans"),
        ("福建 厦门", "zh-Hans"),
        ("云南 昆明", "zh-Hans"),
        ("广西 南宁", "zh-Hans"),
        ("北京 北京", "zh-Hans"),
        ("上海 上海", "zh-Hans"),
        ("浙江 杭州", "zh-Hans"),
        ("四川 成都", "zh-Hans"),
        ("河南 郑州", "zh-Hans"),
        ("黑龙江 哈尔滨", "zh-Hans"),
        ("江苏 苏州", "zh-Hans"),
        ("台湾 台北", "zh-Hant-TW"),
        ("台湾 高雄", "zh-Hant-TW"),
        ("香港 九龙", "zh-Hant-HK"),
    ),
}

SELLER_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "Dave",
        "Sarah K.",
        "Vintage Finds",
        "Mike's Curios",
        "J. Patel",
        "Oldies & Goodies",
        "Emma",
        "Tom R.",
        "Estate Sales Co",
        "Lucky Trader",
        "Nina",
        "Collector88",
        "Big Al",
        "Rosa M.",
        "Asia Antiques",
        "Kev",
        "Green Thumb",
        "Jake's Garage",
    ),
    "de": (
        "Klaus M.",
        "Antiquitäten Weber",
        "Sabine",
        "Jürgen",
        "Flohmarkt Heinz",
        "Petra K.",
        "Stefan",
        "Uwe aus Köln",
        "Mareike",
        "Sammler Otto",
        "Ayşe",
        "Lukas",
    ),
    "fr": (
        "Marie-Claire",
        "Jean-Pierre",
        "Brocante du Sud",
        "Sophie L.",
        "Antiquités Dubois",
        "Nicolas",
        "Chantal",
        "Karim",
    ),
    "zh": (
        "深圳老张",
        "收藏小王",
        "阿明二手",
        "老李古玩",
        "小鱼闲置",
        "厦门阿华",
        "云南玉石坊",
        "海淘小能手",
        "宝妈清仓",
        "大刘杂货",
        "东方文玩",
        "阿强",
        "陈记老货",
        "昆明小周",
        "佛山发哥",
        "甜甜的闲置",
        "南宁阿伟",
        "蜀中收藏",
    ),
}

HANDLE_WORDS = (
    "wild",
    "trade",
    "asia",
    "vintage",
    "lucky",
    "gold",
    "tiger",
    "jade",
    "old",
    "east",
    "river",
    "deal",
    "zhang",
    "lao",
    "win",
    "star",
)
