"""Language identification: Vietnamese, English or other — Vietnamese without diacritics included.

General identifiers (py3langid, lingua) do well on Vietnamese with diacritics but send
"toi yeu ban" to French and "ok con de" to Spanish. Three signals fix that:

* diacritics: Vietnamese-only letters (ă, ơ, ư, đ, tone marks) settle the question when present;
* phonotactics: every Vietnamese syllable is (onset)(glide)vowel(final) from short closed lists, so
  the share of words that *could* be Vietnamese syllables separates unaccented Vietnamese (≈100 %)
  from English (≈40 %);
* frequent words: common unaccented Vietnamese syllables against common English function words.

py3langid, limited to a handful of languages, decides among the others and breaks ties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kiemchung.text.diacritics import diacritic_ratio, fold_accents

_WORD = re.compile(r"[^\W\d_]+")
#: Letters found in Vietnamese but not in French, Spanish, Portuguese or German spelling.
_VI_ONLY = re.compile("[ăắằẳẵặầấẩẫậđềếểễệồốổỗộơờớởỡợưừứửữựảạẻẽẹỉịĩỏọủụũỳỷỹỵ]", re.IGNORECASE)
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f\u1e00-\u1eff]")

_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
_RHYME = (
    r"(?:uye|uya|uyu|uoi|uou|ieu|yeu|oai|oay|oeo|uay|uai|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|"
    r"ue|ui|uo|uu|uy|ye|a|e|i|o|u|y)"
)
_FINAL = r"(?:ch|ng|nh|[cmnpt])?"
_VI_SYLLABLE = re.compile(f"{_ONSET}{_RHYME}{_FINAL}")

#: Frequent Vietnamese syllables, folded (no diacritics). Short English words that are also
#: common Vietnamese syllables ("to", "me", "an", "do", "no") count as Vietnamese here.
VI_COMMON = frozenset(
    """
    a ai am an anh ao ba bac bai ban bao bay be ben benh bi biet bo bon bong bu buoi bus ca
    cac cai cam can canh cao cap cha chan chang chao chi chieu chinh cho choi chon chu chua
    chuc chung chuyen co con cong cu cua cuc cung cuoc cuoi da dai dan dang danh dao dat day
    de den dep di dia dien dieu dinh do doc doi dong du dua dung duoc duong gan gao ghe gi
    gia giai gian giao gio gioi giup hai han hang hanh hay he hen hep hieu hoc hoi hom hon
    hop hue hung huong khach khi khoe khong kho khu kia kiem kinh la lai lam lan lang lanh
    lau le len lich lien lo loi lon long luat luc lui luon ly ma mai mang mat may me men met
    mien minh moi mon mot mua muon muoi my na nam nang nao nay ne ngay nen nghe nghi ngoai
    ngon ngu nguoi nha nhan nhanh nhat nhe nhieu nho nhu nhung no noi nong nuoc o oi ong
    phai phan phat pho phong phu qua quan quang que quoc quy ra rang rat re rieng roi rong
    ruou sach sai sang sao sau se sinh so song su sua suc tai tam tan tang tao tap tat tau
    te tet the thay them then theo thi thich thiet thoi thong thu thua thuc thuong tien tiep
    tim tin tinh to toi ton tong tot tra tram tran tre tren tri troi trong truoc truong tu
    tuan tuoi tuong tuyet uy va vang vao vay ve vi viec viet vien vo voi vua vui xa xang xe
    xem xin xong xu xuong yen yeu
    """.split()
)

#: Frequent English words that are not also frequent unaccented Vietnamese syllables.
EN_COMMON = frozenset(
    """
    the be of and that have it for not with as you this but his by from they we her she or
    will my one all would there their what out if about who get which when make can't like
    time just him know take people into year your good some could them see other than then
    now look only come its over think also back after use two how our work first well way
    even new want because any these give day most us is are was were been has had does did
    should very really please thanks thank hello yes what's don't i'm it's i've you're where
    why here today tomorrow yesterday weather great love nice news fake report price prices
    new meeting everyone nothing something will would morning happy year share account
    password link click verify review
    """.split()
)


@dataclass(frozen=True)
class LanguageGuess:
    """A language decision: ``lang`` is "vi", "en" or "other"; ``code`` is the finer ISO code."""

    lang: str
    confidence: float
    code: str
    unaccented: bool = False


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(
        ["vi", "en", "fr", "de", "es", "pt", "it", "id", "ms", "zh", "ja", "ko", "th", "ru"]
    )
    return identifier


def _share(words: list[str], predicate: Any) -> float:
    return sum(1 for w in words if predicate(w)) / len(words)


#: Links, e-mail addresses, @mentions and #hashtags: they are in no language, and a post's
#: English-looking URL ("vnexpress.net/gia-xang-tang") must not outvote its Vietnamese words.
_NOT_WORDS = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+|[@#]\w+")


def detect(text: str, sample_chars: int = 2000) -> LanguageGuess:
    """Guess the language of ``text`` (its first ``sample_chars`` characters are enough)."""
    sample = _NOT_WORDS.sub(" ", text[:sample_chars])
    raw_words = _WORD.findall(sample)
    if not raw_words:
        return LanguageGuess("other", 0.0, "und")
    latin = sum(1 for w in raw_words if _LATIN.match(w)) / len(raw_words)
    if latin < 0.5:
        code, prob = _identifier().classify(sample)
        return LanguageGuess("other", round(float(prob), 4), code)
    words = [fold_accents(w) for w in raw_words if _LATIN.match(w)]
    marked = _share(raw_words, _VI_ONLY.search)
    syllable = _share(words, _VI_SYLLABLE.fullmatch)
    vi_common = _share(words, VI_COMMON.__contains__)
    en_common = _share(words, EN_COMMON.__contains__)
    code, prob = _identifier().classify(sample)
    prob = float(prob)

    # Evidence for Vietnamese, each signal in [0, 1].
    vi_score = 0.45 * min(1.0, marked * 3) + 0.3 * syllable + 0.25 * vi_common
    en_score = 0.55 * en_common + 0.3 * (1 - syllable)
    if code == "vi":
        vi_score += 0.2 * prob
    elif code == "en":
        en_score += 0.2 * prob
    unaccented = (diacritic_ratio(sample) or 0.0) <= 0.1 and len(words) >= 2
    foreign = code not in ("vi", "en") and prob >= 0.9
    if foreign and marked == 0 and vi_common < 0.5 and syllable < 0.85:
        return LanguageGuess("other", round(prob, 4), code)
    if vi_score >= en_score and (marked > 0 or syllable >= 0.8 or vi_common >= 0.5):
        confidence = vi_score / (vi_score + en_score) if vi_score + en_score else 0.5
        return LanguageGuess("vi", round(confidence, 4), "vi", unaccented)
    if en_score > vi_score and (code == "en" or en_common >= 0.2):
        confidence = en_score / (vi_score + en_score)
        return LanguageGuess("en", round(confidence, 4), "en")
    if code in ("vi", "en"):
        return LanguageGuess(code, round(prob, 4), code, unaccented and code == "vi")
    return LanguageGuess("other", round(prob, 4), code)
