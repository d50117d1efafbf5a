"""What the demo marketplaces sell: one table row per kind of product.

Each ``ProductKind`` carries the ground truth (category, taxon, product) and
the wording sellers use for it, per language: ``en``, ``de``, ``fr`` and ``zh``
(Simplified Chinese; Traditional text is derived from it with OpenCC). A
language missing from a row falls back to English (Latin-script sites) or is
never drawn (the Chinese site needs ``zh`` on every row).

Title placeholders: ``{cm}`` length, ``{mm}`` bangle size, ``{g}`` weight,
``{kg}``, ``{n}`` a small count, ``{size}`` clothing size, ``{shoe}`` shoe size,
``{year}`` an antique's year, ``{gb}`` phone storage.

The wording follows what monitoring reports (TRAFFIC, IFAW, WWF, CEWTO)
describe: explicit product names, trade code words ("white plastic", "jelly",
"golden jade", 白塑料, 牙雕, 老料, 象🦷) and legal look-alikes that a naive
keyword search would flag (Tiger Balm, Shark vacuums, ivory-coloured dresses).
"""

from __future__ import annotations

from dataclasses import dataclass, field

WILDLIFE = "wildlife"
CODE_WORD = "code_word"
DECOY = "decoy"
ORDINARY = "ordinary"
CATEGORIES = (WILDLIFE, CODE_WORD, DECOY, ORDINARY)


@dataclass(frozen=True)
class ProductKind:
    """One kind of product: ground truth plus how sellers word it."""

    key: str
    category: str
    taxon: str | None
    product: str | None
    usd: tuple[int, int]  # plausible asking price range in US dollars
    titles: dict[str, tuple[str, ...]]
    notes: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _k(key, category, taxon, product, usd, titles, notes=None) -> ProductKind:
    return ProductKind(key, category, taxon, product, usd, titles, notes or {})


ELEPHANT = "Loxodonta africana"
RHINO = "Rhinocerotidae"
HORNBILL = "Rhinoplax vigil"
PANGOLIN = "Manis"
TIGER = "Panthera tigris"

KINDS: tuple[ProductKind, ...] = (
    # --- wildlife products, named openly -------------------------------------------------
    _k(
        "ivory_carving",
        WILDLIFE,
        ELEPHANT,
        "ivory",
        (300, 6000),
        {
            "en": (
                "Antique carved ivory figurine {cm} cm",
                "Hand carved elephant ivory Guanyin statue",
                "Old ivory netsuke, signed, {cm} cm",
                "Chinese ivory carving of a fisherman, {cm}cm",
            ),
            "de": (
                "Elfenbein Schnitzerei Figur {cm} cm",
                "Alte Elfenbeinfigur, handgeschnitzt",
                "Netsuke aus Elfenbein, signiert",
            ),
            "fr": ("Statuette en ivoire sculpté {cm} cm", "Ancien netsuke en ivoire signé"),
            "zh": (
                "象牙雕刻观音摆件 {cm}厘米",
                "老象牙手把件 雕工精细",
                "象牙雕 佛像 {cm}cm 包浆好",
            ),
        },
        {
            "en": (
                "Real elephant ivory, you can see the grain lines.",
                "Heavy piece, fine detail, from an old collection.",
            ),
            "de": (
                "Echtes Elfenbein, Maserung gut sichtbar.",
                "Aus alter Sammlung, sehr fein geschnitzt.",
            ),
            "fr": (
                "Véritable ivoire d'éléphant, veinage visible.",
                "Pièce lourde, provenant d'une collection.",
            ),
            "zh": ("真象牙，纹路清晰，可以放大看。", "老料老工，包浆自然，懂的来。"),
        },
    ),
    _k(
        "ivory_bangle",
        WILDLIFE,
        ELEPHANT,
        "ivory",
        (200, 2500),
        {
            "en": ("Solid ivory bangle bracelet, {mm}mm", "Elephant ivory bangle, inner {mm} mm"),
            "de": ("Elfenbein Armreif, Innendurchmesser {mm} mm", "Massiver Armreif aus Elfenbein"),
            "fr": ("Bracelet jonc en ivoire, {mm} mm",),
            "zh": ("象牙手镯 {mm}圈口", "非洲象牙 手镯 老货"),
        },
        {
            "en": ("Genuine ivory, no cracks.",),
            "de": ("Echtes Elfenbein, keine Risse.",),
            "fr": ("Ivoire véritable, sans fissure.",),
            "zh": ("真象牙手镯，无裂，油性好。",),
        },
    ),
    _k(
        "ivory_tusk",
        WILDLIFE,
        ELEPHANT,
        "tusk",
        (3000, 40000),
        {
            "en": ("Elephant tusk {cm} cm, {kg} kg", "Raw ivory tusk pair, {kg} kg each"),
            "de": ("Elefantenstoßzahn {cm} cm, {kg} kg",),
            "fr": ("Défense d'éléphant {cm} cm, {kg} kg",),
            "zh": ("整根象牙 原牙 {cm}厘米", "象牙原料 一对 {kg}公斤"),
        },
        {
            "en": ("Whole tusk, raw, not polished. Serious buyers only.",),
            "de": ("Ganzer Zahn, roh. Nur ernsthafte Käufer.",),
            "fr": ("Défense entière, brute. Acheteurs sérieux uniquement.",),
            "zh": ("原牙未加工，实物拍摄，非诚勿扰。",),
        },
    ),
    _k(
        "rhino_cup",
        WILDLIFE,
        RHINO,
        "horn",
        (5000, 60000),
        {
            "en": ("Rhino horn libation cup, carved", "Carved rhinoceros horn cup, Qing style"),
            "de": ("Nashorn Horn Becher, geschnitzt",),
            "fr": ("Coupe libatoire en corne de rhinocéros",),
            "zh": ("犀牛角杯 老雕刻", "犀角杯 清代风格 雕工"),
        },
        {
            "en": ("Genuine rhino horn, translucent when held to light.",),
            "de": ("Echtes Nashornhorn, im Gegenlicht durchscheinend.",),
            "fr": ("Vraie corne de rhinocéros, translucide à la lumière.",),
            "zh": ("真犀牛角，透光看有竹丝纹。",),
        },
    ),
    _k(
        "rhino_powder",
        WILDLIFE,
        RHINO,
        "horn",
        (400, 5000),
        {
            "en": ("Genuine rhino horn powder {g}g", "Rhino horn shavings for fever, {g} g"),
            "de": ("Nashornpulver {g} g, echt",),
            "fr": ("Poudre de corne de rhinocéros {g} g",),
            "zh": ("犀角粉 {g}克 正品", "犀牛角粉 退烧 {g}g"),
        },
        {
            "en": ("Traditional medicine, helps with fever.",),
            "de": ("Traditionelle Medizin gegen Fieber.",),
            "fr": ("Médecine traditionnelle contre la fièvre.",),
            "zh": ("清热解毒，老人用的。",),
        },
    ),
    _k(
        "pangolin_scales",
        WILDLIFE,
        PANGOLIN,
        "scales",
        (80, 1500),
        {
            "en": ("Pangolin scales {g}g, dried", "Dried pangolin scale, medicine grade, {g} g"),
            "de": ("Schuppentier Schuppen {g} g, getrocknet",),
            "fr": ("Écailles de pangolin séchées {g} g",),
            "zh": ("穿山甲鳞片 {g}克 炮制", "穿山甲片 正品 {g}g 下奶"),
        },
        {
            "en": ("Real pangolin, processed the traditional way.",),
            "de": ("Echte Schuppen vom Schuppentier.",),
            "fr": ("Vraies écailles de pangolin.",),
            "zh": ("正宗穿山甲，炮制好的，通乳。",),
        },
    ),
    _k(
        "tiger_wine",
        WILDLIFE,
        TIGER,
        "bone",
        (150, 3000),
        {
            "en": ("Tiger bone wine, aged {n} years", "Tiger bone plaster and wine set"),
            "de": ("Tigerknochenwein, {n} Jahre gereift",),
            "fr": ("Vin d'os de tigre, vieilli {n} ans",),
            "zh": ("虎骨酒 {n}年陈酿", "正宗虎骨 泡酒 {n}斤"),
        },
        {
            "en": ("Made with real tiger bone, good for joints.",),
            "de": ("Mit echtem Tigerknochen, gut für die Gelenke.",),
            "fr": ("Fait avec de l'os de tigre véritable.",),
            "zh": ("真虎骨泡制，治风湿关节。",),
        },
    ),
    _k(
        "tiger_claw_skin",
        WILDLIFE,
        TIGER,
        "claw",
        (200, 20000),
        {
            "en": (
                "Real tiger claw pendant, silver mounted",
                "Tiger skin rug with head",
                "Tiger tooth necklace, real",
            ),
            "de": ("Echte Tigerkralle Anhänger, Silber", "Tigerfell Teppich mit Kopf"),
            "fr": ("Griffe de tigre véritable montée argent", "Peau de tigre avec tête"),
            "zh": ("虎爪 吊坠 真品 银镶", "老虎皮 整张 带头", "虎牙 项链 真"),
        },
        {
            "en": ("Genuine tiger, not a replica.",),
            "de": ("Echt Tiger, keine Replik.",),
            "fr": ("Vrai tigre, pas une réplique.",),
            "zh": ("保真，不是仿品。",),
        },
    ),
    _k(
        "shark_fin",
        WILDLIFE,
        "Selachimorpha",
        "fin",
        (60, 900),
        {
            "en": ("Dried shark fin {g}g, premium grade", "Whole shark fins, {g} g bag"),
            "de": ("Haifischflossen getrocknet {g} g",),
            "fr": ("Ailerons de requin séchés {g} g",),
            "zh": ("鱼翅 干货 {g}克 排翅", "鲨鱼翅 整翅 {g}g"),
        },
        {
            "en": ("Hong Kong grade fins, for soup.",),
            "de": ("Für Haifischflossensuppe.",),
            "fr": ("Pour la soupe d'ailerons.",),
            "zh": ("煲汤用，品质好。",),
        },
    ),
    _k(
        "hawksbill",
        WILDLIFE,
        "Eretmochelys imbricata",
        "shell",
        (100, 2000),
        {
            "en": ("Genuine tortoiseshell hair comb, hawksbill", "Hawksbill turtle shell bracelet"),
            "de": ("Echtes Schildpatt Kamm (Karettschildkröte)",),
            "fr": ("Peigne en écaille de tortue véritable",),
            "zh": ("玳瑁手镯 老玳瑁", "真玳瑁 发簪 {cm}cm"),
        },
        {
            "en": ("Real hawksbill shell, not plastic.",),
            "de": ("Echtes Schildpatt, kein Kunststoff.",),
            "fr": ("Vraie écaille, pas de plastique.",),
            "zh": ("真玳瑁，不是塑料，可火烧。",),
        },
    ),
    _k(
        "live_tortoise",
        WILDLIFE,
        "Astrochelys radiata",
        "live",
        (300, 4000),
        {
            "en": (
                "Radiated tortoise hatchlings, {n} available",
                "Radiated tortoise adult, {cm} cm",
            ),
            "de": ("Strahlenschildkröte Jungtiere, {n} Stück",),
            "fr": ("Tortue radiée juvénile, {n} disponibles",),
            "zh": ("辐射陆龟 活体 苗子 {n}只", "辐射龟 成体 {cm}厘米"),
        },
        {
            "en": ("Eating well, no papers.",),
            "de": ("Frisst gut, keine Papiere.",),
            "fr": ("Mange bien, pas de papiers.",),
            "zh": ("吃食正常，无证。",),
        },
    ),
    _k(
        "live_python",
        WILDLIFE,
        "Morelia viridis",
        "live",
        (200, 2500),
        {
            "en": (
                "Green tree python, wild caught, {n} ft",
                "Wild caught green tree python, feeding",
            ),
            "de": ("Grüner Baumpython Wildfang",),
            "zh": ("绿树蟒 野生 活体", "绿树蟒 野采 开口"),
        },
    ),
    _k(
        "live_chameleon",
        WILDLIFE,
        "Calumma parsonii",
        "live",
        (500, 5000),
        {
            "en": ("Parson's chameleon, adult male", "Parsons chameleon pair, imported"),
            "de": ("Parson Chamäleon Männchen, adult",),
            "fr": ("Caméléon de Parson mâle adulte",),
            "zh": ("国王变色龙 活体 公", "帕森变色龙 一对"),
        },
    ),
    _k(
        "live_parrot",
        WILDLIFE,
        "Psittacus erithacus",
        "live",
        (600, 3500),
        {
            "en": ("African grey parrot, hand tame, talking", "Baby African grey parrots for sale"),
            "de": ("Graupapagei handzahm, spricht",),
            "fr": ("Perroquet gris du Gabon apprivoisé",),
            "zh": ("非洲灰鹦鹉 会说话 手养", "灰鹦鹉 幼鸟 出售"),
        },
        {
            "en": ("No CITES papers but very healthy.",),
            "de": ("Ohne CITES Papiere, aber gesund.",),
            "fr": ("Sans papiers CITES mais en bonne santé.",),
            "zh": ("没有证，身体健康。",),
        },
    ),
    _k(
        "live_songbird",
        WILDLIFE,
        "Pycnonotus zeylanicus",
        "live",
        (300, 3000),
        {
            "en": ("Straw-headed bulbul, singing male", "Straw headed bulbul, wild"),
            "zh": ("草冠鹎 公鸟 叫口好", "黄冠鹎 野鸟 鸣叫"),
        },
    ),
    _k(
        "hornbill_casque",
        WILDLIFE,
        HORNBILL,
        "casque",
        (400, 8000),
        {
            "en": ("Helmeted hornbill casque carving", "Hornbill casque pendant, carved"),
            "de": ("Schnitzerei aus Helmhornvogel-Horn",),
            "fr": ("Sculpture en casque de calao",),
            "zh": ("鹤顶红 雕件 吊坠", "盔犀鸟 头骨 雕刻"),
        },
    ),
    _k(
        "bear_bile",
        WILDLIFE,
        "Ursus thibetanus",
        "bile",
        (80, 1200),
        {
            "en": ("Bear bile powder {g}g, wild", "Bear gall bladder, dried"),
            "de": ("Bärengalle Pulver {g} g",),
            "fr": ("Bile d'ours en poudre {g} g",),
            "zh": ("熊胆粉 {g}克 野生", "黑熊 熊胆 干 整个"),
        },
    ),
    _k(
        "totoaba_maw",
        WILDLIFE,
        "Totoaba macdonaldi",
        "swim bladder",
        (1000, 20000),
        {
            "en": ("Totoaba fish maw, {g}g", "Totoaba swim bladder, large"),
            "zh": ("金钱鳘 鱼胶 {g}克", "墨西哥 金钱鳘 花胶 大头"),
        },
    ),
    _k(
        "saiga_horn",
        WILDLIFE,
        "Saiga tatarica",
        "horn",
        (100, 1500),
        {
            "en": ("Saiga antelope horn slices {g}g",),
            "de": ("Saiga Antilope Horn Scheiben {g} g",),
            "zh": ("羚羊角 片 {g}克", "赛加羚羊角 整支"),
        },
    ),
    _k(
        "red_coral",
        WILDLIFE,
        "Corallium",
        "coral",
        (150, 9000),
        {
            "en": ("Natural red coral branch, {g}g", "Precious red coral beads necklace"),
            "de": ("Rote Edelkoralle Ast {g} g",),
            "fr": ("Branche de corail rouge naturel {g} g",),
            "zh": ("红珊瑚 原枝 {g}克 阿卡", "天然红珊瑚 手串"),
        },
    ),
    _k(
        "musk",
        WILDLIFE,
        "Moschus",
        "musk",
        (200, 3000),
        {
            "en": ("Natural musk pod from musk deer", "Musk deer pod, {g} g"),
            "de": ("Moschusbeutel vom Moschustier, echt",),
            "zh": ("麝香 整颗 {g}克 野生", "天然麝香 毛壳"),
        },
    ),
    # --- the same goods behind trade code words --------------------------------------------
    _k(
        "code_white_plastic",
        CODE_WORD,
        ELEPHANT,
        "ivory",
        (200, 4000),
        {
            "en": (
                "White plastic carving, old piece, {cm} cm",
                "White plastic bangle {mm}mm, heavy",
            ),
            "de": ("Weißes Plastik Figur, alt, {cm} cm",),
            "fr": ("Sculpture plastique blanc, ancienne",),
            "zh": ("白塑料 手镯 {mm}圈口", "白塑料 雕件 老货 {cm}cm"),
        },
        {
            "en": (
                "Material: white plastic 😉 you know. Heavy, cool to the touch, cross-hatch grain visible.",
            ),
            "de": ('Material "weißes Plastik" 😉 schwer, kühl, Maserung sichtbar.',),
            "fr": ("Matière : plastique blanc 😉 lourd, froid au toucher.",),
            "zh": ("懂的来，白塑料，纹路清晰，老料。",),
        },
    ),
    _k(
        "code_jelly",
        CODE_WORD,
        ELEPHANT,
        "ivory",
        (150, 2000),
        {
            "en": ("Jelly bangle old stock {mm}mm", "Old jelly carving, white, {cm} cm"),
            "de": ("Jelly Armreif alt, {mm} mm",),
            "zh": ("果冻 手镯 老料 {mm}", "白果冻 把件 {cm}cm"),
        },
        {
            "en": ("Real old jelly, not resin, has the lines.",),
            "de": ('Altes "Jelly", kein Harz.',),
            "zh": ("老果冻，有纹，非树脂。",),
        },
    ),
    _k(
        "code_bone",
        CODE_WORD,
        ELEPHANT,
        "ivory",
        (100, 3000),
        {
            "en": (
                "Old bone carving Buddha, very fine grain",
                "Cow bone bangle (wink) natural grain {mm}mm",
            ),
            "de": (
                "Alte Knochenschnitzerei, sehr feine Maserung",
                "Rinderknochen Armreif (zwinker) {mm} mm",
            ),
            "fr": ("Ancienne sculpture en os, grain très fin",),
            "zh": ("牙雕 老件 佛像 {cm}cm", "老料 手把件 纹路好", "象🦷雕件 {cm}厘米"),
        },
        {
            "en": ("Not cow bone if you know what I mean. Schreger lines on the base.",),
            "de": ("Kein normaler Knochen, wer sich auskennt weiß Bescheid.",),
            "fr": ("Pas de l'os ordinaire, les connaisseurs comprendront.",),
            "zh": ("懂行的来，不是骨头，老料，有人字纹。",),
        },
    ),
    _k(
        "code_mammoth_claim",
        CODE_WORD,
        ELEPHANT,
        "ivory",
        (300, 5000),
        {
            "en": ("Mammoth bangle, white, no bark, {mm}mm",),
            "zh": ("猛犸 手镯 白肉 无皮 {mm}", "猛犸料 雕件 纯白 {cm}cm"),
        },
        {
            "en": ("Sold as mammoth, pure white with no bark, looks like fresh material.",),
            "zh": ("说是猛犸，其实白肉无沁色，懂的来，不解释。",),
        },
    ),
    _k(
        "code_ivory_white",
        CODE_WORD,
        ELEPHANT,
        "ivory",
        (200, 3000),
        {
            "zh": ("象牙白 手镯 老料 {mm}圈口", "象牙白 把件 非塑料 {cm}cm"),
        },
        {
            "zh": ("不是颜色，是料子，懂的私聊。", "象牙白，实物比图片好看，私聊看纹路。"),
        },
    ),
    _k(
        "code_rhino",
        CODE_WORD,
        RHINO,
        "horn",
        (2000, 30000),
        {
            "en": (
                "Black material libation cup, collector piece",
                "Antique rhino cup, heavy, {cm} cm",
            ),
            "de": ("Schwarzes Material Becher, Sammlerstück",),
            "fr": ("Coupe en matière noire, pièce de collection",),
            "zh": ("黑料 杯子 老雕", "犀杯 黑货 {cm}cm"),
        },
        {
            "en": ("The black material, translucent at the edge. Serious collectors only.",),
            "de": ("Das schwarze Material, am Rand durchscheinend.",),
            "fr": ("La matière noire, translucide sur les bords.",),
            "zh": ("黑料，透光有竹丝，懂的来。",),
        },
    ),
    _k(
        "code_golden_jade",
        CODE_WORD,
        HORNBILL,
        "casque",
        (300, 6000),
        {
            "en": ("Golden jade pendant, red top, carved", "Red top carving 'golden jade'"),
            "de": ("Goldene Jade Anhänger, rote Kappe",),
            "zh": ("金玉 吊坠 红顶", "红顶 雕件 老料"),
        },
        {
            "en": ("Golden jade with the red top, very rare material.",),
            "de": ('"Goldene Jade" mit roter Kappe, selten.',),
            "zh": ("金玉红顶，料子稀少，懂的来。",),
        },
    ),
    _k(
        "code_pangolin",
        CODE_WORD,
        PANGOLIN,
        "scales",
        (60, 1200),
        {
            "en": ("Anteater armour flakes, {g}g, for medicine",),
            "zh": ("甲片 {g}克 炮制 下奶", "山甲 片 老货 {g}g"),
        },
        {
            "en": ("The flakes from the scaly anteater. Traditional use.",),
            "zh": ("山甲片，炮制好的，懂的来。",),
        },
    ),
    # --- legal look-alikes and decoys -------------------------------------------------------
    _k(
        "ivory_dress",
        DECOY,
        None,
        None,
        (40, 900),
        {
            "en": ("Ivory lace wedding dress, size {size}", "Ivory satin evening gown size {size}"),
            "de": ("Brautkleid ivory Spitze Gr. {size}", "Abendkleid Elfenbein Satin Gr. {size}"),
            "fr": ("Robe de mariée ivoire taille {size}",),
            "zh": ("象牙白 婚纱 蕾丝 {size}码", "象牙白 连衣裙 {size}"),
        },
        {
            "en": ("Worn once, dry cleaned.",),
            "de": ("Einmal getragen, gereinigt.",),
            "fr": ("Portée une fois, nettoyée.",),
            "zh": ("只穿过一次，已干洗。",),
        },
    ),
    _k(
        "ivory_paint",
        DECOY,
        None,
        None,
        (10, 80),
        {
            "en": ("Wall paint ivory white 2.5 L, unopened",),
            "de": ("Wandfarbe Elfenbein 2,5 L, ungeöffnet", "Lack elfenbeinweiß RAL 1015"),
            "fr": ("Peinture murale ivoire 2,5 L",),
            "zh": ("象牙白 乳胶漆 5L 未开封",),
        },
    ),
    _k(
        "ivory_shoes",
        DECOY,
        None,
        None,
        (20, 150),
        {
            "en": ("Ivory satin wedding shoes size {shoe}",),
            "de": ("Brautschuhe ivory Gr. {shoe}",),
            "fr": ("Escarpins de mariée ivoire pointure {shoe}",),
            "zh": ("象牙色 婚鞋 {shoe}码",),
        },
    ),
    _k(
        "tiger_balm",
        DECOY,
        None,
        None,
        (3, 25),
        {
            "en": ("Tiger Balm red 30g, {n} jars", "Tiger Balm white ointment, new"),
            "de": ("Tiger Balm rot 19 g, {n} Dosen",),
            "fr": ("Baume du tigre rouge, {n} pots",),
            "zh": ("虎标万金油 {n}盒", "虎标 红色 药膏 新加坡"),
        },
    ),
    _k(
        "shark_vacuum",
        DECOY,
        None,
        None,
        (60, 350),
        {
            "en": ("Shark cordless vacuum cleaner, barely used", "Shark steam mop, like new"),
            "de": ("Shark Akku-Staubsauger, kaum benutzt", "Shark Dampfmopp wie neu"),
            "fr": ("Aspirateur Shark sans fil", "Balai vapeur Shark"),
            "zh": ("Shark鲨客 吸尘器 九成新", "Shark 蒸汽拖把 闲置"),
        },
    ),
    _k(
        "plush_pangolin",
        DECOY,
        None,
        None,
        (8, 40),
        {
            "en": ("Plush pangolin soft toy {cm} cm", "Pangolin cuddly toy, WWF edition"),
            "de": ("Plüsch Schuppentier Kuscheltier {cm} cm",),
            "fr": ("Peluche pangolin {cm} cm",),
            "zh": ("穿山甲 毛绒玩具 {cm}cm 公仔",),
        },
    ),
    _k(
        "faux_ivory",
        DECOY,
        None,
        None,
        (15, 200),
        {
            "en": (
                "Faux ivory resin elephant figurine",
                "Carved cattle bone pendant (real cow bone, not ivory)",
            ),
            "de": ("Elfenbein-Optik Figur aus Kunstharz",),
            "fr": ("Statuette imitation ivoire en résine",),
            "zh": ("仿象牙 树脂摆件 工艺品", "牛骨雕 吊坠 非象牙"),
        },
    ),
    _k(
        "animal_stamps_coins",
        DECOY,
        None,
        None,
        (5, 120),
        {
            "en": (
                "Rhino stamps WWF set, mint",
                "Silver coin 1 oz African elephant {year}",
                "Year of the Tiger coin, proof",
            ),
            "de": ("Briefmarken Nashorn WWF postfrisch", "Silbermünze Elefant 1 oz {year}"),
            "fr": ("Timbres rhinocéros WWF neufs", "Pièce argent éléphant d'Afrique"),
            "zh": ("犀牛 邮票 全套", "大象 纪念币 银币", "虎年 生肖 纪念币"),
        },
    ),
    _k(
        "tiger_eye",
        DECOY,
        None,
        None,
        (8, 60),
        {
            "en": ("Tiger eye bracelet 8mm beads",),
            "de": ("Tigerauge Armband 8 mm",),
            "fr": ("Bracelet œil de tigre 8 mm",),
            "zh": ("虎眼石 手串 8mm",),
        },
    ),
    _k(
        "tortoiseshell_frames",
        DECOY,
        None,
        None,
        (20, 180),
        {
            "en": ("Tortoiseshell acetate glasses frames",),
            "de": ("Brillengestell Schildpatt-Optik Acetat",),
            "fr": ("Monture lunettes écaille acétate",),
            "zh": ("玳瑁色 板材 眼镜框",),
        },
    ),
    _k(
        "mammoth_ivory",
        DECOY,
        "Mammuthus primigenius",
        "ivory",
        (80, 2500),
        {
            "en": ("Mammoth ivory pendant, Siberian, with certificate",),
            "de": ("Mammut Elfenbein Anhänger mit Zertifikat",),
            "fr": ("Pendentif ivoire de mammouth, certificat",),
            "zh": ("猛犸象牙 雕件 西伯利亚 有证书",),
        },
        {
            "en": ("Fossil mammoth ivory with brown bark, legal to trade.",),
            "de": ("Fossiles Mammutelfenbein mit Rinde, legal.",),
            "fr": ("Ivoire fossile de mammouth, légal.",),
            "zh": ("猛犸象牙化石，带皮，合法。",),
        },
    ),
    _k(
        "preban_ivory",
        DECOY,
        ELEPHANT,
        "ivory",
        (300, 8000),
        {
            "en": ("Pre-ban antique ivory carving, {year}, with certificate",),
            "de": ("Antike Elfenbeinfigur vor 1947 mit Gutachten",),
            "fr": ("Ivoire ancien avant 1947 avec certificat",),
            "zh": ("老象牙 1975年前 有证书 合法",),
        },
        {
            "en": ("Antique, pre-1947, comes with a dealer certificate.",),
            "de": ("Antik, vor 1947, mit Gutachten eines Händlers.",),
            "fr": ("Antiquité d'avant 1947, certificat d'expert.",),
            "zh": ("禁令前老货，附证书。",),
        },
    ),
    _k(
        "elephant_ear_plant",
        DECOY,
        None,
        None,
        (10, 70),
        {
            "en": ("Elephant ear plant Alocasia, 60 cm",),
            "de": ("Alocasia Elefantenohr Pflanze, 60 cm",),
            "fr": ("Alocasia oreille d'éléphant, 60 cm",),
            "zh": ("滴水观音 大象耳朵 绿植",),
        },
    ),
    _k(
        "buffalo_horn_comb",
        DECOY,
        None,
        None,
        (5, 40),
        {
            "en": ("Buffalo horn comb, handmade",),
            "de": ("Büffelhorn Kamm handgemacht",),
            "fr": ("Peigne en corne de buffle",),
            "zh": ("牛角梳 天然 水牛角",),
        },
    ),
    _k(
        "coral_fleece",
        DECOY,
        None,
        None,
        (10, 60),
        {
            "en": ("Coral fleece blanket 150x200", "Coral pink summer dress size {size}"),
            "de": ("Coral Fleece Decke 150x200",),
            "fr": ("Couverture polaire corail 150x200",),
            "zh": ("珊瑚绒 毛毯 150x200", "珊瑚绒 睡衣 {size}"),
        },
    ),
    _k(
        "python_book",
        DECOY,
        None,
        None,
        (5, 45),
        {
            "en": ("Learning Python, 5th edition", "Python Crash Course book"),
            "de": ("Python Programmierbuch für Einsteiger",),
            "fr": ("Livre Apprendre Python",),
            "zh": ("Python编程 从入门到实践", "流畅的Python 第二版"),
        },
    ),
    _k(
        "parrot_drone",
        DECOY,
        None,
        None,
        (80, 500),
        {
            "en": ("Parrot Anafi drone with controller",),
            "de": ("Parrot Bebop 2 Drohne mit Controller",),
            "fr": ("Drone Parrot Anafi avec manette",),
            "zh": ("Parrot 无人机 带遥控",),
        },
    ),
    # --- ordinary goods ---------------------------------------------------------------------
    _k(
        "phone",
        ORDINARY,
        None,
        None,
        (80, 900),
        {
            "en": (
                "iPhone 13 {gb}GB unlocked",
                "Samsung Galaxy S21 {gb}GB",
                "Google Pixel 7, {gb} GB",
            ),
            "de": ("iPhone 12 {gb}GB, guter Zustand", "Samsung Galaxy A52 {gb} GB"),
            "fr": ("iPhone 11 {gb} Go débloqué",),
            "zh": ("iPhone13 {gb}G 国行", "小米13 {gb}G 九成新", "华为 Mate40 {gb}G"),
        },
    ),
    _k(
        "bike",
        ORDINARY,
        None,
        None,
        (50, 1200),
        {
            "en": ("Road bike 56 cm frame, Shimano 105", "Kids bike 20 inch"),
            "de": (
                "Fahrrad 28 Zoll, 21 Gänge",
                "Kinderfahrrad 20 Zoll",
                "E-Bike Pedelec, Akku neu",
            ),
            "fr": ("Vélo de ville 28 pouces", "VTT enfant 24 pouces"),
            "zh": ("捷安特 山地车 27速", "折叠自行车 20寸"),
        },
    ),
    _k(
        "furniture",
        ORDINARY,
        None,
        None,
        (15, 800),
        {
            "en": ("IKEA Kallax shelf, white", "Solid oak dining table, 6 chairs"),
            "de": ("Kommode Eiche massiv", "Sofa 3-Sitzer grau", "IKEA Billy Regal weiß"),
            "fr": ("Table basse en chêne", "Armoire ancienne en pin"),
            "zh": ("实木 书桌 九成新", "宜家 沙发 灰色 三人位"),
        },
    ),
    _k(
        "clothes",
        ORDINARY,
        None,
        None,
        (5, 200),
        {
            "en": ("Winter jacket size {size}", "Levi's 501 jeans W32 L32"),
            "de": ("Winterjacke Gr. {size}", "Damen Stiefel Leder Gr. {shoe}"),
            "fr": ("Manteau en laine taille {size}", "Baskets Nike pointure {shoe}"),
            "zh": ("羽绒服 女款 {size}码", "耐克 运动鞋 {shoe}码"),
        },
    ),
    _k(
        "books",
        ORDINARY,
        None,
        None,
        (2, 60),
        {
            "en": ("Harry Potter box set, hardback", "Box of 30 paperback novels"),
            "de": ("Kochbuch Sammlung, 12 Bücher", "Harry Potter Band 1-7"),
            "fr": ("Lot de livres de poche", "Bandes dessinées Astérix, lot de {n}"),
            "zh": ("考研 数学 教材 全套", "三体 全三册"),
        },
    ),
    _k(
        "tools",
        ORDINARY,
        None,
        None,
        (15, 400),
        {
            "en": ("Bosch cordless drill 18V with 2 batteries", "Makita circular saw"),
            "de": ("Bosch Akkuschrauber 18V", "Werkzeugkoffer komplett"),
            "fr": ("Perceuse Makita sans fil", "Caisse à outils complète"),
            "zh": ("博世 电钻 家用", "工具箱 全套"),
        },
    ),
    _k(
        "kids",
        ORDINARY,
        None,
        None,
        (10, 500),
        {
            "en": ("Baby stroller, foldable", "LEGO Technic set, complete"),
            "de": ("Kinderwagen mit Babywanne", "LEGO Technik Set komplett"),
            "fr": ("Poussette pliable", "Lot de LEGO"),
            "zh": ("婴儿推车 可折叠", "乐高 积木 全套"),
        },
    ),
    _k(
        "electronics",
        ORDINARY,
        None,
        None,
        (40, 600),
        {
            "en": ("PS5 with 2 controllers", "Canon EOS 2000D camera kit", "Nintendo Switch OLED"),
            "de": ("PlayStation 5 mit 2 Controllern", "Kaffeevollautomat De'Longhi"),
            "fr": ("Nintendo Switch avec jeux", "Machine à café Nespresso"),
            "zh": ("switch 游戏机 带游戏", "佳能 单反 相机", "咖啡机 全自动"),
        },
    ),
)


def kinds_for(category: str) -> tuple[ProductKind, ...]:
    """All product kinds of one ground-truth category."""
    return tuple(k for k in KINDS if k.category == category)
