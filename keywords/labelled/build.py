#!/usr/bin/env python3
"""Build keywords/labelled/real_listings.jsonl from fetched snapshots of public repositories.

Every row's text is copied from a third-party source (see SOURCES.md); nothing here
writes listing text.  This script only selects rows, strips contact details,
deduplicates exact titles and applies the labelling guide (docs/labelling.md) as
(1) per-source defaults, (2) keyword rules and (3) hand-checked overrides by row id.

Re-run:  python3 keywords/labelled/build.py [--mirrors /work/.mirror]
The mirrors are bare git directories made by the project's `fetch` tool
(/work/.mirror/<owner>+<name>/repo); each source names the commit it reads.
"""

import argparse
import collections
import csv
import hashlib
import io
import json
import random
import re
import subprocess
import sys
from pathlib import Path

csv.field_size_limit(10**9)
HERE = Path(__file__).resolve().parent
OUT = HERE / "real_listings.jsonl"

# --------------------------------------------------------------------------- helpers


def git_show(mirrors, repo, commit, path):
    d = Path(mirrors) / repo.replace("/", "+") / "repo"
    if (d / ".git").is_dir():
        d = d / ".git"
    r = subprocess.run(
        ["git", "--git-dir", str(d), "show", f"{commit}:{path}"], capture_output=True, check=True
    )
    return r.stdout.decode("utf-8", "replace")


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
EMAIL_OBF = re.compile(
    r"[\w.+-]+\s*[\[(]\s*!?\s*(at|@)\s*[\])]\s*[\w-]+\s*(\.|[\[(]\s*dot\s*[\])])\s*[a-z]{2,6}\b",
    re.I,
)
PHONE = re.compile(r"(?<![\w/])(\+?\d[\d ()./-]{7,}\d)(?![\w/])")
HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{2,}")
MESSAGING = re.compile(
    r"\b(whats ?app|wechat|weixin|telegram|line id|skype|viber|微信|QQ)\s*[:：]?\s*[\w.+-]{4,}",
    re.I,
)


def scrub(text):
    """Strip e-mail addresses, phone numbers and messaging handles."""
    if not text:
        return text
    text = EMAIL.sub("[contact]", text)
    text = EMAIL_OBF.sub("[contact]", text)
    text = MESSAGING.sub("[contact]", text)
    text = HANDLE.sub("[contact]", text)

    def _phone(m):
        digits = re.sub(r"\D", "", m.group(1))
        # keep things that look like sizes, years, model numbers or prices
        if len(digits) < 9 or re.fullmatch(r"(19|20)\d{2}", digits[:4]) and len(digits) < 9:
            return m.group(0)
        return "[contact]"

    text = PHONE.sub(_phone, text)
    return text


def clean(s, n=None):
    s = re.sub(r"\s+", " ", (s or "")).strip()
    s = scrub(s)
    if n and len(s) > n:
        s = s[:n].rstrip() + "…"
    return s


# --------------------------------------------------------------------------- labelling rules
# The guide (docs/labelling.md) decides; these regexes only propose.  Rows the regexes
# cannot settle are settled by OVERRIDES (hand-checked, by id).

EN_DECOY = re.compile(
    r"\b(faux|fake|imitation|replica|resin|plush|stuffed toy|toy|figurine|figure|costume|print(ed)?|pattern|"
    r"embossed|vegan|pu leather|sticker|decal|poster|book|dvd|software|stamp|coin|t-?shirt|mug|"
    r"ivory (white|color|colour|dress|lace|satin|cream|silk|linen|wool|cashmere|bakelite|crochet|wedding)|"
    r"(white|cream|off[- ]white|blush|champagne)[ /-]ivory|ivory[- ]coloured|ivory[- ]colored)\b",
    re.I,
)

EN_WILD = re.compile(
    r"\b(ivory|tusk|netsuke|scrimshaw|tortoise ?shell|tortoiseshell|rhino(ceros)? horn|horn carving|"
    r"taxiderm\w*|skull|skeleton|specimen|pelt|hide|fur coat|mink|sable|fox fur|crocodile|alligator|python|"
    r"snake ?skin|shark fin|coral|shell|antler|mammoth|walrus|narwhal|whale ?bone|bone carving)\b",
    re.I,
)

ZH_WILD = {
    # keyword: note (label 1 unless the row is overridden)
    "鹿茸": "deer antler velvet (TCM)",
    "燕窝": "edible swiftlet nest",
    "燕盏": "edible swiftlet nest",
    "燕条": "edible swiftlet nest",
    "燕角": "edible swiftlet nest",
    "猛犸象牙": "mammoth ivory",
    "蝴蝶标本": "butterfly specimen",
    "蝶标本": "butterfly specimen",
    "沉香": "agarwood",
    "小叶紫檀": "Pterocarpus santalinus (red sandalwood)",
    "大果紫檀": "Pterocarpus macrocarpus",
    "花梨": "rosewood (Dalbergia/Pterocarpus)",
    "红木": "rosewood furniture",
    "檀香": "sandalwood",
    "水貂毛": "real mink fur",
    "海参": "sea cucumber",
    "鹿油": "deer fat",
    "鹿鞭": "deer penis (TCM)",
    "海马": "seahorse",
    "蛤蚧": "tokay gecko (TCM)",
    "穿山甲": "pangolin",
    "犀角": "rhino horn",
    "玳瑁": "hawksbill shell",
    "麝香": "musk",
    "熊胆": "bear bile",
    "羚羊角": "saiga horn",
    "鱼翅": "shark fin",
    "花胶": "fish maw",
    "鱼胶": "fish maw",
    "狐狸毛": "real fox fur",
    "貉子毛": "raccoon dog fur",
    "獭兔毛": "rex rabbit fur",
    "蛇皮": "snake skin",
    "鳄鱼皮": "crocodile leather",
    "象牙": "ivory",
    "牛角": "horn",
    "羊角": "horn",
    "鹿角": "antler",
    "珊瑚": "coral",
    "标本": "specimen",
    "活体": "live animal",
}

ZH_EXTRA = re.compile(
    r"林蛙|雪蛤|西洋参|野山参|人参|石斛|牛黄|孔雀翎|大雁毛|虫草|鹿皮绒|豹纹|蛇骨|蛇头|蛇胆|蛤蟆镜|狐狸|貂|鳄鱼|乌龟|蜥蜴|守宫|水族|鱼缸|鸟笼|羽毛|鲨|熊猫|虎|贝壳"
)
ZH_DECOY = re.compile(
    r"珊瑚绒|象牙白|象牙色|象牙果|鳄鱼夹|鳄鱼嘴|路虎|蛇皮袋|蛇皮网|蛇皮纹|貂绒|仿|玩具|卡通|印花|图案|牛角扣|牛角包|牛角面具|牛角披风|牛角碟刹|卡帝乐鳄鱼|鳄鱼面|皮肤|游戏|书|面具"
)


# --------------------------------------------------------------------------- sources

SOURCES = {
    "coleman_bats": dict(
        repo="nistara/painted-woolly-bat-trade",
        commit="e8967a8acf740524d97ca13c1674f27137ae367d",
        path="data/Coleman_et_al_unique-listings-info.csv",
    ),
    "wlt_osn": dict(
        repo="GMouYes/WLT-OSN",
        commit="525b7b59b42ec616c47f90a23ce26dbfd560dbd9",
        path="data/share_data.csv",
    ),
    "taobao_ner": dict(
        repo="allanj/ner_incomplete_annotation",
        commit="a885c29bba4178885dcf4b674019650775d9512c",
        path=["data/ecommerce/train.txt", "data/ecommerce/dev.txt", "data/ecommerce/test.txt"],
    ),
    "promap_cz": dict(
        repo="kackamac/Product-Mapping-Datasets",
        commit="346d62f8ec4d229db6c437d4c2d9101b02e1a8da",
        path="Basic ProMap Datasets/ProMapCz/promapcz-test_data.csv",
    ),
    "promap_en": dict(
        repo="kackamac/Product-Mapping-Datasets",
        commit="346d62f8ec4d229db6c437d4c2d9101b02e1a8da",
        path=[
            "Basic ProMap Datasets/ProMapEn/promapen-test_data.csv",
            "Extended ProMap Datasets/ProMapsExtended/original_data/promapen_ext-test_data.csv",
            "Extended ProMap Datasets/ProMapsMulti/original_data/promapmulti-test_data.csv",
            "Extended ProMap Datasets/ProMapsMulti/original_data/promapmulti_sears-test_data.csv",
            "Extended ProMap Datasets/ProMapsMulti/original_data/promapmulti_target-test_data.csv",
            "Basic ProMap Datasets/amazon-walmart/amazon_walmart-test_data.csv",
            "Basic ProMap Datasets/amazon-google/amazon_google-test_data.csv",
        ],
    ),
    "tokopedia": dict(
        repo="bintangfjulio/electronic_category_flatclassification",
        commit="62e108adb5e01f164881c2940c4f410e78cb3383",
        path="datasets/product_tokopedia.csv",
    ),
    "ebay_antiquities": dict(
        repo="maltaweel/eBayScraper",
        commit="07112e68dbe69ebadf3ef3f722f95bd9608b365f",
        path="data/",  # every data/*.csv (one per eBay antiquities category), column "Object"
    ),
    "parsy_fixtures": dict(
        repo="vkolev/parsy",
        commit="d278c0fbe8798784e432005719dd3d6787ad9b34",
        path=[
            ("tests/assets/amazon_de_search.html", "en", "Amazon.de"),
            ("tests/assets/amazon_com.html", "en", "Amazon US"),
            ("tests/assets/amazon_bestseller_de.html", "de", "Amazon.de"),
        ],
    ),
    "morphmarket": dict(
        repo="NicoGiuliani/morphmarket_scrapy",
        path=[
            ("6f4f12bd7be2c2d60d1ed2a378b271f2d9fc82fc", "listingScrape/amphibians.csv"),
            ("28c9bb0a91e49123b8dcf744cbb3effd7af51005", "listingScrape/other_boas.csv"),
        ],
    ),
    "wdc_ditto": dict(
        repo="megagonlabs/ditto",
        commit="52985564a93fb11308439516d3e17a033d43ec8f",
        path="data/wdc/",  # every data/wdc/<category>/*.txt in the snapshot (xlarge/large: absent)
    ),
    "vestiaire": dict(
        repo=None,
        files=[
            # 2024 scrape of vestiairecollective.com: title, seller's description, attributes
            (
                "kebaHailu/vestiairecollective_scraping",
                "41a0bf90b25bdf5ddae6e8f8ee821aeaf3cd349e",
                "data.csv",
            ),
            # 2021 scrape of fr.vestiairecollective.com (35 brands): the listing's URL (its title
            # as the site spells it in the address) and the page's attribute list
            (
                "PeDiot/price_prediction_vestiaire_collective",
                "bfa89eade79085e32d8dfb679f8c2ad06c9b4ab5",
                "backup/scraping/brands/",
            ),
        ],
    ),
    "meli_mocks": dict(
        repo=None,
        files=[
            (
                "doomling/meli-challenge-2021",
                "d5104e75e2c2e7a72ee2b7b3dc0fcf5fa50a47f3",
                "meli-challenge-api/test/__mocks__/items.js",
                "es",
                "MercadoLibre AR",
            ),
            (
                "alotama/fantastic-garbanzo",
                "cc152c68096a43ae1d2f107cbae0cd65013f42f2",
                "__mocks__/api/items/searchResultResponse.json",
                "es",
                "MercadoLibre AR",
            ),
            (
                "AldanaQuintana/ej-ml-front",
                "0f15d77c4fe248349e040d94a9ea890f70dcb539",
                "test/support/search_responses.js",
                "es",
                "MercadoLibre AR",
            ),
            (
                "SeasyCompany/meli",
                "8b39d409051844250a2476c13d7d0ed7e9e20198",
                "test/mocks/ProductsSearch.ts",
                "pt-BR",
                "Mercado Livre BR",
            ),
        ],
    ),
}


def rows_coleman(m):
    s = SOURCES["coleman_bats"]
    t = git_show(m, s["repo"], s["commit"], s["path"])
    for x in csv.DictReader(io.StringIO(t)):
        if x.get("bat_verify") != "TRUE" or not x.get("title"):
            continue
        note = f"study-verified bat ({x.get('species')}, {x.get('part')}, {x.get('format')})"
        yield dict(
            key=x["listing"],
            title=x["title"],
            description=x.get("description"),
            lang="en",
            label=1,
            marketplace=x["shop"],
            note=note,
        )


OFFER_CUE = re.compile(
    r"(check out|#ebay|#etsy|for sale|\bbuy\b|shop now|order now|auction|lot \d|estimate|"
    r"£|\$|€|\bvia\b|just in|new listing|now available|available now|in stock|price)",
    re.I,
)


def rows_wlt(m):
    """Tweets from the WLT-OSN ivory data set.  Their own label marks ivory-related sales promotion;
    we relabel by our guide.  Only English-script tweets that read as offers are kept."""
    s = SOURCES["wlt_osn"]
    t = git_show(m, s["repo"], s["commit"], s["path"])
    seen_ids = collections.Counter()
    for x in csv.DictReader(io.StringIO(t)):
        seen_ids[x["tweet_id"]] += 1
        if seen_ids[x["tweet_id"]] > 1:  # tweet_id repeats in share_data.csv; keep ids unique
            x["tweet_id"] = f"{x['tweet_id']}-{seen_ids[x['tweet_id']]}"
        txt = x["tweet_text_cleaned"]
        if re.search(r"[\u0400-\u04ff\u0600-\u06ff\u3040-\u30ff\u4e00-\u9fff]", txt):
            continue
        txt = txt.replace("{{URL}}", "").replace("{{MENTION}}", "[contact]")
        txt = re.sub(r"^RT \[contact\]\S*:?\s*", "", txt)
        if x["label"] == "1":
            yield dict(
                key=x["tweet_id"],
                title=txt,
                lang="en",
                label=None,
                marketplace="Twitter",
                note="WLT-OSN label 1",
                src_label=1,
            )
        elif OFFER_CUE.search(txt) and (EN_WILD.search(txt) or EN_DECOY.search(txt)):
            yield dict(
                key=x["tweet_id"],
                title=txt,
                lang="en",
                label=None,
                marketplace="Twitter",
                note="WLT-OSN label 0",
                src_label=0,
            )


def rows_taobao(m):
    s = SOURCES["taobao_ner"]
    sents = []
    for p in s["path"]:
        t = git_show(m, s["repo"], s["commit"], p)
        cur = []
        for line in t.split("\n"):
            if not line.strip():
                if cur:
                    sents.append("".join(cur))
                    cur = []
            else:
                cur.append(line.split(" ")[0])
        if cur:
            sents.append("".join(cur))
    seen = set()
    uniq = [x for x in sents if not (x in seen or seen.add(x))]
    for i, title in enumerate(uniq):
        yield dict(key=str(i), title=title, lang="zh-Hans", label=None, marketplace="Taobao/Tmall")


def rows_promap(m, key, lang, mp_default):
    s = SOURCES[key]
    paths = s["path"] if isinstance(s["path"], list) else [s["path"]]
    for p in paths:
        t = git_show(m, s["repo"], s["commit"], p)
        for j, x in enumerate(csv.DictReader(io.StringIO(t))):
            for side in ("1", "2"):
                name = x.get("name" + side)
                if not name:
                    continue
                url = x.get("id" + side, "")
                host = (
                    re.sub(r"^https?://(www\.)?", "", url).split("/")[0]
                    if url.startswith("http")
                    else ""
                )
                mp = {
                    "alza.cz": "Alza.cz",
                    "mall.cz": "Mall.cz",
                    "walmart.com": "Walmart",
                    "amazon.com": "Amazon",
                    "google.com": "Google Shopping",
                    "sears.com": "Sears",
                    "target.com": "Target",
                }.get(host, host or mp_default)
                desc = x.get("short_description" + side) or x.get("long_description" + side)
                yield dict(
                    key=f"{Path(p).stem}:{j}:{side}",
                    title=name,
                    description=desc,
                    lang=lang,
                    label=0,
                    marketplace=mp,
                )


def rows_tokopedia(m):
    s = SOURCES["tokopedia"]
    t = git_show(m, s["repo"], s["commit"], s["path"])
    for j, x in enumerate(csv.DictReader(io.StringIO(t))):
        yield dict(
            key=str(j),
            title=x["nama"],
            lang="id",
            label=0,
            marketplace="Tokopedia",
            note="category: " + x.get("leaf", ""),
        )


TITLE_RE = re.compile(r"""["']?title["']?\s*:\s*(["'])((?:(?!\1).){3,}?)\1""")


# --------------------------------------------------------------------------- Vestiaire Collective
# Listings scraped from vestiairecollective.com (Mar-Apr 2024): the site's title ("Crocodile flats
# Versace Black size 41 EU in Crocodile"), the seller's description and the site's attributes.


def rows_vestiaire(m):
    """Vestiaire Collective listings of the 2024 scrape: title, the seller's description (cut by
    the scraper at about 250 characters) and the site's material/category attributes (kept in
    `note`).  One row per listing reference; sellers' names and locations are not kept."""
    repo, commit, path = SOURCES["vestiaire"]["files"][0]
    t = git_show(m, repo, commit, path)
    seen = set()
    for x in csv.DictReader(io.StringIO(t)):
        ref = re.sub(r"\.shtml$", "", x.get("Link") or "").rsplit("-", 1)[-1]
        title = (x.get("Name") or "").strip()
        if not ref.isdigit() or ref in seen or not title:
            continue
        seen.add(ref)
        material = (x.get("Material:") or "").strip()
        sub = (x.get("Sub-category:") or "").strip()
        yield dict(
            key=ref,
            title=title,
            description=x.get("Discription"),
            lang="en",
            label=0,
            marketplace="Vestiaire Collective",
            note=f"material: {material or '-'}; {(x.get('Category:') or '').strip()} > {sub}",
            material=material,
        )


def rows_vestiaire_2021(m):
    """Vestiaire Collective listings of the 2021 scrape (fr.vestiairecollective.com, English
    attribute names): the title is the listing's address without its id ("black-python-chloe-
    handbag-19125945" -> "black python chloe handbag"), the description the page's attribute
    list ("Category: Bags Sub-category: Handbags Designer: Chloé Material: Exotic leathers ...")
    without the seller's location and name, the reference and the date."""
    import html as _html

    repo, commit, path = SOURCES["vestiaire"]["files"][1]
    d = Path(m) / repo.replace("/", "+") / "repo"
    if (d / ".git").is_dir():
        d = d / ".git"
    names = subprocess.run(
        ["git", "--git-dir", str(d), "ls-tree", "-r", "--name-only", commit, path],
        capture_output=True,
        check=True,
        text=True,
    ).stdout.split("\n")
    attrs, pages = {}, {}
    for name in sorted(n for n in names if "/items/items_" in n):
        for x in json.loads(git_show(m, repo, commit, name)):
            (attrs if "/items_attrs_" in name else pages).setdefault(x["id"], x)
    for ref in sorted(set(attrs) & set(pages)):
        url = pages[ref]["url"].rstrip("/")
        slug = re.sub(r"-\d+\.shtml$", "", url.rsplit("/", 1)[-1])
        desc = _html.unescape(re.sub(r"<[^>]+>", " ", pages[ref].get("description") or ""))
        desc = re.sub(r"\s+", " ", desc)
        desc = re.sub(
            r"(Online since|Location|Reference) ?:.*?(?=\b[A-Z][\w -]{2,20} ?:|$)", "", desc
        )
        desc = re.sub(r"\b(More info|sizing guide)\b", "", desc)
        material = (attrs[ref].get("material") or "").capitalize()
        yield dict(
            key=f"2021-{ref}",
            title=slug.replace("-", " "),
            description=re.sub(r"\s+", " ", desc).strip(),
            lang="en",
            label=0,
            marketplace="Vestiaire Collective",
            note=f"material: {material or '-'}; {attrs[ref].get('category')} > "
            f"{attrs[ref].get('sub_category')}; title from the listing's address",
            material=material,
        )


# words that make a Vestiaire listing a row to read by hand: exotic leathers and furs, their
# imitations (embossed, print, faux, vegan), other animal words used as names, prints and colours
VC_READ = re.compile(
    r"croc|alligator|caiman|python|snake|lizard|ostrich|stingray|galuchat|shagreen|\beel\b|karung|"
    r"exotic|\bfurs?\b|\bmink|\bfox(es)?\b|\bsable\b|chinchilla|astrakhan|karakul|coyote|raccoon|"
    r"\blynx|marten|beaver|tortoise|ivory|\bhorn|coral|feather|\bshells?\b|shark|\bpony|leopard|"
    r"zebra|tiger|cheetah|ocelot|\bbone\b|skull|\bteeth\b|\btooth\b|emboss|faux|vegan|shearling|"
    r"pearl|rabbit|\bcalf ?hair|haircalf",
    re.I,
)
# the site's materials that make a listing a row to read whatever its words
VC_MATERIALS = {
    "Exotic leathers",
    "Crocodile",
    "Alligator",
    "Fur",
    "Faux fur",
    "Vegan leather",
    "Pony-style calfskin",
}
# an exotic-leather or fur word bound to an imitation ("croc-embossed", "python print",
# "snakeskin pattern", "faux fur"): the item is not made of it
VC_FAKE = re.compile(
    r"(croc\w*|alligator|python|snake ?skin|snake|lizard|ostrich|karung|fur|mink|leopard|zebra)"
    r"[ -]?(\w+[ -]){0,2}?(embossed|embossing|print(ed)?|effect|pattern(ed)?|stamped|look|style|"
    r"motif|textured?|debossed|design|embroider\w*)|"
    r"(embossed|print(ed)?|faux|imitation|fake|vegan|synthetic|eco)[ -](\w+[ -]){0,2}?"
    r"(croc\w*|alligator|python|snake ?skin|lizard|ostrich|karung|fur|mink|leather)",
    re.I,
)
# the item is (or is made with) the leather of a wild reptile, bird or fish
VC_EXOTIC = re.compile(
    r"crocodil\w*|alligator|caiman|python|lizard|ostrich|stingray|galuchat|shagreen|"
    r"karung|snake ?skin|eel ?skin|porosus|niloticus|exotic leather",
    re.I,
)
# a brand's animal logo or name ("Lacoste Big Croc", embroidered "alligator", Dr. Martens, Les
# Coyotes de Paris) or an animal name as a colour ("Mink Grey")
VC_NAME = re.compile(
    r"lacoste|dr\.? ?martens?|doc martens?|coyotes de paris|\bmink (gr[ae]y|brown|pink)|"
    r"embroidered \W?(croc|alligator)",
    re.I,
)
# real fur of a wild (non-domesticated) species, farmed included (guide)
VC_WILD_FUR = re.compile(
    r"\bmink\b|\bfox\b|\bsable\b|chinchilla|\bcoyote\b|raccoon|\blynx\b|\bmarten\b|beaver|marmot",
    re.I,
)
# fur and hair of domestic animals: sheep (shearling), rabbit, calf/pony hair, goat
VC_DOMESTIC_FUR = re.compile(
    r"shearling|sheepskin|lamb|rabbit|calf ?hair|haircalf|pony|goat|mouton|merino|alpaca|llama",
    re.I,
)


def label_vestiaire(r):
    """Proposed label and reason for one Vestiaire listing by the guide; None drops the row (the
    text does not say which animal a fur comes from).  overrides.tsv settles what this cannot."""
    text = r["title"] + " " + (r.get("description") or "")
    material = r.get("material", "")
    fake = VC_FAKE.search(text)
    if VC_NAME.search(text) and material not in VC_MATERIALS:
        return 0, "hard negative: animal word as brand, logo or colour"
    if material in ("Exotic leathers", "Crocodile", "Alligator") and not fake:
        return 1, f"real exotic leather (site material: {material})"
    if VC_EXOTIC.search(text) and not fake:
        return 1, "real exotic leather named in the text"
    furry = material == "Fur" or re.search(r"\bfur\b|\bin mink\b", text, re.I)
    if VC_WILD_FUR.search(text) and furry and not re.search(r"faux|fake|synthetic", text, re.I):
        return 1, "real fur of a wild species (farmed included)"
    if material == "Fur" or re.search(r"\bfur\b", text, re.I):
        if re.search(r"faux|fake|synthetic|imitation|eco[ -]?fur", text, re.I):
            return 0, "hard negative: faux fur"
        if VC_DOMESTIC_FUR.search(text):
            return 0, "hard negative: fur or hair of a domestic animal (sheep, rabbit, calf)"
        return None, "fur of an animal the text does not name"
    if fake:
        return 0, "hard negative: exotic look (embossed, print, pattern) or imitation"
    if material in ("Faux fur", "Vegan leather", "Pony-style calfskin"):
        return 0, f"hard negative: {material.lower()}"
    return 0, "hard negative: animal word as name, print, colour or motif"


def rows_meli(m):
    for repo, commit, path, lang, mp in SOURCES["meli_mocks"]["files"]:
        t = git_show(m, repo, commit, path)
        for j, mm in enumerate(TITLE_RE.finditer(t)):
            yield dict(
                key=f"{repo.split('/')[0]}:{j}",
                title=mm.group(2),
                lang=lang,
                label=0,
                marketplace=mp,
                src_repo=repo,
            )


def rows_ebay_antiquities(m):
    """Sold eBay listings in the antiquities categories (2018-2019), one CSV per category.
    The scraper prefixes each title with "Sold  <date>"; that prefix is removed."""
    s = SOURCES["ebay_antiquities"]
    d = Path(m) / s["repo"].replace("/", "+") / "repo"
    names = subprocess.run(
        ["git", "--git-dir", str(d), "ls-tree", "--name-only", s["commit"], s["path"]],
        capture_output=True,
        check=True,
        text=True,
    ).stdout.split("\n")
    for name in sorted(n for n in names if n.endswith(".csv")):
        try:
            t = git_show(m, s["repo"], s["commit"], name)
        except (
            subprocess.CalledProcessError
        ):  # "Roman Antiquities.csv" (over 4 MiB) is not in the snapshot
            continue
        cat = name.split("/")[-1][:-4]
        for j, x in enumerate(csv.DictReader(io.StringIO(t))):
            title = re.sub(r"^Sold\s+\w+ \d+, \d{4}\s+", "", x.get("Object") or "").strip()
            if title:
                yield dict(
                    key=f"{cat.split()[0].lower()}:{j}",
                    title=title.replace("B0NE", "BONE"),
                    lang="en",
                    label=0,
                    marketplace="eBay US",
                    note=f"eBay sold, {cat}",
                )


def rows_parsy(m):
    """Saved Amazon result pages (test fixtures of a scraper): a cat-food search on Amazon.de and
    two best-seller lists.  Titles only."""
    import html as _html

    s = SOURCES["parsy_fixtures"]
    item = re.compile(
        r'a-size-(?:base-plus|medium) a-color-base a-text-normal">(.*?)</span>|'
        r'<a class="a-link-normal"[^>]*><span><div[^>]*>(.*?)</div>'
    )
    for path, lang, mp in s["path"]:
        t = git_show(m, s["repo"], s["commit"], path)
        for j, mm in enumerate(item.finditer(t)):
            yield dict(
                key=f"{path.split('/')[-1][:-5]}:{j}",
                title=_html.unescape(mm.group(1) or mm.group(2)),
                lang=lang,
                label=0,
                marketplace=mp,
            )


def rows_morphmarket(m):
    """MorphMarket listing cards (live amphibians; tree boas, anacondas and other boas) saved by a
    scrapy spider: listing name and the site's category (kept as the description)."""
    s = SOURCES["morphmarket"]
    for commit, path in s["path"]:
        t = git_show(m, s["repo"], commit, path)
        stem = path.split("/")[-1][:-4]
        for j, x in enumerate(csv.DictReader(io.StringIO(t))):
            yield dict(
                key=f"{stem}:{x['link'].rstrip('/').split('/')[-1]}",
                title=x["name"],
                description=x["type"],
                lang="en",
                label=1,
                marketplace="MorphMarket",
                note=f"live animal, captive-bred individuals of a wild species ({x['type']})",
            )


# --------------------------------------------------------------------------- WDC offers (ditto)
# One offer as ditto stores it: `COL title VAL  "<name>"@<lang> <more of the page's title>"@<lang>`.
WDC_QUOTED = re.compile(r'"([^"]{3,}?)"\s*@([A-Za-z]{2})(?:[-_][A-Za-z]{2,4})?\b')
WDC_TAG = re.compile(r'"?@[A-Za-z]{2}(?:[-_][A-Za-z]{2,4})?\b')
# untagged offers are kept as English only when nothing in them reads as another language
WDC_NOT_EN = re.compile(
    r"[^\x00-\x7f]|\b(de|del|la|el|para|con|und|f[uü]r|mit|avec|pour|en|voor|met|het|della|per|"
    r"nur|prijzen|zwart|noir|negro|nero|schwarz|bianco|blanco|blanc|wei[sß]|wit)\b",
    re.I,
)
WDC_LANG = {"us": "en", "gb": "en", "uk": "en"}
# tags of other languages label many plain English model names ("Casio GA-110GB-1AER"@bg), so
# only these are trusted; any other offer is treated as untagged
WDC_TRUSTED = {"en", "es", "nl", "de", "fr", "it", "pl", "pt"}


def parse_wdc_offer(value):
    """(title, lang, rest) of one ditto WDC offer, or None when it holds no usable name.  The
    language is the page's own tag; an untagged offer is English only if nothing says otherwise."""
    v = re.sub(r"^COL title VAL\s+", "", value)
    m = WDC_QUOTED.search(v)
    if m:
        title, lang = m.group(1), WDC_LANG.get(m.group(2).lower(), m.group(2).lower())
        rest = v[: m.start()] + " " + v[m.end() :]
    else:
        m = re.search(r'"([^"]{3,}?)"', v)
        if not m:
            return None
        title, lang = m.group(1), None
        rest = v[: m.start()] + " " + v[m.end() :]
    rest = re.sub(r"\s+", " ", WDC_TAG.sub(" ", rest).replace('"', " ")).strip(" ,|")
    title = title.strip(" ,")
    if lang not in WDC_TRUSTED:  # e.g. "eu" tags here are shop pages in English/Polish, not Basque
        lang = None if WDC_NOT_EN.search(title + " " + rest) else "en"
    # names that are a shop's page furniture, not a product ("- Pre Order – The Sneaker Authority",
    # "intel", "Compaq...") say nothing about the item
    if (
        not lang
        or len(title) < 4
        or title[0] in "@-–"
        or title.lower() == "null"
        or (title.endswith("...") and len(title.split()) < 3)
        or (" " not in title and title.islower())
    ):
        return None
    return title, lang, rest


def rows_wdc(m):
    """Product offers of the WDC Product Corpus (schema.org names from web shops, via Common Crawl)
    as re-shared in ditto's WDC product-matching benchmark: both sides of every pair in every
    split file of the snapshot (shoes, watches, cameras, computers, all), each offer once."""
    s = SOURCES["wdc_ditto"]
    d = Path(m) / s["repo"].replace("/", "+") / "repo"
    names = subprocess.run(
        ["git", "--git-dir", str(d), "ls-tree", "-r", "--name-only", s["commit"], s["path"]],
        capture_output=True,
        check=True,
        text=True,
    ).stdout.split("\n")
    seen = set()
    # the product categories first, "all" (their union) last, so an offer keeps its category
    files = sorted(n for n in names if "/README" not in n and n.strip())
    for name in sorted(files, key=lambda n: n.startswith("data/wdc/all/")):
        try:
            t = git_show(m, s["repo"], s["commit"], name)
        except subprocess.CalledProcessError:  # the large/xlarge splits are over the snapshot limit
            continue
        cat = name.split("/")[2]
        for line in t.split("\n"):
            parts = line.split("\t")
            if len(parts) != 3:
                continue
            for offer in parts[:2]:
                if offer in seen:
                    continue
                seen.add(offer)
                p = parse_wdc_offer(offer)
                if not p:
                    continue
                title, lang, rest = p
                key = hashlib.sha1(offer.encode("utf-8")).hexdigest()[:12]
                yield dict(
                    key=key,
                    title=title,
                    description=rest if len(rest) > 3 else None,
                    lang=lang,
                    label=0,
                    marketplace="web shops (WDC)",
                    note=f"WDC offer, {cat}",
                )


# words in a WDC offer that make it a row to read by hand (wildlife materials, animal names used
# as brands, models and colours, leathers), in the corpus's languages
WDC_ANIMAL = re.compile(
    r"croc|kroko|cocodril|coccodrill|krokodyl|alligator|caiman|python|snake|slang|serpent|schlange|"
    r"lizard|eidechse|lagart|lucertol|ostrich|strau[ßs]|struisvogel|autruche|avestruz|struzz|stingray|"
    r"galuchat|rochen|shagreen|shark|requin|tibur[oó]n|squalo|ivory|elfenbein|ivoire|marfil|avorio|"
    r"\bhorn|tortoise|schildpatt|[ée]caille|carey|coral|koraal|korall|corail|\bfur\b|\bpelz|fourrure|"
    r"\bmink\b|\bnerz|vison|\bfox\b|\bfuchs\b|skull|sch[äa]del|calavera|teschio|\bbone\b|knochen|feather|"
    r"\bfeder|leopard|tiger|tigre|zebra|cheetah|\bdeer|hirsch|antler|geweih|pearl|perle|parel|perla|"
    r"nacre|perlmutt|\bshell|muschel|butterfly|schmetterling|papillon|mariposa|farfalla|vlinder|beetle|"
    r"insect|taxiderm|specimen|exotic|reptil|leather|leder|\bleer\b|\bcuir|\bpiel\b|\bpelle\b|sk[óo]r|suede|"
    r"nubuck|wildleder|emboss|gepr[äa]gt|\bprint(ed)?\b|faux|vegan|imitat|kunstleder|simili|synthetic|amber|"
    r"wolf|eagle|\bowl\b|\blion|elephant|rhino|panda|cobra|viper|gecko|chameleon|frog|turtle|whale|"
    r"dolphin|\bseal\b|walrus|\bbird|fish|peacock|\bcamel\b|buffalo|kangaroo|cashmere|alpaca|mohair|silk\b",
    re.I,
)
# the offer IS (made of) a wildlife material: real exotic leather, precious coral (guide)
WDC_WILD = re.compile(r"\bblack coral\b|\blizard strap\b", re.I)
WDC_LEATHER = re.compile(
    r"leather|leder|\bleer\b|\bcuir|\bpiel\b|\bpelle\b|sk[óo]r|suede|nubuck|wildleder", re.I
)


# words that make an antiquities title a decoy to read by hand (animal motifs, bone, horn, shell ...)
EN_ANIMAL = re.compile(
    r"ivory|tusk|tooth|teeth|walrus|whale|tortoise|turtle|coral|horn|fossil|\bfur\b|feather|pelt|\bhide\b|"
    r"skin|antler|claw|mammoth|shark|amber|bone|skull|shell|snake|serpent|scarab|beetle|croc|lion|eagle|"
    r"owl|bird|fish|bear|wolf|boar|deer|stag|elephant|leopard|tiger|butterfly|insect|frog|lizard|leather|"
    r"\bfang|scorpion|dolphin|hippo|falcon|horse|bull|ram\b|goat|duck|rooster|cat\b|dog\b",
    re.I,
)
# an antiquities title that IS (or is made of / set with) a wildlife material -> 1 (guide: coral,
# ivory, tortoiseshell antiques); "artificial coral" and coral-as-colour are caught by overrides
ANTIQ_WILD = re.compile(r"\bcorals?\b|\bivory\b|tortoiseshell|walrus", re.I)


# --------------------------------------------------------------------------- label application

IVORY_REAL = re.compile(
    r"carved ivory|ivory carv|\bivory (netsuke|okimono|figures?|figurine|group|cane|handle|chess|box|casket|card ca\w+|"
    r"puzzle|inlaid|inlay|miniatures?|relief|comb|crucifix|sculptures?|statue|tusk|bangles?|dragon|tea caddy|sewing\w*|"
    r"dish|shrine|seal|orb|pastoral|memento|chandelier|cabinet|panel|skull|animals|artworks|antiquities|cracker|"
    r"teetotum|magnifying)|\bon ivory|walrus|mammoth|narwhal|scrimshaw|\btusks?\b|netsuke|okimono|whale ivory|"
    r"marine ivory|bronze (and|&(amp;)?) ivory|ivory (and|&(amp;)?) (ebony|wood|bone|enamel|tortoiseshell|bronze|mercury|"
    r"ormolu)|inlaid ivory|stained ivory|(indian|chinese|japanese|dieppe|goan?|cantonese|german|russian|european|roman|"
    r"french|mameluke|phoenicio-egyptian|asian|oriental|victorian|antique|elephant) ivor|ivory (and|&(amp;)?) (rhinoceros|"
    r"tortoiseshell)|taxiderm|cased (fish|roach)|tortoiseshell|ostrich feather",
    re.I,
)
IVORY_COLOUR = re.compile(
    r"ivory (silk|satin|lace|dress|pant|blouse|top|sweater|shirt|jacket|scarf|shawl|crochet|wool|mohair|knit|linen|"
    r"cotton|pearls?|porcelain|china|colou?r|bakelite|leather|tarp|lining|reticule|boots|slip|camisole|classic glass|"
    r"fantasy|triangular|hand made|ruffle|multi|sleeveless|pot pourri|vases?|pedestal|peacock urn|with gold)|"
    r"(black|white|gold|blue|pink|navy|yellow|tan|taupe|peach|green|brown|multi|off white|blush|cream|ecru|magenta)"
    r"[ /&,-]+(and )?ivory|ivory[ /&,-]+(and )?(black|white|gold|blue|pink|navy|green|taupe|off white|copper|sky)|"
    r"royal worcester|lenox|noritake|mikasa|telephone|faux|crystals?\b|chalcedony|howlite|looks like carved ivory|"
    r"non-ivory|murano|skull earrings|skeleton chandelier",
    re.I,
)
NEWS = re.compile(
    r"\b(ban|banned|banning|debate|stockpile|smuggl\w*|seiz\w*|caught|investigat\w*|poach\w*|"
    r"petition|hb\d+|lords|report|laws?|illegal|restrictions|roadshow|burn|tips to|how to|"
    r"unconditional love|destroy it|difficult world|coverage|gunrights)\b",
    re.I,
)


def label_wlt(r):
    """Guide applied to WLT-OSN tweets.  Their label marks ivory-related promotion; ours marks an offer of an
    item made of a wildlife material.  News/advocacy tweets and tweets whose text does not say what the item
    is made of are dropped (None)."""
    t = r["title"]
    if NEWS.search(t) and not re.search(r"selling \d+|estimate|est[.:]? ?£|lot \d+", t, re.I):
        return None
    if IVORY_COLOUR.search(t) and not IVORY_REAL.search(t):
        return 0
    if IVORY_REAL.search(t):
        return 1
    if r.get("src_label") == 1 and EN_WILD.search(t):
        return 1
    if r.get("src_label") == 0 and (EN_WILD.search(t) or EN_DECOY.search(t)):
        return 0
    return None


def label_zh(r):
    t = r["title"]
    hits = [k for k in ZH_WILD if k in t]
    if not hits:
        return 0, None
    if ZH_DECOY.search(t) and not any(k in t for k in ("猛犸象牙", "水貂毛", "蝴蝶标本", "鹿茸")):
        return 0, "decoy: " + ZH_DECOY.search(t).group(0)
    return 1, ZH_WILD[hits[0]]


def load_overrides():
    p = HERE / "overrides.tsv"
    out = {}
    if p.exists():
        for line in p.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            rid, lab, *note = line.split("\t")
            out[rid] = (None if lab == "drop" else int(lab), note[0] if note else None)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mirrors", default="/work/.mirror")
    ap.add_argument("--seed", type=int, default=21)
    a = ap.parse_args()
    m = a.mirrors
    rnd = random.Random(a.seed)
    ov = load_overrides()
    rows = []

    # 1. Coleman et al. painted woolly bat listings (all study-verified bat specimens) -> 1
    for r in rows_coleman(m):
        r["source"] = "coleman_bats"
        rows.append(r)

    # 2. WLT-OSN ivory tweets, relabelled
    for r in rows_wlt(m):
        r["source"] = "wlt_osn"
        lab = label_wlt(r)
        if lab is None:
            continue
        r["label"] = lab
        if lab != r.pop("src_label"):
            r["note"] = (r.get("note") or "") + f"; relabelled {lab} by our guide"
        rows.append(r)

    # 3. Taobao titles: every title with a wildlife keyword + a random sample of the rest
    tb = list(rows_taobao(m))
    hit = [
        r
        for r in tb
        if any(k in r["title"] for k in ZH_WILD)
        or ZH_DECOY.search(r["title"])
        or ZH_EXTRA.search(r["title"])
    ]
    rest = [r for r in tb if r not in hit]
    for r in hit + rnd.sample(rest, 400):
        r["source"] = "taobao_ner"
        r["label"], note = label_zh(r)
        if note:
            r["note"] = note
        rows.append(r)

    # 4. ProMap Czech (Alza/Mall) -> 0
    cz = list(rows_promap(m, "promap_cz", "cs", "Alza.cz"))
    for r in cz:
        r["source"] = "promap_cz"
        rows.append(r)

    # 5. ProMap English: every name that touches an animal word (decoys) + a random sample
    en = list(rows_promap(m, "promap_en", "en", "Amazon/Walmart"))
    animal = re.compile(
        r"shark|tiger|croc|alligator|python|snake|leopard|zebra|ivory|horn|shell|coral|fur\b|"
        r"feather|leather|skull|butterfly|turtle|tortoise|elephant|rhino|bear|wolf|eagle|owl|fox|"
        r"deer|antler|jaguar|cobra|panda|lion|falcon|mink|ostrich|lizard|gecko|fish|bird|repti",
        re.I,
    )
    en_hit = [r for r in en if animal.search(r["title"])]
    en_rest = [r for r in en if not animal.search(r["title"])]
    for r in en_hit + rnd.sample(en_rest, min(350, len(en_rest))):
        r["source"] = "promap_en"
        if animal.search(r["title"]):
            r["note"] = "hard negative: animal word, ordinary product"
        rows.append(r)

    # 6. Tokopedia (Indonesian) -> 0
    tk = list(rows_tokopedia(m))
    for r in rnd.sample(tk, 250):
        r["source"] = "tokopedia"
        rows.append(r)

    # 7. eBay sold antiquities: every title with an animal/material word (decoys and a few coral /
    #    ivory antiques) + a random sample of the rest
    ea = list(rows_ebay_antiquities(m))
    seen_ea, uniq = set(), []
    for r in ea:
        k = r["title"].casefold()
        if k not in seen_ea:
            seen_ea.add(k)
            uniq.append(r)
    ea_hit = [r for r in uniq if EN_ANIMAL.search(r["title"])]
    ea_rest = [r for r in uniq if not EN_ANIMAL.search(r["title"])]
    for r in ea_hit + rnd.sample(ea_rest, min(700, len(ea_rest))):
        r["source"] = "ebay_antiquities"
        if ANTIQ_WILD.search(r["title"]):
            r["label"] = 1
            r["note"] += "; coral/ivory/tortoiseshell antique"
        elif EN_ANIMAL.search(r["title"]):
            r["note"] += "; hard negative: animal motif or domestic/unnamed material"
        rows.append(r)

    # 8. Amazon result pages saved as scraper test fixtures -> 0 (cat food: "wild boar", "salmon")
    for r in rows_parsy(m):
        r["source"] = "parsy_fixtures"
        rows.append(r)

    # 9. MorphMarket live reptiles and amphibians -> 1
    for r in rows_morphmarket(m):
        r["source"] = "morphmarket"
        rows.append(r)

    # 10. WDC product offers (ditto's WDC benchmark): every offer with an animal/material word
    #     (read by hand) + a seeded random sample of the rest; several languages
    wd = list(rows_wdc(m))
    seen_wd, uniq_wd = set(), []
    for r in wd:
        k = r["title"].casefold()
        if k not in seen_wd:
            seen_wd.add(k)
            uniq_wd.append(r)

    def wd_text(r):
        return r["title"] + " " + (r["description"] or "")

    wd_hit = [r for r in uniq_wd if WDC_ANIMAL.search(wd_text(r))]
    wd_rest = [r for r in uniq_wd if not WDC_ANIMAL.search(wd_text(r))]
    for r in wd_hit + rnd.sample(wd_rest, min(900, len(wd_rest))):
        r["source"] = "wdc_ditto"
        text = r["title"] + " " + (r["description"] or "")
        if WDC_WILD.search(text):
            r["label"] = 1
            r["note"] += "; real exotic leather / precious coral"
        elif WDC_LEATHER.search(text):
            r["note"] += "; hard negative: leather of domestic or unnamed animals"
        elif WDC_ANIMAL.search(text):
            r["note"] += "; hard negative: animal word as brand, model, colour or motif"
        rows.append(r)

    # 11. Vestiaire Collective listings (2024 and 2021 scrapes): every listing with an exotic-
    #     leather, fur or animal word or an exotic/fur/imitation material (read by hand; exotic
    #     leathers and wild furs 1, their imitations 0) + a seeded random sample of the rest (0)
    for rows_vc, n_rest in ((rows_vestiaire, 600), (rows_vestiaire_2021, 300)):
        vc = list(rows_vc(m))
        vc_hit = [
            r
            for r in vc
            if VC_READ.search(r["title"] + " " + (r["description"] or ""))
            or r["material"] in VC_MATERIALS
        ]
        hit_keys = {r["key"] for r in vc_hit}
        vc_rest = [r for r in vc if r["key"] not in hit_keys]
        for r in vc_hit + rnd.sample(vc_rest, min(n_rest, len(vc_rest))):
            r["source"] = "vestiaire"
            if r["key"] in hit_keys:
                r["label"], why = label_vestiaire(r)  # None: dropped unless overrides.tsv decides
                r["note"] += "; " + why
            rows.append(r)

    # 12. MercadoLibre / Mercado Livre API mock search results -> 0
    for r in rows_meli(m):
        r["source"] = "meli_mocks"
        rows.append(r)

    # overrides, cleaning, dedup
    out, seen = [], set()
    n_by_src = collections.Counter()
    for r in rows:
        src = r["source"]
        rid = f"{src}:{r['key']}"
        if rid in ov:
            lab, note = ov[rid]
            if lab is None:
                continue
            r["label"] = lab
            if note:
                r["note"] = note
        if r["label"] is None:
            continue
        title = clean(r["title"], 300)
        if len(title) < 3:
            continue
        k = title.casefold()
        if k in seen:
            continue
        seen.add(k)
        o = {"id": rid, "title": title}
        if r.get("description"):
            d = clean(r["description"], 1000)
            if d and d != title:
                o["description"] = d
        o.update(
            lang=r["lang"],
            label=int(r["label"]),
            source=src,
            marketplace=r.get("marketplace") or "",
        )
        if r.get("note"):
            o["note"] = r["note"].strip("; ")
        out.append(o)
        n_by_src[src] += 1

    with OUT.open("w", encoding="utf-8") as f:
        for o in out:
            f.write(json.dumps(o, ensure_ascii=False) + "\n")

    def show(name, c):
        print(f"\n{name}:")
        for k, v in sorted(c.items(), key=lambda kv: -kv[1]):
            print(f"  {k!s:28} {v}")

    print(f"wrote {len(out)} rows to {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")
    show("label", collections.Counter(o["label"] for o in out))
    show("lang", collections.Counter(o["lang"] for o in out))
    show("lang x label", collections.Counter(f"{o['lang']} {o['label']}" for o in out))
    show("source", n_by_src)
    show("source x label", collections.Counter(f"{o['source']} {o['label']}" for o in out))
    show("marketplace", collections.Counter(o["marketplace"] for o in out))


if __name__ == "__main__":
    sys.exit(main())
