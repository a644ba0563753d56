//! The workbook's views sheet (docs/MODEL.md §6d): one filterable table with a row per key,
//! member (and the region) and view — cash, budget, socio-economic — giving the mean NPV, its
//! standard error, P10, P50 and P90, the probability that it is positive, and the key's
//! probability that every member gains and its core stability in that view (empty where the
//! view has none), the numbers of `summary.json`'s `npv_views` as they are.

use super::{Kind, Sheet, number, optional, text};
use crate::report::json::SummaryJson;
use crate::report::lang::Lang;
use crate::report::views::NpvViewJson;

struct Labels {
    sheet: &'static str,
    headers: [&'static str; 11],
    views: [&'static str; 3],
    region: &'static str,
}

const EN: Labels = Labels {
    sheet: "Views",
    headers: [
        "Key",
        "Member",
        "View",
        "NPV mean (NOK, real)",
        "Standard error",
        "P10 (NOK)",
        "P50 (NOK)",
        "P90 (NOK)",
        "P(positive)",
        "P(every member gains)",
        "P(key in the view's core)",
    ],
    views: ["cash", "budget", "socio-economic"],
    region: "Region",
};

const NB: Labels = Labels {
    sheet: "Visninger",
    headers: [
        "Nøkkel",
        "Kommune",
        "Visning",
        "Nåverdi, snitt (kr, faste priser)",
        "Standardfeil",
        "P10 (kr)",
        "P50 (kr)",
        "P90 (kr)",
        "P(positiv)",
        "P(alle vinner)",
        "P(nøkkelen i visningens kjerne)",
    ],
    views: ["kontantstrøm", "budsjett", "samfunnsøkonomisk"],
    region: "Regionen",
};

/// The sheet's name, headers and rows.
pub(super) fn sheet(summary: &SummaryJson, lang: Lang) -> Sheet {
    let l = match lang {
        Lang::En => &EN,
        Lang::Nb => &NB,
    };
    let mut rows = Vec::new();
    for key in &summary.npv_views.keys {
        let all = [
            key.p_all_win_by_view.cash,
            key.p_all_win_by_view.budget,
            key.p_all_win_by_view.socioeconomic,
        ];
        let c = &key.p_core_stable_by_view;
        let core = [c.cash, c.budget, c.socioeconomic];
        let mut push = |who: &str, views: [&NpvViewJson; 3]| {
            let per_view = l.views.iter().zip(views).zip(all).zip(core);
            for (((name, v), p_all), p_core) in per_view {
                rows.push(vec![
                    text(&key.name),
                    text(who),
                    text(*name),
                    number(v.mean, Kind::Nok),
                    number(v.mean_se, Kind::Nok),
                    number(v.p10, Kind::Nok),
                    number(v.p50, Kind::Nok),
                    number(v.p90, Kind::Nok),
                    number(v.p_win, Kind::Probability),
                    number(p_all, Kind::Probability),
                    optional(p_core, Kind::Probability),
                ]);
            }
        };
        for m in &key.members {
            push(&m.id, [&m.cash, &m.budget, &m.socioeconomic]);
        }
        let r = &key.region;
        push(l.region, [&r.cash, &r.budget, &r.socioeconomic]);
    }
    let headers = l.headers.iter().map(|h| (*h).to_owned()).collect();
    (l.sheet, headers, rows)
}
