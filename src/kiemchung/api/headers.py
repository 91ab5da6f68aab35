"""Security headers on every answer: the page is where users type their API key.

- ``Content-Security-Policy``: scripts only from the server's own files (no inline script, no
  eval), connections only back to it, and no page may frame the service. Inline styles are
  allowed because the Pulse report (shown in a sandboxed ``srcdoc`` frame, which inherits the
  page's policy) colours its charts with them; styles cannot run code.
- The report served alone (``…/report.html``) may load nothing at all, only its inline styles.
- ``X-Content-Type-Options: nosniff``: a JSON or text answer is never read as a script or page.
- ``Referrer-Policy: no-referrer``: no address (a ``?key=`` one included) leaks to another site.
"""

from __future__ import annotations

PAGE_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
REPORT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'"
)
ALWAYS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def security_headers(path: str) -> dict[str, str]:
    """The headers an answer on ``path`` carries."""
    policy = REPORT_POLICY if path.endswith("/report.html") else PAGE_POLICY
    return {**ALWAYS, "Content-Security-Policy": policy}
