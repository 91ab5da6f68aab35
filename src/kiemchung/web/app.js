// kiemchung's web page: plain DOM, no framework, nothing loaded from elsewhere.
// Every string from a text or a server answer goes in with textContent, never innerHTML.
"use strict";

const I18N = {
  vi: {
    tagline: "kiểm chứng nội dung tiếng Việt", apiKey: "Khoá API (nếu máy chủ yêu cầu)",
    tabText: "Văn bản", tabKb: "Tìm nguồn", tabPulse: "Pulse", textLabel: "Dán hoặc gõ văn bản",
    analyze: "Phân tích", check: "Kiểm chứng", guard: "Che thông tin cá nhân", redactMode: "Kiểu che",
    queryLabel: "Tìm trong nguồn tin cậy", search: "Tìm", postsLabel: "Tệp bài đăng (.jsonl, .csv, .parquet)",
    period: "Theo", runPulse: "Chạy Pulse", columns: "Cột (nếu tên khác, ví dụ text=message,author=user_id)", working: "Đang xử lý…", empty: "Hãy nhập văn bản.",
    noClaims: "Không thấy nhận định nào cần kiểm chứng.", noFindings: "Không thấy gì đáng chú ý.",
    noHits: "Không tìm thấy đoạn nào.", evidence: "Bằng chứng", redacted: "Bản đã che",
    footer: "Chỉ phân tích nội dung, không lập hồ sơ con người. Không tự động đăng bài.",
    chooseFile: "Hãy chọn một tệp.", job: "Việc", other: "English",
    ownEvidence: "Đối chiếu văn bản trên, như một nhận định, với bằng chứng của bạn",
    evidenceLabel: "Bằng chứng (một bài báo, một thông cáo bạn tin cậy)", verify: "Đối chiếu",
    noEvidence: "Hãy dán bằng chứng.",
    SUPPORTED: "Nguồn nói đúng điều nhận định nói.",
    REFUTED: "Nguồn nói điều trái với nhận định (một con số, một ngày, một người khác, hay điều ngược lại).",
    NOT_ENOUGH_INFO: "Các nguồn này không nói về điều đó. Không có nghĩa nhận định sai: chỉ là chưa kiểm chứng được.",
  },
  en: {
    tagline: "verifying Vietnamese content", apiKey: "API key (if the server needs one)",
    tabText: "Text", tabKb: "Search sources", tabPulse: "Pulse", textLabel: "Paste or type a text",
    analyze: "Analyze", check: "Check claims", guard: "Redact personal data", redactMode: "Redaction",
    queryLabel: "Search the trusted sources", search: "Search", postsLabel: "Posts file (.jsonl, .csv, .parquet)",
    period: "By", runPulse: "Run Pulse", columns: "Columns (if named otherwise, e.g. text=message,author=user_id)", working: "Working…", empty: "Please enter a text.",
    noClaims: "No check-worthy claim found.", noFindings: "Nothing of note found.",
    noHits: "No passage found.", evidence: "Evidence", redacted: "Redacted",
    footer: "Content only, never people. Nothing is posted on anyone's behalf.",
    chooseFile: "Please choose a file.", job: "Job", other: "Tiếng Việt",
    ownEvidence: "Judge the text above, as a claim, against your own evidence",
    evidenceLabel: "Evidence (an article or statement you trust)", verify: "Judge",
    noEvidence: "Please paste the evidence.",
    SUPPORTED: "The source says what the claim says.",
    REFUTED: "The source states something incompatible with the claim (another figure, date or person, or the opposite).",
    NOT_ENOUGH_INFO: "These sources do not say. That does not make the claim false: it is not verified either way.",
  },
};
let lang = sessionStorage.getItem("kc-lang") || "vi";
const $ = (id) => document.getElementById(id);
const t = (key) => I18N[lang][key] || key;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child instanceof Node ? child : String(child));
  return node;
}

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  $("lang-toggle").textContent = t("other");
  sessionStorage.setItem("kc-lang", lang);
}

async function call(method, path, body, isForm = false) {
  const headers = {};
  const key = $("api-key").value.trim();
  if (key) headers["Authorization"] = "Bearer " + key;
  if (body && !isForm) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {method, headers, body: isForm ? body : body && JSON.stringify(body)});
  const type = response.headers.get("content-type") || "";
  const data = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new Error((data.error && data.error.message) || response.statusText);
  return data;
}

// Only http(s) links: a source's url could be "javascript:…".
function link(url, label) {
  return /^https?:\/\//i.test(url || "") ? el("a", {href: url, rel: "noopener noreferrer", target: "_blank"}, label) : label;
}

function explanation(f) { return (lang === "vi" && f.explanation_vi) ? f.explanation_vi : f.explanation; }

function highlighted(text, findings) {
  // Non-overlapping spans, earliest first; each becomes a <mark> whose title explains it.
  const spans = findings.filter((f) => f.span).sort((a, b) => a.span[0] - b.span[0] || b.span[1] - a.span[1]);
  const box = el("div", {class: "highlighted"});
  let at = 0;
  for (const f of spans) {
    const [start, end] = f.span;
    if (start < at) continue;
    box.append(text.slice(at, start));
    const kind = f.analyzer === "guard" ? "pii" : f.analyzer === "scam" ? "scam" : "";
    box.append(el("mark", {class: kind, title: `${f.label}: ${explanation(f)}`}, text.slice(start, end)));
    at = end;
  }
  box.append(text.slice(at));
  return box;
}

function findingBox(f, cls = "") {
  const box = el("div", {class: "finding " + cls}, el("strong", {}, f.label), ` (${f.score.toFixed(2)}) — `, explanation(f));
  for (const c of f.evidence || []) {
    const [a, b] = c.passage_span || [0, c.passage.length];
    const source = link(c.url, c.title || c.source);
    box.append(el("div", {class: "citation"}, `${t("evidence")}: `, source, c.date ? ` (${c.date})` : "", " — “", c.passage.slice(a, b), "”"));
  }
  return box;
}

function showError(target, error) { target.replaceChildren(el("p", {class: "error", role: "alert"}, error.message)); }

async function run(target, work) {
  target.replaceChildren(el("p", {class: "muted"}, t("working")));
  try { target.replaceChildren(...(await work())); } catch (error) { showError(target, error); }
}

function textOrWarn() {
  const text = $("text").value;
  if (!text.trim()) throw new Error(t("empty"));
  return text;
}

$("do-analyze").addEventListener("click", () => run($("text-result"), async () => {
  const text = textOrWarn();
  const report = await call("POST", "/v1/analyze", {text});
  const whole = report.findings.filter((f) => !f.span);
  return [highlighted(text, report.findings), ...whole.map((f) => findingBox(f, f.label === "CLEAN" ? "good" : ["OFFENSIVE", "HATE", "SCAM", "SPAM"].includes(f.label) ? "bad" : ""))];
}));

// A verdict says in plain words what it means: NOT_ENOUGH_INFO is "these sources do not say".
function verdictBox(f) {
  const box = findingBox(f, f.label === "SUPPORTED" ? "good" : f.label === "REFUTED" ? "bad" : "nei");
  box.insertBefore(el("div", {class: "meaning"}, t(f.label)), box.children[1] || null);
  return box;
}

$("do-check").addEventListener("click", () => run($("text-result"), async () => {
  const text = textOrWarn();
  const report = await call("POST", "/v1/check", {text});
  if (!report.findings.length) return [el("p", {}, t("noClaims"))];
  return report.findings.map((f) => {
    const claim = f.span ? text.slice(f.span[0], f.span[1]) : "";
    const box = verdictBox(f);
    box.prepend(el("div", {}, "“", claim, "”"));
    return box;
  });
}));

$("do-verify").addEventListener("click", () => run($("text-result"), async () => {
  const claim = textOrWarn();
  const evidence = $("evidence").value;
  if (!evidence.trim()) throw new Error(t("noEvidence"));
  const f = await call("POST", "/v1/verify", {claim, evidence});
  const odds = Object.entries(f.data.probabilities).map(([label, p]) => `${label} ${p.toFixed(2)}`);
  const box = verdictBox(f);
  box.append(el("div", {class: "muted"}, odds.join(" · ")));
  return [box];
}));

$("do-guard").addEventListener("click", () => run($("text-result"), async () => {
  const text = textOrWarn();
  const answer = await call("POST", "/v1/guard", {text, redact: $("redact-mode").value});
  if (!answer.findings.length) return [el("p", {}, t("noFindings"))];
  return [highlighted(text, answer.findings), el("h3", {}, t("redacted")), el("div", {class: "highlighted", id: "redacted"}, answer.redacted),
          ...answer.findings.map((f) => findingBox(f))];
}));

$("do-search").addEventListener("click", () => run($("kb-result"), async () => {
  const q = $("query").value.trim();
  if (!q) throw new Error(t("empty"));
  const answer = await call("GET", "/v1/kb/search?" + new URLSearchParams({q, k: "5"}));
  if (!answer.hits.length) return [el("p", {}, t("noHits"))];
  return answer.hits.map((h) => {
    const title = link(h.url, h.title || h.url || "");
    return el("div", {class: "finding"}, el("strong", {}, title), ` ${h.source || ""} ${h.published || ""}`, el("div", {class: "citation"}, h.text));
  });
}));
$("query").addEventListener("keydown", (e) => { if (e.key === "Enter") $("do-search").click(); });

$("do-pulse").addEventListener("click", () => run($("pulse-status"), async () => {
  const file = $("posts").files[0];
  if (!file) throw new Error(t("chooseFile"));
  const form = new FormData();
  form.append("posts", file);
  form.append("period", $("period").value);
  if ($("columns").value.trim()) form.append("columns", $("columns").value.trim());
  let job = await call("POST", "/v1/pulse/jobs", form, true);
  const status = $("pulse-status");
  while (job.status === "queued" || job.status === "running") {
    status.replaceChildren(el("p", {class: "muted"}, `${t("job")} ${job.id}: ${job.status}…`));
    await new Promise((r) => setTimeout(r, 1500));
    job = await call("GET", `/v1/pulse/jobs/${job.id}`);
  }
  if (job.status !== "done") throw new Error(job.error || job.status);
  const frame = $("pulse-report");
  frame.srcdoc = await call("GET", `/v1/pulse/jobs/${job.id}/report.html`);
  frame.hidden = false;
  return [el("p", {}, `${t("job")} ${job.id}: ${job.posts} posts`)];
}));

// Tabs: arrow keys move between them, as the ARIA tabs pattern says.
const tabs = [...document.querySelectorAll("[role=tab]")];
function select(tab) {
  for (const other of tabs) {
    const on = other === tab;
    other.setAttribute("aria-selected", String(on));
    other.tabIndex = on ? 0 : -1;
    $(other.getAttribute("aria-controls")).hidden = !on;
  }
  tab.focus();
}
tabs.forEach((tab, i) => {
  tab.addEventListener("click", () => select(tab));
  tab.addEventListener("keydown", (e) => {
    if (e.key === "ArrowRight") select(tabs[(i + 1) % tabs.length]);
    if (e.key === "ArrowLeft") select(tabs[(i - 1 + tabs.length) % tabs.length]);
  });
});
$("lang-toggle").addEventListener("click", () => { lang = lang === "vi" ? "en" : "vi"; applyLanguage(); });
applyLanguage();
