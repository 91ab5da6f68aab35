"""The ``scam`` analyzer: rules and lexicons for Vietnamese scam and phishing messages.

No licensed Vietnamese scam corpus exists, so this is a recognizer in Presidio's manner rather than
a trained model: each *signal* is a family of patterns with a weight and a plain-language reason
("asks for an OTP code", "promises 30 % a month"). Patterns run over the accent-folded, lower-cased
text, so "cung cấp mã OTP" and "cung cap ma OTP" match alike, and folding keeps offsets, so every
matched phrase is reported as a span of the original text.

A message is SCAM when its signal weights add up to ``threshold``. Warnings *about* scams ("tuyệt
đối không cung cấp mã OTP") carry negative weight, so genuine bank notices stay NOT_SCAM. The
score is the clipped weight sum, a rule score rather than a calibrated probability.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiemchung.core import Document, Finding
from kiemchung.pipeline import BaseAnalyzer
from kiemchung.text.diacritics import fold_accents


@dataclass(frozen=True)
class Signal:
    """One family of scam cues: patterns over folded text, a weight, a reason in two languages."""

    name: str
    weight: float
    patterns: tuple[str, ...]
    reason_en: str
    reason_vi: str
    pattern_hint: str | None = None  # the scam pattern this signal points to, if any

    def compiled(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in self.patterns))


_BANKS = (
    r"vietcombank|vcb|bidv|techcombank|tcb|agribank|vietinbank|vpbank|acb|mb ?bank|sacombank|"
    r"tpbank|hdbank|shb|ocb|ngan hang"
)
_COURIERS = (
    r"ghn|ghtk|giao hang (?:nhanh|tiet kiem)|j&t|jnt|viettel ?post|vnpost|"
    r"buu (?:dien|pham|kien|gui)|shipper|hai quan"
)
#: Shops whose orders a fake delivery notice speaks of (named, not impersonated, so no weight).
_SHOPS = r"shopee|lazada|tiki|don hang"
#: Social and payment platforms whose accounts are taken over.
_PLATFORMS = r"facebook|zalo|messenger|instagram|tiktok|telegram|netflix|momo|zalopay|nick"
_AUTHORITIES = (
    r"cong an|canh sat|csgt|vien kiem sat|toa an|cuc thue|tong cuc thue|bao hiem xa hoi|"
    r"dieu tra vien|co quan dieu tra"
)
_SECRETS = (
    r"(?:ma )?otp|ma xac (?:nhan|thuc|minh)|mat khau|cvv|so the|ma pin|ten dang nhap|ma \d so|"
    r"ngay het han (?:the|cua the)|ngay het han"
)
#: Who a scam speaks to (folded): a demand of police or courts is addressed to the reader.
_YOU = r"(?:anh|chi|ban|quy khach|ong|ba|em|con)"
_NEGATION = r"(?:khong|dung|tuyet doi khong|khong bao gio|chang|never|do not|don't)"

SIGNALS: tuple[Signal, ...] = (
    Signal(
        "secret_request",
        0.6,
        (
            rf"(?:cung cap|gui|doc|nhap|dien|cho|soan tin gui|dang nhap|nhan lai|nhan tin)\W+"
            rf"(?:\w+\W+){{0,6}}?(?:{_SECRETS})",
            rf"(?:{_SECRETS})\W+(?:\w+\W+){{0,4}}?"
            r"(?:cho (?:nhan vien|tong dai|em|minh)|vua (?:nhan|gui))",
            r"(?:day so|ma (?:\d|sau|bon) so)\W+(?:\w+\W+){0,2}?vua (?:nhan|gui|duoc gui)",
        ),
        "asks for a one-time code, password or card details",
        "yêu cầu cung cấp mã OTP, mật khẩu hoặc thông tin thẻ",
        "bank_otp",
    ),
    Signal(
        "suspicious_link",
        0.35,
        (
            r"\b[\w-]+\.(?:xyz|top|vip|online|site|info|club|icu|cc|buzz|shop|live|apk)\b",
            r"\b(?:bit\.ly|tinyurl\.com|cutt\.ly|is\.gd|t\.ly|shorturl\.at)/\S+",
            r"\b(?:[a-z0-9]+-)+[a-z0-9]+\.(?:com|net|org|vn)\b",
        ),
        "links to a look-alike or throw-away web address",
        "dẫn tới một địa chỉ web giả mạo hoặc dùng một lần",
    ),
    Signal(
        "advance_fee",
        0.4,
        (
            r"(?:phi|le phi|tien) (?:van chuyen|thu tuc|bao hiem|truoc ba|ho so|mo khoa|kich hoat|"
            r"giai ngan|dao tao|hai quan|giao lai|nhan thuong|dam bao|nhan giai|thong quan|"
            r"tai lieu|rut tien|nang cap)",
            r"chi can (?:thanh toan|tra) (?:phi|tien) (?:ship|van chuyen)",
            r"\b(?:nop|dong|chuyen|nap)[^\w.!?]+(?:\w+[^\w.!?]+){0,5}?"
            r"de (?:nhan|kich hoat|giai ngan|mo khoa|duoc nhan)",
            # "đồng" folds to "dong" as "đóng" does: a payment *before* needs a sum or a fee
            r"\b(?:nop|dong|chuyen|nap) (?:\w+ ){0,3}?(?:tien|phi|\d[\d.,]* ?(?:k|d|trieu|tr)\b)"
            r"(?: [\w.,]+){0,4}? truoc\b",
            r"\b(?:nop|dong|chuyen(?: khoan)?|nap|coc) truoc \d[\d.,]* ?(?:k|d|trieu|tr)\b",
            r"thue nhap khau|nop bao lanh",
            r"coc (?:truoc )?(?:\w+\W+){0,3}?de (?:nhan|duoc|lam)",
        ),
        "asks for a fee before paying out a prize, loan, job or parcel",
        "đòi nộp phí trước khi trao thưởng, giải ngân, nhận việc hoặc giao hàng",
    ),
    Signal(
        "prize",
        0.3,
        (
            r"trung (?:thuong|giai|iphone|xe)",
            r"khach hang may man",
            r"(?:qua|chuong trinh) tri an",
            r"nhan (?:ngay )?(?:phan )?qua",
            r"duoc tang (?:\w+ ){0,3}(?:tivi|xe|iphone|voucher)",
            r"voucher (?:\w+ ){0,2}\d+",
            r"may man (?:nhan duoc|trung|duoc (?:chon|tang|nhan))|vong quay may man|ma du thuong",
            r"nhan giai (?:dac biet|nhat|nhi)|(?:duoc|nhan) hoan tien \d",
            r"(?:duoc )?chon (?:ngau nhien )?(?:de )?nhan (?:qua|giai|thuong)",
        ),
        "announces a prize or gift you did not enter for",
        "báo trúng thưởng hoặc tặng quà mà bạn không hề tham gia",
        "fake_prize",
    ),
    Signal(
        "unrealistic_return",
        0.5,
        (
            # a rate of return per day, week or month ("41% mỗi tuần" alone is a statistic)
            r"(?:lai|loi nhuan|hoa hong|sinh loi|co tuc|tra)(?: suat)?\W+(?:\w+\W+){0,3}?"
            r"\d+(?:[.,]\d+)? ?% ?(?:moi |mot |/ ?)(?:ngay|tuan|thang)",
            r"(?<!khong )cam ket (?:khong lo|lai|loi nhuan|hoan von|mua lai)",
            r"bao lo (?:100|von|cho|neu)|(?:cam ket|dam bao) bao lo|bao hiem von",
            r"nhan doi tai khoan|x\d+ tai khoan|khong (?:co )?rui ro",
            r"tang tran \d+ ?%|dam bao loi nhuan|loi nhuan co dinh",
            r"moi tuan tra lai",
            r"(?:dam bao|cam ket) (?:\d+ ?% )?khong (?:mat|lo) von|lai gap \d+ lan",
            r"sau \d+ (?:ngay|tuan|thang)\W+(?:\w+\W+){0,5}?kiem (?:duoc|ve) \d+",
            r"nhan (?:ve )?\d+(?:[.,]\d+)? ?(?:trieu|tr) tien lai",
            r"(?:tang|thuong) (?:ngay )?\d+ ?(?:usd|usdt|\$) vao tai khoan",
        ),
        "promises returns no honest investment can guarantee",
        "hứa lợi nhuận cao mà không khoản đầu tư thật nào bảo đảm được",
        "investment_scam",
    ),
    Signal(
        "easy_job",
        0.5,
        (
            r"viec nhe luong cao",
            r"(?:lam|nhan) nhiem vu (?:online|nap|mua|like|tha tim|de nhan|nhan (?:tien|hoa hong))",
            r"nhiem vu (?:online|nap don|tra thuong)",
            r"chot don|mua ho don",
            r"(?:tha tim|like|xem (?:quang cao|video)|bam theo doi|theo doi kenh)\W+"
            r"(?:\w+\W+){0,4}?(?:nhan (?:tien|hoa hong)|co tien)",
            r"dat don ao|tang tuong tac cho shop",
            r"thu nhap \d+\W*(?:trieu|k|tr)?\W*/ ?(?:ngay|tuan)",
            r"\d+ ?k ?- ?\d+ ?(?:tr|trieu)/ngay",
            r"hoa hong (?:cao|\d+ ?%)",
        ),
        "offers easy money for simple online tasks",
        "mời làm việc đơn giản trên mạng với thu nhập cao bất thường",
        "job_scam",
    ),
    Signal(
        "authority_demand",
        0.45,
        (
            r"tai khoan (?:tam giu|an toan|kiem tra|giam sat)|chung minh (?:trong sach|vo toi)",
            rf"\b{_YOU}\W+(?:\w+\W+){{0,6}}?(?:phuc vu (?:cong tac )?dieu tra|giay trieu tap)",
            r"khai bao (?:\w+ ){0,2}(?:so du|tai khoan ngan hang)",
            r"chua (?:hang|chat|vat pham) (?:cam|chua khai bao)",
            r"(?:chuyen|chuyen ho so) (?:sang|qua|cho) (?:cong an|co quan (?:dieu tra|cong an)|"
            r"vien kiem sat|toa an)",
        ),
        "tells you that police, courts or tax officers need your money or data",
        "nói rằng công an, tòa án hay cơ quan thuế cần tiền hoặc thông tin của bạn",
        "authority_impersonation",
    ),
    Signal(
        # Words that crime and court news use every day: too weak alone, with a name, to flag.
        "authority_threat",
        0.3,
        (
            r"rua tien|lenh bat|tam giam|truy to|cuong che",
            r"phat nguoi \d|bi phat \d+|nop phat",
            r"hoan thue",
        ),
        "invokes police, courts or tax authorities to demand money or data",
        "nhân danh công an, tòa án hay cơ quan thuế để đòi tiền hoặc thông tin",
        "authority_impersonation",
    ),
    Signal(
        "account_threat",
        0.3,
        (
            r"(?:bi|se bi) (?:tam )?(?:khoa|xoa|cat|dong bang|dung)(?! cua)",
            r"khoa (?:vinh vien|2 chieu|hai chieu)",
            r"vi pham (?:chinh sach|ban quyen)",
            r"dang nhap bat thuong|giao dich (?:dang ngo|cho duyet|loi)|bi hack|day dung luong",
            r"chua chuan hoa|dinh danh (?:dien tu )?muc 2|sinh trac hoc",
            r"(?:bi|se bi) (?:tam ngung|thu hoi|go|vo hieu hoa)|se het han",
            r"vi pham tieu chuan cong dong",
        ),
        "threatens to lock an account or cut a service unless you act",
        "dọa khóa tài khoản hoặc cắt dịch vụ nếu bạn không làm theo",
        "account_takeover",
    ),
    Signal(
        "loan_no_checks",
        0.5,
        (
            r"khong (?:can )?(?:tham dinh|chung minh thu nhap|goi nguoi than)",
            r"no xau (?:van )?vay",
            r"giai ngan (?:trong )?\d+ ?phut",
            r"boc ho\b|vay nong|gop (?:moi )?ngay",
            r"duyet 100 ?%|chi can (?:cccd|cmnd|chup cccd)|cung cap danh ba",
            r"duoc duyet khoan vay",
        ),
        "offers a loan with no checks, the hallmark of illegal lenders",
        "cho vay không cần thẩm định — dấu hiệu của tín dụng đen",
        "loan_shark",
    ),
    Signal(
        "app_install",
        0.4,
        (
            r"cai (?:dat )?(?:ung dung|app)\W+(?:\w+\W+){0,5}?"
            r"(?:link|duong link|tai [\w-]+\.[a-z]{2,})",
            r"tai app (?:tai|qua) (?:link|duong link)|\.apk\b",
        ),
        "asks you to install an app from a link",
        "yêu cầu cài ứng dụng từ một đường link",
        "account_takeover",
    ),
    Signal(
        "parcel_held",
        0.3,
        (
            r"\b(?:hang|buu kien|kien hang|don hang|buu pham)[^\w.!?]+(?:\w+[^\w.!?]+){0,5}?"
            r"(?:bi (?:tam )?giu|dang tam giu|luu kho|khong the giao|can xac nhan|giao that bai|"
            r"sai dia chi|khong du dieu kien phat)",
        ),
        "says a parcel is held or undeliverable",
        "báo bưu kiện bị giữ hoặc không giao được",
        "delivery_impersonation",
    ),
    Signal(
        "relative_emergency",
        0.4,
        (
            r"doi so (?:moi|roi)|bi giu o|bi lua mat",
            r"\bbi mat vi\b|\bmat vi (?:o|tien|roi)",
            r"(?:bi|dang) ket o|chuoc (?:nguoi|em|con|ve)|tien chuoc",
            # the caller as a relative's friend, colleague, teacher or doctor
            r"(?:chau|em|toi|minh) la (?:ban|dong nghiep|giao vien(?: chu nhiem)?|co giao|"
            r"thay giao|bac si) (?:\w+ ){0,2}?cua (?:anh|chi|chau|em|con|ban)\b",
        ),
        "claims a relative or friend is in an emergency",
        "nói người thân, bạn bè đang gặp nạn",
        "family_emergency",
    ),
    Signal(
        # What news reports every day; with a transfer request and urgency it is the script.
        "emergency_event",
        0.15,
        (r"(?:bi )?tai nan|cap cuu|nhoi mau|bi bat giu|bi tam giu",),
        "mentions an accident, an emergency or an arrest",
        "nhắc tới tai nạn, cấp cứu hay bị bắt giữ",
        "family_emergency",
    ),
    Signal(
        "transfer_request",
        0.25,
        (
            r"chuyen (?:gap|ngay|tam|toan bo|so du|khoan truoc|tien vao|vao (?:stk|tai khoan))",
            r"(?:chuyen|nap)\W+(?:\w+\W+){0,3}?\d+(?:[.,]\d+)? ?(?:trieu|tr|k|d|usdt)\b",
            r"nap (?:tien|toi thieu)|chuyen usdt|chuyen coc",
            r"gui \d+(?:[.,]\d+)? ?(?:trieu|tr)\b|(?:chuyen|gui)\W+(?:\w+\W+){0,3}?it tien",
            r"(?:dong|nop|tien) vien phi|phi mo\b",
        ),
        "asks you to transfer money",
        "yêu cầu chuyển tiền",
    ),
    Signal(
        # Weaker than a promise of returns: the words an investment pitch is made of.
        "investment_pitch",
        0.3,
        (
            r"goi dau tu|co phan du an|chia co tuc \d+(?:[.,]\d+)? ?%|san (?:forex|giao dich vang)",
            r"ma gioi thieu|hoan (?:goc|von)\b|von ban dau|nhom kin (?:dau tu|chung khoan)",
        ),
        "pitches an investment through a private group, a referral code or a promised refund",
        "chào mời đầu tư qua nhóm kín, mã giới thiệu hoặc lời hứa hoàn vốn",
        "investment_scam",
    ),
    Signal(
        # Weaker than "easy money": what work-from-home offers say before the money is mentioned.
        "task_job",
        0.3,
        (
            r"(?:lam viec|cong tac vien|lam them) (?:online|tai nha)",
            r"(?:go van ban|nhap lieu) tai nha",
            r"viec lam them|khong can kinh nghiem|chi can co dien thoai|luong (?:tra|thanh toan) "
            r"(?:trong|cuoi) ngay|moi luot \d+ ?k",
        ),
        "offers work from home or online with no experience needed",
        "mời làm việc tại nhà hoặc trên mạng, không cần kinh nghiệm",
        "job_scam",
    ),
    Signal(
        "bank_pretext",
        0.3,
        (
            r"nang (?:cap )?han muc|hoan phi thuong nien|mo khoa the",
            r"cap nhat thong tin (?:the|tai khoan)",
            r"huy giao dich|giao dich chuyen tien \d",
        ),
        "uses a bank pretext: a raised limit, a refunded fee, a transaction to cancel",
        "lấy cớ ngân hàng: nâng hạn mức, hoàn phí, hủy giao dịch",
        "bank_otp",
    ),
    Signal(
        "action_at_link",
        0.25,
        (
            r"(?:truy cap|bam vao|nhan vao|click|cap nhat|xac minh|xac thuc|khang nghi|dang nhap|"
            r"kich hoat|huy giao dich|hoan tien|nop (?:phat|tien)|nhan (?:qua|thuong|tien|giai))\W+"
            r"(?:\w+\W+){0,8}?"
            r"(?:https?://|www\.|\blink\b|duong link|[\w-]+\.(?:com|net|org|vn|xyz|top|vip|online|"
            r"site|info|club|icu|cc|buzz|shop|live)\b)",
        ),
        "asks you to log in, verify or claim something at a link",
        "bảo bạn đăng nhập, xác minh hoặc nhận tiền qua một đường link",
    ),
    Signal(
        "reply_instruction",
        0.2,
        (r"soan tin theo|nhan tin theo cu phap|soan (?:tin )?[a-z]+ gui \d{3,5}\b",),
        "tells you to reply with a code or a keyword",
        "bảo bạn soạn tin theo cú pháp",
    ),
    Signal(
        "urgency",
        0.15,
        (
            r"\bgap\b|\bngay (?:trong ngay|hom nay|lap tuc)|trong hom nay|khan cap",
            r"trong (?:vong )?\d+ ?(?:h|gio|phut)\b",
            r"truoc \d+ ?h|chi con \d+ suat|so luong co han|sap het",
        ),
        "pushes you to act at once",
        "thúc giục bạn làm ngay",
    ),
    Signal(
        "robocall",
        0.3,
        (r"bam (?:phim|so) \d\b",),
        "a recorded call that asks you to press a key to reach an officer or operator",
        'cuộc gọi ghi âm bảo bạn bấm phím để gặp "cán bộ" hay tổng đài viên',
    ),
    Signal(
        "secrecy",
        0.35,
        (r"khong duoc tiet lo|dung noi (?:voi )?(?:bo|me|ai)|giu bi mat|khong goi nguoi than",),
        "tells you to keep it secret",
        "dặn bạn giữ bí mật",
    ),
    Signal(
        "off_platform_contact",
        0.15,
        (
            r"(?:zalo|telegram|inbox|ket ban)\W+(?:\w+\W+){0,3}?(?:0\d{9}|@\w+)",
            r"telegram @\w+|ket ban zalo|lien he (?:ngay )?(?:so )?0\d{9}",
        ),
        "moves the conversation to a private chat",
        "kéo bạn sang trò chuyện riêng",
    ),
    Signal(
        "impersonated_brand",
        0.1,
        (
            rf"\b(?:{_BANKS}|{_COURIERS}|{_AUTHORITIES}|evn|dien luc|shopee|lazada|facebook|zalo|"
            r"momo|netflix)\b",
        ),
        "names a bank, courier, platform or authority",
        "nêu tên ngân hàng, hãng vận chuyển, nền tảng hoặc cơ quan nhà nước",
    ),
    Signal(
        # How news tells of a scheme; a scammer does not call their own script a trick.
        "scam_report",
        -0.3,
        (
            r"chiem doat|thu doan|chieu (?:lua|tro)|gia danh|mao danh|nghi pham|bi cao|"
            r"cac doi tuong|doi tuong (?:da|bi|nay)|cho biet|phong vien",
        ),
        "reports a scam rather than running one",
        "thuật lại một vụ lừa đảo chứ không phải lừa đảo",
    ),
    Signal(
        # An unsecured loan is an ordinary bank product; beside another cue it is the lure.
        "loan_easy_terms",
        0.25,
        (
            r"khong (?:can )?(?:the chap|giay to)",
            r"khoan vay (?:\w+ ){0,4}?(?:da )?duoc (?:phe )?duyet|tai khoan vay",
        ),
        "offers a loan without collateral or papers",
        "cho vay không cần thế chấp hay giấy tờ",
        "loan_shark",
    ),
    Signal(
        "safety_warning",
        -0.6,
        (
            rf"{_NEGATION} (?:\w+ ){{0,4}}(?:cung cap|chia se|chuyen tien|lam theo|nop)",
            r"khong bao gio yeu cau|canh bao|canh giac|khong thu phi|khong lam viec qua dien thoai",
        ),
        "warns against scams rather than running one",
        "là lời cảnh báo lừa đảo chứ không phải lừa đảo",
    ),
)

_COMPILED = [(signal, signal.compiled()) for signal in SIGNALS]

PATTERN_NAMES = {
    "fake_prize": ("a fake prize", "trúng thưởng giả"),
    "bank_otp": ("a bank or OTP phishing", "lừa lấy mã OTP, thông tin ngân hàng"),
    "job_scam": ("a fake job", "việc làm giả"),
    "investment_scam": ("an investment", "đầu tư"),
    "authority_impersonation": ("an impersonated authority", "giả danh cơ quan chức năng"),
    "delivery_impersonation": ("a fake delivery", "giả danh giao hàng"),
    "loan_shark": ("an illegal loan", "tín dụng đen"),
    "account_takeover": ("an account-takeover", "chiếm đoạt tài khoản"),
    "family_emergency": ("a relative-in-trouble", "người thân gặp nạn"),
    "generic": ("a", "chung"),
}


@dataclass(frozen=True)
class SignalHit:
    signal: Signal
    start: int
    end: int


def find_signals(text: str) -> list[SignalHit]:
    """Every signal match in ``text`` (spans index ``text``: folding keeps offsets)."""
    folded = fold_accents(text)
    hits = []
    for signal, pattern in _COMPILED:
        hits.extend(SignalHit(signal, m.start(), m.end()) for m in pattern.finditer(folded))
    return sorted(hits, key=lambda h: (h.start, -h.end))


#: Which impersonated sender, together with which cues, names the scam pattern.
_SENDER_RULES = (
    # An authority named beside a courier (a parcel "with banned goods, passed to the police")
    # is the authority story, so authorities come first.
    (
        _AUTHORITIES,
        "authority_impersonation",
        {
            "transfer_request",
            "secret_request",
            "suspicious_link",
            "app_install",
            "authority_threat",
            "authority_demand",
        },
    ),
    (
        rf"{_COURIERS}|{_SHOPS}",
        "delivery_impersonation",
        {
            "advance_fee",
            "suspicious_link",
            "secret_request",
            "parcel_held",
            "transfer_request",
            "authority_threat",
            "authority_demand",
            "action_at_link",
        },
    ),
    (
        _PLATFORMS,
        "account_takeover",
        {"secret_request", "suspicious_link", "action_at_link", "account_threat", "app_install"},
    ),
    (_BANKS, "bank_otp", {"secret_request", "suspicious_link"}),
)


#: Cues that tell the story itself (a prize, a return, a job, a loan, a relative in trouble):
#: they name the pattern before any sender does ("số thẻ ngân hàng" in a fake-prize message does
#: not make it bank phishing).
_STORY_SIGNALS = frozenset(
    {
        "prize",
        "unrealistic_return",
        "investment_pitch",
        "easy_job",
        "task_job",
        "loan_no_checks",
        "loan_easy_terms",
        "relative_emergency",
    }
)


def _scam_pattern(text: str, fired: dict[str, Signal]) -> str:
    stories = [s for name, s in fired.items() if name in _STORY_SIGNALS]
    if stories:
        return max(stories, key=lambda s: s.weight).pattern_hint or "generic"
    folded = fold_accents(text)
    for sender, pattern, cues in _SENDER_RULES:
        if cues & set(fired) and re.search(rf"\b(?:{sender})\b", folded):
            return pattern
    hinted = [s for s in fired.values() if s.pattern_hint]
    # Asking for an OTP is common to many scams; name the more specific story when there is one.
    specific = [s for s in hinted if s.name != "secret_request"] or hinted
    if not specific:
        return "generic"
    return max(specific, key=lambda s: s.weight).pattern_hint or "generic"


@dataclass(frozen=True)
class ScamAssessment:
    score: float
    is_scam: bool
    pattern: str
    hits: list[SignalHit]


def assess(text: str, threshold: float = 0.5) -> ScamAssessment:
    """Weigh the signals in ``text``: each signal family counts once, however often it matches."""
    hits = find_signals(text)
    fired = {h.signal.name: h.signal for h in hits}
    raw = sum(s.weight for s in fired.values())
    score = round(min(max(raw, 0.0), 1.0), 4)
    is_scam = raw >= threshold
    return ScamAssessment(score, is_scam, _scam_pattern(text, fired) if is_scam else "none", hits)


class ScamAnalyzer(BaseAnalyzer):
    """One whole-text Finding (SCAM / NOT_SCAM) and, for scams, one SCAM_SIGNAL span per cue."""

    name = "scam"
    version = "rules-5"

    def __init__(self, threshold: float = 0.5) -> None:
        self.threshold = threshold

    def analyze(self, doc: Document) -> list[Finding]:
        result = assess(doc.norm, self.threshold)
        reasons = list(dict.fromkeys(h.signal for h in result.hits if h.signal.weight > 0))
        if result.is_scam:
            kind_en, kind_vi = PATTERN_NAMES[result.pattern]
            top = sorted(reasons, key=lambda s: -s.weight)[:3]
            explanation = f"Looks like {kind_en} scam: it {'; it '.join(s.reason_en for s in top)}."
            explanation_vi = (
                f"Có dấu hiệu lừa đảo ({kind_vi}): {'; '.join(s.reason_vi for s in top)}."
            )
        else:
            explanation = "No combination of scam signals strong enough to flag."
            explanation_vi = "Không đủ dấu hiệu lừa đảo để cảnh báo."
        findings = [
            Finding(
                self.name,
                "SCAM" if result.is_scam else "NOT_SCAM",
                result.score if result.is_scam else round(1 - result.score, 4),
                explanation=explanation,
                explanation_vi=explanation_vi,
                data={
                    "pattern": result.pattern,
                    "signals": sorted({h.signal.name for h in result.hits}),
                },
            )
        ]
        if result.is_scam:
            for hit in result.hits:
                if hit.signal.weight > 0.1:
                    findings.append(
                        Finding(
                            self.name,
                            "SCAM_SIGNAL",
                            hit.signal.weight,
                            span=doc.to_original(hit.start, hit.end),
                            explanation=f"This phrase {hit.signal.reason_en}.",
                            explanation_vi=f"Cụm từ này {hit.signal.reason_vi}.",
                            data={"signal": hit.signal.name},
                        )
                    )
        return findings
