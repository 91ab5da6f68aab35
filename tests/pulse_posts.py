"""Synthetic posts for Pulse tests: three issues in several wordings, 60 authors, 28 days, a
flood of one issue on day 20, and two bad rows."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

START = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
RAW_AUTHORS = [f"fb-user-{100000 + i}" for i in range(60)]
#: Three issues people raise, each in several wordings; the fuel one floods on day 20.
TEMPLATES = {
    "fuel": [
        "Giá xăng hôm nay lại tăng {n} đồng, người dân chạy xe máy khổ quá",
        "Xăng tăng giá liên tục, chi phí đi lại của công nhân tăng {n} nghìn mỗi tháng",
        "Cây xăng gần nhà treo biển hết xăng, giá xăng RON95 lên {n} nghìn",
        "Giá dầu và giá xăng tăng khiến giá cước taxi tăng theo {n} phần trăm",
    ],
    "football": [
        "Đội tuyển Việt Nam thắng {n}-0 trong trận bóng đá tối qua, cầu thủ chơi hay quá",
        "Huấn luyện viên đội tuyển bóng đá nên cho cầu thủ trẻ ra sân từ phút {n}",
        "Trận chung kết bóng đá tối nay, tiền đạo số {n} ghi bàn đẹp mắt",
        "Sân vận động Mỹ Đình chật kín {n} nghìn cổ động viên cổ vũ đội tuyển",
    ],
    "school": [
        "Học sinh lớp {n} phải học thêm buổi tối, sách giáo khoa mới quá nặng",
        "Kỳ thi tốt nghiệp năm nay có {n} nghìn thí sinh, đề thi môn toán khó",
        "Giáo viên tiểu học lương thấp, nhiều thầy cô bỏ nghề sau {n} năm",
        "Phụ huynh lo học phí đại học tăng {n} phần trăm từ năm học mới",
    ],
}


def write_posts(path: Path, days: int = 28, seed: int = 0, extra: int = 0) -> list[str]:
    """Posts over ``days`` days from 60 authors, plus a fuel flood on day 20; returns the
    issue behind each written post. ``extra`` appends that many new posts (a later export)."""
    rng = random.Random(seed)
    rows, issues = [], []
    for day in range(days):
        for issue, wordings in TEMPLATES.items():
            count = 40 if issue == "fuel" and day == 20 else 3
            for _ in range(count):
                text = rng.choice(wordings).format(n=rng.randrange(2, 400))
                moment = START + dt.timedelta(days=day, minutes=rng.randrange(1440))
                rows.append(
                    {
                        "text": text,
                        "created_at": moment.isoformat(),
                        "author": rng.choice(RAW_AUTHORS),
                        "id": len(rows),
                    }
                )
                issues.append(issue)
    for i in range(extra):
        issue = rng.choice(list(TEMPLATES))
        text = rng.choice(TEMPLATES[issue]).format(n=1000 + i)
        rows.append(
            {
                "text": text,
                "created_at": (START + dt.timedelta(days=days - 1)).isoformat(),
                "author": rng.choice(RAW_AUTHORS),
                "id": len(rows),
            }
        )
        issues.append(issue)
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    lines.insert(5, '{"text": "không có thời gian"}')  # a bad row: no created_at
    lines.insert(9, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return issues
