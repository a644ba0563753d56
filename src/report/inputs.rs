//! Uncertain inputs in words, in both languages: "IT staff: critical mass (FTE)" instead of
//! the internal name `IT staff.critical_mass`, "Main project: amount per user" instead of
//! ``rate of line `Main project` per users``.
//!
//! Inline inputs carry their origin (the component, line or section and the field as written
//! in the scenario); named inputs of `[parameters]` are the scenario author's own words and
//! are shown with `_` read as a space.

use super::json::OriginJson;
use super::lang::Lang;

/// An uncertain input as a reader would name it.
pub fn input_label(parameter: &str, origin: Option<&OriginJson>, lang: Lang) -> String {
    let Some(o) = origin else {
        return parameter.replace('_', " ");
    };
    if let Some(label) = &o.label {
        let words = match lang {
            Lang::En => &label.en,
            Lang::Nb => &label.nb,
        };
        return if o.part == "parameter" {
            words.clone()
        } else {
            format!("{}: {words}", owner_words(o, lang))
        };
    }
    let field = field_words(&o.field, lang);
    format!("{}: {field}", owner_words(o, lang))
}

/// The component's or line's name, or the section in words.
fn owner_words(o: &OriginJson, lang: Lang) -> String {
    match (o.part, lang) {
        ("component" | "line" | "gain", _) => o.owner.clone(),
        ("organisation", Lang::En) => "Organisation".to_owned(),
        ("organisation", Lang::Nb) => "Organisering".to_owned(),
        ("transition", Lang::En) => "Transition".to_owned(),
        ("transition", Lang::Nb) => "Overgang".to_owned(),
        ("assets", Lang::En) => "Existing assets".to_owned(),
        ("assets", Lang::Nb) => "Eksisterende utstyr".to_owned(),
        ("accounts", Lang::En) => "Municipal accounts".to_owned(),
        ("accounts", Lang::Nb) => "Kommuneregnskap".to_owned(),
        ("project", Lang::En) => "Project".to_owned(),
        ("project", Lang::Nb) => "Prosjekt".to_owned(),
        (other, _) => other.to_owned(),
    }
}

/// A scenario field (`critical_mass`, `connections.unit_cost`, `per.users`) in words.
fn field_words(field: &str, lang: Lang) -> String {
    if let Some(driver) = field.strip_prefix("per.") {
        return match lang {
            Lang::En => format!("amount per {}", driver_unit(driver, lang)),
            Lang::Nb => format!("beløp per {}", driver_unit(driver, lang)),
        };
    }
    let (en, nb) = match field {
        "fixed" => ("fixed amount", "fast beløp"),
        "growth" => ("yearly real growth", "årlig realvekst"),
        "unit_cost" => ("cost per unit", "kostnad per enhet"),
        "exponent" => ("scale exponent", "skalaeksponent"),
        "connections.unit_cost" => ("cost per connected site", "kostnad per tilkoblet lokasjon"),
        "connections.coordination_saving" => (
            "saving on connections when coordinated",
            "besparelse på samordnede linjer",
        ),
        "platform_fee" => ("platform fee", "plattformavgift"),
        "enterprise_fee" => ("enterprise agreement", "virksomhetsavtale"),
        "tiers.price" => ("tier price", "pris i rabattrinn"),
        "units_per_driver" => ("units per user", "enheter per bruker"),
        "unit_price" => ("unit price", "enhetspris"),
        "cycle_years" => ("replacement cycle (years)", "utskiftingstakt (år)"),
        "max_discount" => ("largest volume discount", "største volumrabatt"),
        "half_volume" => ("volume at half the discount", "volum ved halv rabatt"),
        "critical_mass" => ("critical mass (FTE)", "kritisk masse (årsverk)"),
        "fte_at_reference" => (
            "FTE at the reference size",
            "årsverk ved referansestørrelsen",
        ),
        "reference" => ("reference size", "referansestørrelse"),
        "salary" => ("cost per FTE", "kostnad per årsverk"),
        "premium_max" => ("largest specialist premium", "største spesialisttillegg"),
        "premium_half_fte" => ("FTE at half the premium", "årsverk ved halvt tillegg"),
        "scope_growth" => (
            "scope growth after pooling",
            "økt omfang etter sammenslåing",
        ),
        "governance" => ("governance cost per year", "styringskostnad per år"),
        "board" => ("board per year", "styre per år"),
        "audit" => ("audit per year", "revisjon per år"),
        "accounts" => ("accounts per year", "regnskap per år"),
        "owner_control" => (
            "owners' meetings and control per year",
            "eiermøter og kontroll per år",
        ),
        "pay_levelling" => (
            "pay levelling, share of pooled staff cost",
            "lønnsharmonisering, andel av felles personalkostnad",
        ),
        "pension_premium_change" => (
            "pension premium change, share of pooled staff cost",
            "endret pensjonspremie, andel av felles personalkostnad",
        ),
        "pension_one_off" => (
            "one-off pension cost, share of pooled staff cost",
            "engangskostnad pensjon, andel av felles personalkostnad",
        ),
        "attrition_rate" => ("staff leaving per year", "andel ansatte som slutter per år"),
        "supplier_efficiency" => ("supplier's cost level", "leverandørens kostnadsnivå"),
        "margin" => ("supplier's margin", "leverandørens margin"),
        "parallel_months" => (
            "months of parallel operation",
            "måneder med parallell drift",
        ),
        "parallel_share" => (
            "share of the cost during parallel operation",
            "andel av kostnaden under parallell drift",
        ),
        "book_value" => ("book value per inhabitant", "bokført verdi per innbygger"),
        "remaining_life" => ("remaining life (years)", "gjenstående levetid (år)"),
        "replacement" => (
            "replacement cost per inhabitant",
            "gjenanskaffelse per innbygger",
        ),
        "life" => ("life (years)", "levetid (år)"),
        "hours" => ("hours saved per year", "timer spart per år"),
        "hours_per_unit" => (
            "hours saved per user a year",
            "timer spart per bruker per år",
        ),
        "realisation" => (
            "share taken out of the budgets",
            "andel tatt ut i budsjettene",
        ),
        "delay" => ("years before realised", "år før uttak"),
        "resale_share" => ("share recovered on sale", "andel som hentes inn ved salg"),
        "pooled_replacement_share" => (
            "share replaced in the cooperation",
            "andel som fornyes i samarbeidet",
        ),
        "startup_capitalised" => (
            "share of start-up costs capitalised",
            "andel av oppstartskostnader som aktiveres",
        ),
        "reinvestment_capitalised" => (
            "share of replacements capitalised",
            "andel av reinvesteringer som aktiveres",
        ),
        "capitalisation_threshold" => ("capitalisation threshold", "aktiveringsgrense"),
        "loan_rate" => ("loan rate", "lånerente"),
        "loan_term" => ("loan term (years)", "nedbetalingstid (år)"),
        "grant" => ("grant", "tilskudd"),
        "price_growth" => ("municipal price growth", "kommunal prisvekst (deflator)"),
        "hourly_cost" => ("loaded cost per hour", "timekostnad med sosiale kostnader"),
        "own_hours" => ("own staff hours per member", "egne timer per kommune"),
        "own_hours_per_user" => ("own staff hours per user", "egne timer per bruker"),
        "systems" => (
            "systems converted per member",
            "fagsystemer som konverteres per kommune",
        ),
        "conversion_per_system" => ("conversion per system", "konvertering per system"),
        "conversion_per_user" => ("conversion per user", "konvertering per bruker"),
        "training_hours" => ("training hours per user", "opplæringstimer per bruker"),
        "course_per_user" => ("course cost per user", "kurskostnad per bruker"),
        "consulting" => ("external project management", "ekstern prosjektledelse"),
        "consulting_per_user" => ("external consulting per user", "ekstern bistand per bruker"),
        "overrun" => ("overrun factor", "overskridelsesfaktor"),
        other => return other.replace(['_', '.'], " "),
    };
    match lang {
        Lang::En => en.to_owned(),
        Lang::Nb => nb.to_owned(),
    }
}

/// One unit of a driver in words ("user", "inhabitant"); other drivers as named.
fn driver_unit(driver: &str, lang: Lang) -> String {
    match (driver, lang) {
        ("users", Lang::En) => "user".to_owned(),
        ("users", Lang::Nb) => "bruker".to_owned(),
        ("population", Lang::En) => "inhabitant".to_owned(),
        ("population", Lang::Nb) => "innbygger".to_owned(),
        ("sites", Lang::En) => "site".to_owned(),
        ("sites", Lang::Nb) => "lokasjon".to_owned(),
        (other, _) => other.replace('_', " "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(part: &'static str, owner: &str, field: &str) -> OriginJson {
        OriginJson {
            part,
            owner: owner.to_owned(),
            field: field.to_owned(),
            label: None,
        }
    }

    #[test]
    fn an_authors_label_names_the_input_in_each_language() {
        let label = Some(super::super::json::LabelJson {
            en: "Cost overrun factor".to_owned(),
            nb: "Overskridelsesfaktor".to_owned(),
        });
        let named = OriginJson {
            part: "parameter",
            owner: String::new(),
            field: "overrun".to_owned(),
            label: label.clone(),
        };
        assert_eq!(
            input_label("overrun", Some(&named), Lang::En),
            "Cost overrun factor"
        );
        assert_eq!(
            input_label("overrun", Some(&named), Lang::Nb),
            "Overskridelsesfaktor"
        );
        let inline = OriginJson {
            label,
            ..origin("component", "IT staff", "critical_mass")
        };
        assert_eq!(
            input_label("IT staff.critical_mass", Some(&inline), Lang::Nb),
            "IT staff: Overskridelsesfaktor"
        );
    }

    #[test]
    fn inline_inputs_are_named_by_their_component_or_line_and_field() {
        let staff = origin("component", "IT staff", "critical_mass");
        assert_eq!(
            input_label("IT staff.critical_mass", Some(&staff), Lang::En),
            "IT staff: critical mass (FTE)"
        );
        assert_eq!(
            input_label("IT staff.critical_mass", Some(&staff), Lang::Nb),
            "IT staff: kritisk masse (årsverk)"
        );
        let rate = origin("line", "Main project", "per.users");
        assert_eq!(
            input_label(
                "rate of line `Main project` per users",
                Some(&rate),
                Lang::Nb
            ),
            "Main project: beløp per bruker"
        );
        let months = origin("transition", "", "parallel_months");
        assert_eq!(
            input_label("transition.parallel_months", Some(&months), Lang::En),
            "Transition: months of parallel operation"
        );
    }

    #[test]
    fn named_inputs_keep_the_authors_words() {
        assert_eq!(input_label("scope_growth", None, Lang::Nb), "scope growth");
        let odd = origin("component", "Net", "new_field");
        assert_eq!(input_label("x", Some(&odd), Lang::En), "Net: new field");
    }
}
