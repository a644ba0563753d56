//! `explorer.html`: the key explorer, a self-contained page on which sliders set a key and every
//! member's probability of gaining, the probability that every member gains, core stability
//! and the burden ratio are counted at once from a per-draw sample written into the page
//! (docs/MODEL.md §13.7).
//!
//! The sample is the design sample of `samkost design` ([`DrawSample`]): per draw each
//! member's key-independent NPV `B_id` and the pooled running and start-up NPVs, and for
//! cooperations of at most 12 members the core limits of the first draws. Numbers travel as
//! little-endian IEEE-754 doubles in base64, so the page counts on exactly the engine's values.

use samkost_core::games::MAX_EXACT_MEMBERS;
use samkost_core::model::Model;
use samkost_core::simulation::DrawSample;

use super::lang::Lang;

/// Draws written into the page [assumption: a Monte Carlo standard error of at most 1.1
/// points on every probability, and a page of well under 1 MB for 40 members].
pub const EXPLORER_DRAWS: u64 = 2000;

/// Most core-limit numbers written into the page (2^18 doubles, 2 MB, 2.8 MB as base64): the
/// page carries core limits for `min(stability draws, draws, 2^18 / 2^n)` draws, 2,000 up to
/// 7 members, 512 for 9, 64 for 12 [assumption: an email attachment of a few MB].
pub const EXPLORER_CORE_VALUES: usize = 1 << 18;

/// Draws of the page's sample: [`EXPLORER_DRAWS`] or the run's draws when fewer.
pub fn sample_draws(run_draws: u64) -> u64 {
    run_draws.min(EXPLORER_DRAWS)
}

/// Core-checked draws of the page's sample for `n` members, given the run's stability draws.
pub fn sample_core_draws(n: usize, draws: u64, stability_draws: u64) -> u64 {
    if n > MAX_EXACT_MEMBERS {
        return 0;
    }
    let cap = (EXPLORER_CORE_VALUES >> n) as u64;
    stability_draws.min(draws).min(cap)
}

/// Standard base64 (RFC 4648, with padding) of `values` as little-endian doubles.
pub fn base64_f64(values: &[f64]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The page's labels in one language.
struct Labels {
    title: &'static str,
    intro: &'static str,
    fixed: &'static str,
    driver_a: &'static str,
    driver_b: &'static str,
    blend: &'static str,
    startup: &'static str,
    startup_same: &'static str,
    startup_population: &'static str,
    startup_equal: &'static str,
    custom: &'static str,
    member: &'static str,
    population: &'static str,
    running: &'static str,
    startup_share: &'static str,
    p_gain: &'static str,
    per_inhabitant: &'static str,
    p_all: &'static str,
    p_core: &'static str,
    burden: &'static str,
    not_checked: &'static str,
    sample: &'static str,
    how: &'static str,
}

const EN: Labels = Labels {
    title: "Key explorer",
    intro: "Move the sliders to set a cost-allocation key. Every figure is counted at once on the draws of the Monte Carlo run written into this page; the page needs no network and no other file.",
    fixed: "Fixed (equal) part",
    driver_a: "Driver",
    driver_b: "blended with",
    blend: "Weight of the first driver",
    startup: "Start-up costs",
    startup_same: "as running costs",
    startup_population: "by population",
    startup_equal: "equal",
    custom: "Use the individual agreed shares below for running costs (rescaled to sum to 100 %)",
    member: "Member",
    population: "Population",
    running: "Running share, %",
    startup_share: "Start-up share",
    p_gain: "Probability of gaining",
    per_inhabitant: "Cost per inhabitant and year",
    p_all: "Probability that every member gains",
    p_core: "Core stability (no group of members would do better alone)",
    burden: "Burden ratio (highest / lowest cost per inhabitant)",
    not_checked: "not checked (more than 12 members)",
    sample: "Sample: {N} draws of the run (seed {SEED}), core stability on the first {D}. ± is the Monte Carlo standard error, √(p(1−p)/N).",
    how: "A member gains in a draw when its NPV of net benefit is positive; a draw is core-stable when no coalition pays more than its cost alone; the burden ratio uses mean yearly costs over the operating years (docs/MODEL.md §13).",
};

const NB: Labels = Labels {
    title: "Nøkkelutforsker",
    intro: "Flytt glidebryterne for å sette en fordelingsnøkkel. Alle tall telles straks på trekningene fra Monte Carlo-kjøringen som ligger i denne siden; siden trenger verken nett eller andre filer.",
    fixed: "Fast (lik) del",
    driver_a: "Fordelingsgrunnlag",
    driver_b: "blandet med",
    blend: "Vekt på det første grunnlaget",
    startup: "Etableringskostnader",
    startup_same: "som driftskostnader",
    startup_population: "etter innbyggertall",
    startup_equal: "likt",
    custom: "Bruk de avtalte andelene nedenfor for driftskostnader (skalert til sum 100 %)",
    member: "Kommune",
    population: "Innbyggere",
    running: "Driftsandel, %",
    startup_share: "Etableringsandel",
    p_gain: "Sannsynlighet for gevinst",
    per_inhabitant: "Kostnad per innbygger og år",
    p_all: "Sannsynlighet for at alle kommunene vinner",
    p_core: "Kjernestabilitet (ingen gruppe av kommuner klarer seg bedre alene)",
    burden: "Byrdeforhold (høyeste / laveste kostnad per innbygger)",
    not_checked: "ikke sjekket (mer enn 12 kommuner)",
    sample: "Utvalg: {N} trekninger fra kjøringen (frø {SEED}), kjernestabilitet på de første {D}. ± er Monte Carlo-standardfeilen, √(p(1−p)/N).",
    how: "En kommune vinner i en trekning når nåverdien av nettogevinsten er positiv; en trekning er kjernestabil når ingen koalisjon betaler mer enn det den koster alene; byrdeforholdet bruker gjennomsnittlig årlig kostnad over driftsårene (docs/MODEL.md §13).",
};

/// Escapes text for HTML element content and attribute values.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A JSON string literal safe inside a `<script>` element.
fn js_string(text: &str) -> String {
    serde_json::to_string(text)
        .unwrap_or_else(|_| "\"\"".to_owned())
        .replace('<', "\\u003c")
}

/// The explorer page for `model` on `sample` (drawn with `seed`).
pub fn explorer_html(model: &Model, sample: &DrawSample, seed: u64, lang: Lang) -> String {
    let l = match lang {
        Lang::En => &EN,
        Lang::Nb => &NB,
    };
    let drivers = crate::design::drivers(model);
    let names: Vec<String> = model.members.iter().map(|m| js_string(&m.name)).collect();
    let pops: Vec<f64> = model.members.iter().map(|m| m.population).collect();
    let driver_js: Vec<String> = drivers
        .iter()
        .map(|(name, shares)| {
            format!(
                "{{\"name\":{},\"shares\":{}}}",
                js_string(name),
                serde_json::to_string(shares).unwrap_or_default()
            )
        })
        .collect();
    let pooled: Vec<f64> = sample
        .pooled
        .iter()
        .flat_map(|p| p.iter().copied())
        .collect();
    let data = format!(
        "{{\"n\":{n},\"N\":{nd},\"D\":{cd},\"Y\":{y},\"names\":[{names}],\"pop\":{pop},\
         \"drivers\":[{drivers}],\"dirOp\":{dir},\"poolOp\":{pool},\"base\":\"{base}\",\
         \"pooled\":\"{pooled}\",\"limits\":\"{limits}\"}}",
        n = sample.n_members,
        nd = sample.n_draws,
        cd = sample.core_draws,
        y = sample.operating_years,
        names = names.join(","),
        pop = serde_json::to_string(&pops).unwrap_or_default(),
        drivers = driver_js.join(","),
        dir = serde_json::to_string(&sample.direct_operating).unwrap_or_default(),
        pool = serde_json::to_string(&sample.pooled_operating).unwrap_or_default(),
        base = base64_f64(&sample.base),
        pooled = base64_f64(&pooled),
        limits = base64_f64(&sample.core_limits),
    );
    let options: String = drivers
        .iter()
        .enumerate()
        .map(|(k, (name, _))| format!("<option value=\"{k}\">{}</option>", esc(name)))
        .collect();
    let sample_text = l
        .sample
        .replace("{N}", &sample.n_draws.to_string())
        .replace("{SEED}", &seed.to_string())
        .replace("{D}", &sample.core_draws.to_string());
    let mut html = String::with_capacity(data.len() + 16_000);
    html.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>samkost — {title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
<h1>{title}</h1>\n<p>{intro}</p>\n<form id=\"controls\" onsubmit=\"return false\">\n\
<label>{fixed} <input type=\"range\" id=\"fixed\" min=\"0\" max=\"100\" step=\"1\" value=\"0\"> \
<output id=\"fixed-out\">0 %</output></label>\n\
<label>{driver_a} <select id=\"driver-a\">{options}</select></label>\n\
<label>{driver_b} <select id=\"driver-b\">{options}</select></label>\n\
<label>{blend} <input type=\"range\" id=\"blend\" min=\"0\" max=\"100\" step=\"1\" value=\"100\"> \
<output id=\"blend-out\">100 %</output></label>\n\
<label>{startup} <select id=\"startup\"><option value=\"same\">{same}</option>\
<option value=\"population\">{by_pop}</option><option value=\"equal\">{equal}</option></select></label>\n\
<label><input type=\"checkbox\" id=\"custom\"> {custom}</label>\n</form>\n\
<table id=\"summary\">\n<tr><th>{p_all}</th><td id=\"p-all\"></td></tr>\n\
<tr><th>{p_core}</th><td id=\"p-core\"></td></tr>\n\
<tr><th>{burden}</th><td id=\"burden\"></td></tr>\n</table>\n\
<table id=\"members\">\n<thead><tr><th>{member}</th><th>{population}</th><th>{running}</th>\
<th>{startup_share}</th><th>{p_gain}</th><th>{per_inh}</th></tr></thead>\n<tbody id=\"rows\"></tbody>\n</table>\n\
<p id=\"sample\">{sample_text}</p>\n<p>{how}</p>\n",
        code = lang.code(),
        title = l.title,
        intro = l.intro,
        fixed = l.fixed,
        driver_a = l.driver_a,
        driver_b = l.driver_b,
        blend = l.blend,
        startup = l.startup,
        same = l.startup_same,
        by_pop = l.startup_population,
        equal = l.startup_equal,
        custom = l.custom,
        p_all = l.p_all,
        p_core = l.p_core,
        burden = l.burden,
        member = l.member,
        population = l.population,
        running = l.running,
        startup_share = l.startup_share,
        p_gain = l.p_gain,
        per_inh = l.per_inhabitant,
        how = l.how,
    ));
    html.push_str(&format!(
        "<script>\nconst DATA = {data};\nconst LANG = {{decimal: \"{dec}\", group: \"{group}\", \
notChecked: {nc}}};\n{SCRIPT}</script>\n</body>\n</html>\n",
        dec = if lang == Lang::Nb { "," } else { "." },
        group = if lang == Lang::Nb { "\u{a0}" } else { "," },
        nc = js_string(l.not_checked),
    ));
    html
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#222}\
form{display:grid;gap:.5rem;margin:1rem 0}label{display:block}input[type=range]{width:20rem;vertical-align:middle}\
table{border-collapse:collapse;margin:1rem 0}th,td{border-bottom:1px solid #ccc;padding:.25rem .5rem;text-align:left}\
td{font-variant-numeric:tabular-nums}#members td:not(:first-child){text-align:right}\
input.share{width:5rem;text-align:right}.low{color:#a40000}#sample{color:#555;font-size:.9rem}";

/// The page's computation; each rule is the engine's (docs/MODEL.md §13.1, §13.7).
const SCRIPT: &str = r#"(function () {
"use strict";
function decode(b64) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const out = new Float64Array(bytes.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(8 * i, true);
  return out;
}
const n = DATA.n, N = DATA.N, D = DATA.D;
const base = decode(DATA.base), pooled = decode(DATA.pooled), limits = decode(DATA.limits);
const size = 1 << n;
const $ = (id) => document.getElementById(id);
function num(x, digits) {
  const s = x.toFixed(digits).split(".");
  s[0] = s[0].replace(/\B(?=(\d{3})+(?!\d))/g, LANG.group);
  return s.join(LANG.decimal);
}
function pct(p) { return num(100 * p, 1) + "\u00a0%"; }
function withSe(p, m) {
  const se = Math.sqrt(p * (1 - p) / m);
  return pct(p) + " ± " + num(100 * se, 1) + "\u00a0" + (LANG.decimal === "," ? "%-poeng" : "pts");
}
function set(el, value, text) { el.dataset.value = String(value); el.textContent = text; }
const rows = $("rows");
const shareInputs = [];
for (let i = 0; i < n; i++) {
  const tr = document.createElement("tr");
  tr.innerHTML = "<td></td><td></td><td><input class='share' type='number' min='0' step='any'></td><td></td><td></td><td></td>";
  tr.cells[0].textContent = DATA.names[i];
  tr.cells[1].textContent = num(DATA.pop[i], 0);
  const input = tr.cells[2].firstChild;
  input.id = "share-" + i;
  shareInputs.push(input);
  tr.cells[3].id = "startup-" + i;
  tr.cells[4].id = "p-gain-" + i;
  tr.cells[5].id = "cost-" + i;
  rows.appendChild(tr);
}
if (DATA.drivers.length > 1) $("driver-b").value = "1";
function keyShares() {
  const alpha = Number($("fixed").value) / 100;
  const beta = Number($("blend").value) / 100;
  const a = DATA.drivers[Number($("driver-a").value)].shares;
  const b = DATA.drivers[Number($("driver-b").value)].shares;
  const running = [];
  for (let i = 0; i < n; i++) {
    const d = beta === 1 ? a[i] : beta === 0 ? b[i] : beta * a[i] + (1 - beta) * b[i];
    running.push(alpha / n + (1 - alpha) * d);
  }
  return running;
}
function customShares() {
  const v = shareInputs.map((x) => Math.max(0, Number(x.value) || 0));
  const total = v.reduce((s, x) => s + x, 0);
  return total > 0 ? v.map((x) => x / total) : null;
}
function update(fromKey) {
  $("fixed-out").textContent = $("fixed").value + "\u00a0%";
  $("blend-out").textContent = $("blend").value + "\u00a0%";
  let running = keyShares();
  if ($("custom").checked) {
    const c = customShares();
    if (c) running = c;
  } else if (fromKey) {
    running.forEach((s, i) => { shareInputs[i].value = String(Math.round(1e4 * s) / 100); });
  }
  const rule = $("startup").value;
  const pop = DATA.drivers[0].shares;
  const startup = running.map((s, i) => rule === "same" ? s : rule === "equal" ? 1 / n : pop[i]);
  const gains = new Array(n).fill(0);
  let all = 0, stable = 0;
  const sums = new Float64Array(size);
  for (let d = 0; d < N; d++) {
    const pr = pooled[2 * d], ps = pooled[2 * d + 1];
    let every = true;
    for (let i = 0; i < n; i++) {
      if (base[d * n + i] - (running[i] * pr + startup[i] * ps) > 0) gains[i]++;
      else every = false;
    }
    if (every) all++;
    if (d < D) {
      const off = d * size;
      let ok = true;
      sums[0] = 0;
      for (let mask = 1; mask < size - 1; mask++) {
        const low = 31 - Math.clz32(mask & -mask);
        sums[mask] = sums[mask & (mask - 1)] + (running[low] * pr + startup[low] * ps);
        if (sums[mask] > limits[off + mask]) { ok = false; break; }
      }
      if (ok) stable++;
    }
  }
  const cost = [];
  for (let i = 0; i < n; i++) {
    const paid = DATA.dirOp[i] + (running[i] * DATA.poolOp[0] + startup[i] * DATA.poolOp[1]);
    cost.push(paid / DATA.Y / DATA.pop[i]);
    $("startup-" + i).textContent = num(100 * startup[i], 2) + "\u00a0%";
    const p = gains[i] / N;
    const cell = $("p-gain-" + i);
    set(cell, p, withSe(p, N));
    cell.className = p < 0.5 ? "low" : "";
    set($("cost-" + i), cost[i], num(cost[i], 0));
    $("share-" + i).dataset.value = String(running[i]);
  }
  set($("p-all"), all / N, withSe(all / N, N));
  if (D > 0) set($("p-core"), stable / D, withSe(stable / D, D) + " (" + D + ")");
  else set($("p-core"), "", LANG.notChecked);
  const max = Math.max.apply(null, cost), min = Math.min.apply(null, cost);
  if (min > 0) set($("burden"), max / min, num(max / min, 2));
  else set($("burden"), "", "–");
}
for (const id of ["fixed", "blend", "driver-a", "driver-b", "startup"]) {
  $(id).addEventListener("input", () => update(true));
  $(id).addEventListener("change", () => update(true));
}
$("custom").addEventListener("change", () => update(false));
for (const x of shareInputs) x.addEventListener("input", () => { $("custom").checked = true; update(false); });
update(true);
})();
"#;
