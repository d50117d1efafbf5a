"""Can the browser draw a page's text? Evidence of a page drawn as empty boxes shows nothing.

Without a font for a script, Chromium draws each character as the fallback font's
``.notdef`` glyph (an empty box, "tofu") or as nothing. ``TOFU_JS`` draws characters on a
canvas one by one and compares each with what unassigned code points draw: a character
drawn the same as those (or blank) has no font. ``wildcrawl doctor`` runs it on samples of
the scripts marketplaces use; evidence capture runs it on the page's own text before a
screenshot. The fix is the Debian packages in ``FONT_PACKAGES`` (``make setup`` installs
them as root).
"""

from __future__ import annotations

# Scripts marketplaces write in -> a sample of ordinary words in it.
SAMPLES = {
    "CJK": "象牙穿山甲犀牛角",
    "Thai": "งาช้างนอแรด",
    "Arabic": "عاج الفيل قرن",
    "emoji": "🐘🦏🐯",
}
# Debian packages giving the fonts each script needs.
FONT_PACKAGES = {
    "CJK": "fonts-noto-cjk",
    "Thai": "fonts-noto-core",
    "Arabic": "fonts-noto-core",
    "emoji": "fonts-noto-color-emoji",
}
# A share of a text's characters drawn as tofu above which the text is not readable.
MAX_TOFU_SHARE = 0.2

# (texts: {name: text}, known: characters already found drawable in this browser)
#   -> {name: [characters checked, characters without a font, characters drawn]}
# Known characters count as checked and drawn without being drawn again: the answer is the
# same, for less of the renderer's time when pages of one capture run share their letters.
_TOFU_CORE = r"""
(texts, known) => {
  const size = 48;
  const canvas = document.createElement('canvas');
  canvas.width = size * 2; canvas.height = size * 2;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const draw = (ch) => {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.font = size + 'px sans-serif';
    ctx.textBaseline = 'top';
    ctx.fillStyle = '#000';
    ctx.fillText(ch, 4, 4);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let hash = 0, ink = 0;
    for (let i = 0; i < data.length; i += 4) {
      const v = data[i] + data[i + 1] + data[i + 2] + data[i + 3];
      if (data[i + 3]) ink++;
      hash = (Math.imul(hash, 31) + v) | 0;
    }
    return ink ? hash + ':' + ctx.measureText(ch).width.toFixed(2) : 'blank';
  };
  const tofu = new Set(['blank', draw('\u0378'), draw('\u0379'), draw('\u{E01F0}'),
                        draw('\u{10FFFD}'), draw('\u{2FFFD}'), draw('\u{3FFFD}')]);
  const out = {};
  const skip = new Set([...known]);
  for (const [name, text] of Object.entries(texts)) {
    // Letters, digits and pictographs, each once: a Latin page with an emoji or two is
    // readable without an emoji font; a Chinese page without a CJK font is not.
    const chars = [...new Set([...text])].filter(
      ch => /[\p{L}\p{N}\p{Extended_Pictographic}]/u.test(ch) && !/\p{Emoji_Component}/u.test(ch)
        || /\p{Extended_Pictographic}/u.test(ch));
    const picked = chars.slice(0, 200);
    const drawn = [], missing = [];
    for (const ch of picked) {
      if (skip.has(ch)) continue;
      (tofu.has(draw(ch)) ? missing : drawn).push(ch);
    }
    out[name] = [picked.length, missing.length, drawn.join('')];
  }
  return out;
}
"""
TOFU_JS = "(texts) => (" + _TOFU_CORE + ")(texts, '')"

# The page's own text (visible text, its title) through TOFU_JS, in one call: (known) -> answer.
PAGE_TEXT_JS = "(document.title || '') + ' ' + (document.body ? document.body.innerText : '')"
PAGE_TOFU_JS = "(known) => (" + _TOFU_CORE + ")({page: " + PAGE_TEXT_JS + "}, known)"


def missing(counts: dict[str, list[int]]) -> list[str]:
    """The names whose text is mostly drawn as tofu, from TOFU_JS's answer."""
    return [
        name
        for name, (checked, tofu, *_drawn) in counts.items()
        if checked and tofu / checked > MAX_TOFU_SHARE
    ]


def fix_for(scripts: list[str]) -> str:
    packages = sorted({FONT_PACKAGES.get(s, "fonts-noto-core") for s in scripts})
    return (
        f"as root: apt-get install {' '.join(packages)} (or `make setup`), then restart the browser"
    )


def check_page_sync(page) -> list[str]:
    """The sample scripts a (Playwright sync) page cannot draw."""
    return missing(page.evaluate(TOFU_JS, SAMPLES))


async def page_text_unreadable(page, drawable: set[str] | None = None) -> str | None:
    """Why a page's text cannot be drawn, or None when it can. ``page``: anything with an
    async ``evaluate(function, arg)``, a Playwright page or a ``crawler.browser.devtools.DevTools``.

    ``drawable``: characters earlier pages of the same browser drew (not drawn again); the
    ones this page drew are added to it."""
    known = "".join(sorted(drawable)) if drawable else ""
    counts = await page.evaluate(PAGE_TOFU_JS, known)
    checked, tofu, drawn = counts["page"]
    if drawable is not None:
        drawable.update(drawn)
    if checked and tofu / checked > MAX_TOFU_SHARE:
        lacking = missing(await page.evaluate(TOFU_JS, SAMPLES)) or ["this page's script"]
        return (
            f"the browser has no font for {tofu} of {checked} characters of the page's text "
            f"(no {', '.join(lacking)} font): a screenshot would show empty boxes; "
            f"fix: {fix_for(lacking)}"
        )
    return None
