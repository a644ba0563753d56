#!/usr/bin/env bash
# Renders the HTML report, the case summary (saksframlegg.html) and a member's page of the
# embedded scenario in headless Chromium, without network, and checks what came out: a PNG
# screenshot, PDF prints (the case summary at most two A4 pages, a member's page one) and the
# DOM in target/report-screenshot/.
#
# Usage: scripts/screenshot-report.sh [en|nb] [extra `samkost run` arguments…]
# The binary is $SAMKOST_BIN or target/debug/samkost. Exits non-zero when anything is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

lang="${1:-en}"
shift || true
bin="${SAMKOST_BIN:-$PWD/target/debug/samkost}"
out="$PWD/target/report-screenshot/$lang"
chromium="$(command -v chromium || command -v chromium-browser || true)"

fail() { echo "screenshot-report: $*" >&2; exit 1; }
[[ -x "$bin" ]] || fail "no samkost binary at $bin (run cargo build or set SAMKOST_BIN)"
[[ -n "$chromium" ]] || fail "chromium not found (apt-get install -y chromium)"

rm -rf "$out"
mkdir -p "$out"
"$bin" run --draws 4000 --stability-draws 400 --lang "$lang" --out "$out/run" "$@" >/dev/null
report="$out/run/report.html"
[[ -s "$report" ]] || fail "samkost wrote no report.html"

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --disable-dev-shm-usage --hide-scrollbars --user-data-dir="$profile")

# No network for the browser: a fresh network namespace when we may create one, otherwise
# Chromium runs as is (the report fetches nothing; the DOM check below proves it has no URLs).
isolate=()
if unshare --net --map-root-user true 2>/dev/null; then
    isolate=(unshare --net --map-root-user)
elif unshare --net true 2>/dev/null; then
    isolate=(unshare --net)
else
    echo "screenshot-report: cannot create a network namespace; rendering without isolation" >&2
fi

render() {
    timeout 120 "${isolate[@]}" "$chromium" "${flags[@]}" "$@" 2>>"$out/chromium.log"
}

start=$(date +%s.%N)
render --window-size=1280,2400 --screenshot="$out/report.png" "file://$report" >/dev/null
render --no-pdf-header-footer --print-to-pdf="$out/report.pdf" "file://$report" >/dev/null
render --dump-dom "file://$report" >"$out/dom.html"
end=$(date +%s.%N)

# What must be in the rendered DOM.
count() { grep -o "$1" "$out/dom.html" | wc -l; }
# Members carry a population and keys a p_all_win in summary.json, nothing else does.
members=$(grep -o '"population":' "$out/run/summary.json" | wc -l)
keys=$(grep -o '"p_all_win":' "$out/run/summary.json" | wc -l)
for section in answer keys comparison fan s-curves distribution tornado tables views payments budget assumptions about; do
    grep -q "id=\"$section\"" "$out/dom.html" || fail "section #$section missing from the DOM"
done
[[ $(count 'data-chart="comparison"') -eq 1 ]] || fail "expected one key comparison chart"
[[ $(count 'data-chart="fan"') -eq "$members" ]] || fail "expected $members member fan charts, got $(count 'data-chart="fan"')"
[[ $(count 'data-chart="fan-region"') -eq 1 ]] || fail "expected the region's fan chart"
[[ $(count 'data-chart="s-curve"') -eq "$keys" ]] || fail "expected $keys S-curve charts"
[[ $(count 'data-chart="distribution"') -eq 1 ]] || fail "expected the distribution chart"
[[ $(count 'data-chart="tornado"') -eq 1 ]] || fail "expected the tornado chart"
if grep -Eq '<script|https?://[^"]*"[^>]*(src|href)=|@import|url\(' "$report"; then
    fail "the report is not self-contained"
fi
lang_attr=$(grep -o '<html lang="[a-z]*"' "$out/dom.html")
[[ "$lang_attr" == "<html lang=\"$lang\"" ]] || fail "wrong language attribute: $lang_attr"

png=$(stat -c %s "$out/report.png" 2>/dev/null || echo 0)
pdf=$(stat -c %s "$out/report.pdf" 2>/dev/null || echo 0)
[[ $png -gt 50000 ]] || fail "screenshot missing or trivial ($png bytes)"
[[ $pdf -gt 50000 ]] || fail "PDF missing or trivial ($pdf bytes)"
head -c 4 "$out/report.pdf" | grep -q '%PDF' || fail "report.pdf is not a PDF"
pages=$(grep -ac '/Type /Page$\|/Type /Page\b' "$out/report.pdf" || true)

# The case summary (at most two A4 pages) and a member's page (one page), in print.
pdf_pages() { grep -aoE '/Type */Page([^s]|$)' "$1" | wc -l; }
case_html="$out/run/saksframlegg.html"
# The first member id; `grep -m 1` stops reading itself, so no pipe is cut short under pipefail.
member_id=$(grep -o -m 1 '"id": "[^"]*"' "$out/run/summary.json" | head -1 | cut -d'"' -f4)
member_html="$out/run/saksframlegg-$member_id.html"
[[ -s "$case_html" ]] || fail "samkost wrote no saksframlegg.html"
[[ -s "$member_html" ]] || fail "samkost wrote no saksframlegg-$member_id.html"
render --no-pdf-header-footer --print-to-pdf="$out/saksframlegg.pdf" "file://$case_html" >/dev/null
render --no-pdf-header-footer --print-to-pdf="$out/saksframlegg-$member_id.pdf" "file://$member_html" >/dev/null
render --dump-dom "file://$case_html" >"$out/saksframlegg-dom.html"
render --dump-dom "file://$member_html" >"$out/member-dom.html"
for section in question answer key members risks about; do
    grep -q "id=\"$section\"" "$out/saksframlegg-dom.html" || fail "saksframlegg: section #$section missing"
done
for section in question answer keys risks about; do
    grep -q "id=\"$section\"" "$out/member-dom.html" || fail "member page: section #$section missing"
done
case_pages=$(pdf_pages "$out/saksframlegg.pdf")
member_pages=$(pdf_pages "$out/saksframlegg-$member_id.pdf")
[[ $case_pages -ge 1 && $case_pages -le 2 ]] || fail "saksframlegg prints on $case_pages A4 pages, not 1 or 2"
[[ $member_pages -eq 1 ]] || fail "the page for $member_id prints on $member_pages A4 pages, not 1"
if grep -Eq '<script|https?://' "$case_html" "$member_html"; then
    fail "the case documents are not self-contained"
fi

printf 'screenshot-report (%s): report %s bytes, PNG %s bytes, PDF %s bytes (%s pages), rendered in %.1f s\n' \
    "$lang" "$(stat -c %s "$report")" "$png" "$pdf" "${pages:-?}" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
echo "screenshot-report: saksframlegg $case_pages A4 page(s), member page $member_pages"
echo "screenshot-report: wrote $out/report.png, report.pdf, dom.html, saksframlegg.pdf and saksframlegg-$member_id.pdf"
