"""Credentials: passwords after a cue, cloud and API keys, private keys, JWTs, database URLs.

Key shapes follow the providers' published prefixes (AWS ``AKIA``/``ASIA``, GitHub ``ghp_`` …,
Google ``AIza``, OpenAI ``sk-``). A password is only the token after "mật khẩu", "pass", "pw" …
and a separator, so "pass lại đồ cũ" (selling second-hand) is not one; the token may hold any
characters. A one-time code is the 4–8 digits after "OTP" or "mã xác thực", so "không cung cấp
OTP cho ai" is not one.
"""

from __future__ import annotations

from kiemchung.guard.recognizers.base import STRONG, VietnameseRecognizer

#: A secret is whatever follows its cue up to white space, any characters at all.
_SECRET = r"\S{4,128}"
#: A password cue's first letter comes first so the regex engine can skip to candidates.
_PASSWORD_CUE = (
    r"(?:[mM](?<!\w[mM])(?i:ật khẩu|at khau|k)"
    r"|[pP](?<!\w[pP])(?i:assword|asswd|ass|wd|w|in))"
)


class VnCredentialRecognizer(VietnameseRecognizer):
    ENTITY = "CREDENTIAL"
    PATTERNS = (
        (
            "password_after_cue",
            _PASSWORD_CUE + r"(?i:\s+(?:mới|cũ|wifi|đăng nhập|email|của (?:em|anh|chị|mình|tôi)))?"
            rf"\s*(?::|=|(?i:là)\s*:?)\s*(?P<value>{_SECRET})",
            STRONG,
        ),
        (
            # "Mật khẩu tạm của hệ thống HR: Hr@2024!tmp": a few words between cue and value, so
            # the value must look like a password (6+ characters, a digit or a symbol in them)
            "password_after_cue_words",
            _PASSWORD_CUE + r"(?:\s+[^\s:=]{1,12}){1,6}\s*(?:[:=]|\s(?i:là)\s*:?)\s*"
            r"(?P<value>(?=\S*[\d!@#$%^&*_+=?~])\S{6,128})",
            STRONG,
        ),
        (
            # "mk Cam@Hg99", "MK mới Dqt2024$reset": no separator at all, so the value must be
            # unmistakable: a digit, and mixed case or a symbol ("pass 150k/bộ" is a price)
            "password_after_cue_bare",
            r"(?:[mM](?<!\w[mM])(?i:ật khẩu|at khau|k)|[pP](?<!\w[pP])(?i:assword|ass|w))"
            r"(?i:\s+(?:mới|cũ|tạm|wifi|đăng nhập|email))?\s+"
            r"(?P<value>(?=\S*\d)(?=\S*[!@#$%^&*_+=?~]|\S*[a-z]\S*[A-Z]|\S*[A-Z]\S*[a-z])\S{6,128})",
            STRONG,
        ),
        (
            # "OTP 483920", "mã OTP của bạn là 483920", "mã xác thực: 5821"
            "one_time_code",
            r"(?:[oO](?<!\w[oO])(?i:tp)|[mM](?<!\w[mM])(?i:ã xác thực|ã xác nhận))"
            r"(?:\s+[^\s\d:=]{1,12}){0,5}?\s*(?::|=|(?i:là)\s*:?)?\s*"
            r"(?P<value>\d{4,8})(?!\d|[ .]\d)",  # not the head of a grouped number
            STRONG,
        ),
        ("aws_access_key", r"A(?<![A-Z0-9]A)(?:KIA|SIA)[A-Z0-9]{16}(?![A-Z0-9])", STRONG),
        (
            "aws_secret_key",
            r"(?i:aws_secret_access_key|secret access key)\s*[:=]\s*(?P<value>[A-Za-z0-9/+=]{40})",
            STRONG,
        ),
        ("github_token", r"g(?<!\wg)(?:h[pousr]_[A-Za-z0-9]{36}|ithub_pat_\w{60,90})", STRONG),
        ("google_api_key", r"AIza(?<![\w\-]AIza)[0-9A-Za-z_\-]{35}(?![\w\-])", STRONG),
        (
            "openai_key",
            r"sk-(?<![\w\-]sk-)(?:proj-|svcacct-)?[A-Za-z0-9_\-]{20,}(?![\w\-])",
            STRONG,
        ),
        (
            "private_key_block",
            r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----[\s\S]*?-----END (?:[A-Z]+ )?PRIVATE KEY-----",
            STRONG,
        ),
        (
            "jwt",
            r"eyJ(?<![\w\-]eyJ)[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}",
            STRONG,
        ),
        (
            "connection_string",
            r"(?<!\w)(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqp|mssql|"
            r"sqlserver)://[^\s:/@]+:[^\s@/]+@[^\s\"'<>]+",
            STRONG,
        ),
    )
    CASE_SENSITIVE = True
    EXPLANATION = "A password, access key or other secret credential"
    EXPLANATION_VI = "Mật khẩu, khóa truy cập hoặc thông tin đăng nhập bí mật"

    def trim(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Quotes around a secret and the punctuation closing its sentence are not part of it."""
        value = text[start:end]
        head = len(value) - len(value.lstrip("\"'“‘([{"))
        tail = len(value) - len(value.rstrip("\"'”’)]},.;:"))
        return (start + head, end - tail) if head + tail < len(value) else (start, end)

    def accept(self, text: str, start: int, end: int) -> bool:
        value = text[start:end]
        # "mật khẩu: ********" or "pass: xxx" is already masked; "là" + a plain word is prose.
        return not (set(value) <= set("*•x.") or value.lower() in _NOT_SECRETS)


_NOT_SECRETS = frozenset({"gì", "gi", "sai", "đúng", "mới", "cũ", "đâu", "không", "ko", "nào"})
