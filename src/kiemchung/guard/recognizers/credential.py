"""Credentials: passwords after a cue, cloud and API keys, private keys, JWTs, database URLs.

Key shapes follow the providers' published prefixes (AWS ``AKIA``/``ASIA``, GitHub ``ghp_`` …,
Google ``AIza``, OpenAI ``sk-``). A password is only the token after "mật khẩu", "pass", "pw" …
and a separator, so "pass lại đồ cũ" (selling second-hand) is not one.
"""

from __future__ import annotations

from kiemchung.guard.recognizers.base import STRONG, VietnameseRecognizer

_SECRET = r"[^\s,;\"'<>()\[\]{}]{4,128}"


class VnCredentialRecognizer(VietnameseRecognizer):
    ENTITY = "CREDENTIAL"
    PATTERNS = (
        (
            # the cue's first letter comes first so the regex engine can skip to candidates
            "password_after_cue",
            r"(?:[mM](?<!\w[mM])(?i:ật khẩu|at khau|k)"
            r"|[pP](?<!\w[pP])(?i:assword|asswd|ass|wd|w|in))"
            r"(?i:\s+(?:mới|cũ|wifi|đăng nhập|email|của (?:em|anh|chị|mình|tôi)))?"
            rf"\s*(?::|=|(?i:là)\s*:?)\s*(?P<value>{_SECRET})",
            STRONG,
        ),
        (
            # "pass wifi tầng 3: VanPhong@2024": a few words between cue and value, so the value
            # must look like a password (letters and digits, 6+ characters)
            "password_after_cue_words",
            r"(?:[mM](?<!\w[mM])(?i:ật khẩu|at khau|k)|[pP](?<!\w[pP])(?i:assword|ass|w))"
            r"(?:\s+[^\s:=]{1,12}){1,3}\s*[:=]\s*"
            r"(?P<value>(?=[^\s,;\"'<>]*\d)(?=[^\s,;\"'<>]*[A-Za-z])[^\s,;\"'<>()\[\]{}]{6,128})",
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

    def accept(self, text: str, start: int, end: int) -> bool:
        value = text[start:end]
        # "mật khẩu: ********" or "pass: xxx" is already masked; "là" + a plain word is prose.
        return not (set(value) <= set("*•x.") or value.lower() in _NOT_SECRETS)


_NOT_SECRETS = frozenset({"gì", "gi", "sai", "đúng", "mới", "cũ", "đâu", "không", "ko", "nào"})
