//! The report's inline style sheet: screen layout and the A4 print layout.

pub(super) const CSS: &str = r#":root{--ink:#1b1f24;--muted:#59636e;--line:#d0d5db;--accent:#0b5cad;--loss:#c4314b;--gain:#1a7f37}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
main{max-width:1000px;margin:0 auto;padding:24px 20px 48px}
h1{font-size:27px;line-height:1.2;margin:0 0 4px}
h2{font-size:20px;margin:40px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--ink)}
h3{font-size:15px;margin:18px 0 4px}
p{margin:6px 0}
.meta,.note,footer{color:var(--muted);font-size:13px}
footer{margin-top:32px}
.qa{display:grid;grid-template-columns:90px 1fr;gap:6px 12px;margin:18px 0}
.qa .lbl{font-size:12px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);padding-top:3px}
.question{font-size:18px;font-weight:600}
.answer{border-left:6px solid var(--accent);background:#f1f6fc;padding:10px 16px}
.answer .short{font-size:19px;font-weight:700;margin:4px 0 10px}
.keys .rule,.assumptions .rule{display:block;font-size:12px;color:var(--muted)}
.keys .key-note{font-style:italic}
.answer .first{font-size:22px;font-weight:700;margin:2px 0 6px}
.answer .first small{font-size:13px;font-weight:400;color:var(--muted);display:block;text-transform:uppercase;letter-spacing:.06em}
.answer .verdict{font-size:16px}
table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0 4px}
th,td{padding:4px 6px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#f3f4f6;font-weight:600}
.n{text-align:right;font-variant-numeric:tabular-nums}
td.n{white-space:nowrap}
td.n.wrap{white-space:normal}
table.views .band{font-size:12px;color:var(--muted)}
th{font-size:12px;line-height:1.25}
tr.first td{background:#eaf3fd}
.tag{display:inline-block;font-size:11px;font-weight:600;color:#fff;background:var(--accent);border-radius:3px;padding:0 5px;margin-left:4px;white-space:nowrap}
.flag{color:var(--loss);font-weight:600}
.sw{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.legend{display:flex;flex-wrap:wrap;gap:2px 14px;font-size:12px;margin:6px 0}
svg.chart{display:block;width:100%;height:auto;margin:6px 0}
svg text{font-size:11px;fill:#1b1f24}
svg .lbl{font-size:12px;font-weight:600}
svg .muted{fill:#59636e}
.fans{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:6px 18px}
.scurves{display:grid;grid-template-columns:repeat(auto-fill,minmax(440px,1fr));gap:6px 18px}
figure{margin:0;break-inside:avoid}
figcaption{font-size:13px;font-weight:600;margin-top:6px}
table.sobol td.bar{width:28%}
table.sobol td.bar span{display:block;height:10px;border-radius:2px}
.warnings li{color:var(--loss)}
dl.prov{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;font-size:13px}
dl.prov dt{color:var(--muted)}
dl.prov dd{margin:0;font-variant-numeric:tabular-nums;word-break:break-all}
@page{size:A4;margin:14mm 12mm}
@media print{
body{font-size:10pt}
main{max-width:none;padding:0}
section{margin-top:22px}
#comparison,#tables,#payments,#assumptions{break-before:page}
#comparison h2,#tables h2,#payments h2,#assumptions h2{margin-top:0}
h2{break-after:avoid}
h3{break-after:avoid}
figure,tr,.answer,.qa,svg.chart{break-inside:avoid}
thead{display:table-header-group}
table{font-size:9pt}
.fans{grid-template-columns:repeat(4,1fr)}
.scurves{grid-template-columns:repeat(3,1fr)}
table{font-size:8pt}
figcaption{font-size:9pt}
}"#;
