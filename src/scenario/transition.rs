//! The transition (`[transition]`: who bears transition costs, parallel operation) and existing
//! assets (`[assets]`), with the documented defaults of docs/MODEL.md §4b.

use samkost_core::model::{Assets, ModelPart, ParallelOperation, Vintages};

use super::components::{Default, field_in};
use super::ranges::{ASSET_LIFE, FACTOR, NON_NEGATIVE, PARALLEL_MONTHS, SHARE};
use super::tree::{Ctx, Node, Table};
use super::values::Parameters;

/// Reads `[transition]`: who bears per-member transition costs and parallel operation.
pub fn read_transition(
    ctx: &mut Ctx<'_>,
    node: Option<&Node<'_>>,
    params: &mut Parameters,
    has_components: bool,
) -> Option<(bool, Option<ParallelOperation>)> {
    let defaults = |ctx: &mut Ctx<'_>,
                    params: &mut Parameters,
                    table: Option<&Table<'_, '_>>|
     -> Option<ParallelOperation> {
        let empty = toml::de::DeTable::default();
        let fallback = Table {
            table: &empty,
            span: 0..0,
            what: "[transition]".to_owned(),
        };
        let t = table.unwrap_or(&fallback);
        let source = t.opt_str(ctx, "source").map(|(s, _)| s);
        params.set_owner(ModelPart::Transition, "", source);
        let months = field_in(
            ctx,
            t,
            "parallel_months",
            "transition.parallel_months",
            params,
            Default::Tri(3.0, 6.0, 12.0),
            PARALLEL_MONTHS,
        );
        let share = field_in(
            ctx,
            t,
            "parallel_share",
            "transition.parallel_share",
            params,
            Default::Pert(0.5, 0.75, 1.0),
            SHARE,
        );
        Some(ParallelOperation {
            months: months?,
            share: share?,
        })
    };
    let Some(node) = node else {
        return Some((
            false,
            if has_components {
                defaults(ctx, params, None)
            } else {
                None
            },
        ));
    };
    let table = Table::from_node(ctx, node, "[transition]")?;
    table.check_keys(
        ctx,
        &[
            "costs",
            "parallel_months",
            "parallel_share",
            "source",
            "note",
        ],
    );
    let pooled = match table.opt_choice(ctx, "costs", &["own", "pooled"]) {
        Some((c, _)) => c == "pooled",
        None if table.get("costs").is_some() => return None,
        None => false,
    };
    let parallel = defaults(ctx, params, Some(&table));
    Some((pooled, parallel))
}

/// Reads `[assets]`: existing ICT assets per inhabitant.
pub fn read_assets(
    ctx: &mut Ctx<'_>,
    node: Option<&Node<'_>>,
    params: &mut Parameters,
) -> Option<Option<Assets>> {
    let Some(node) = node else { return Some(None) };
    let table = Table::from_node(ctx, node, "[assets]")?;
    let source = table.opt_str(ctx, "source").map(|(s, _)| s);
    params.set_owner(ModelPart::Assets, "", source);
    table.check_keys(
        ctx,
        &[
            "book_value",
            "remaining_life",
            "replacement",
            "life",
            "resale_share",
            "pooled_replacement_share",
            "residual_value",
            "vintages",
            "source",
            "note",
        ],
    );
    macro_rules! f {
        ($ctx:expr, $key:expr, $default:expr, $allowed:expr) => {
            field_in(
                $ctx,
                &table,
                $key,
                &format!("assets.{}", $key),
                params,
                $default,
                $allowed,
            )
        };
    }
    let book_value = f!(
        ctx,
        "book_value",
        Default::Tri(150.0, 300.0, 500.0),
        NON_NEGATIVE
    );
    let vintages = match table.opt_choice(ctx, "vintages", &["spread", "single"]) {
        Some((v, _)) if v == "single" => Vintages::Single,
        Some(_) => Vintages::Spread,
        None if table.get("vintages").is_some() => return None,
        None => Vintages::Spread,
    };
    if let (Vintages::Spread, Some(node)) = (vintages, table.get("remaining_life")) {
        ctx.error_help(
            node.span(),
            "`remaining_life` of [assets] applies to one vintage only, but the assets are spread over their life (`vintages = \"spread\"`, the default)",
            "remove `remaining_life`, or add `vintages = \"single\"` for assets that all wear out in the same year",
        );
        return None;
    }
    let remaining_life = f!(ctx, "remaining_life", Default::Value(3.0), NON_NEGATIVE);
    let replacement = f!(
        ctx,
        "replacement",
        Default::Tri(400.0, 600.0, 900.0),
        NON_NEGATIVE
    );
    let life = field_in(
        ctx,
        &table,
        "life",
        "assets.life",
        params,
        Default::Value(5.0),
        ASSET_LIFE,
    );
    let resale_share = f!(ctx, "resale_share", Default::Tri(0.0, 0.05, 0.15), SHARE);
    let pooled_replacement_share = f!(
        ctx,
        "pooled_replacement_share",
        Default::Tri(0.5, 0.7, 0.9),
        FACTOR
    );
    let residual_value = match table.opt_bool(ctx, "residual_value") {
        Some((on, _)) => on,
        None if table.get("residual_value").is_some() => return None,
        None => true,
    };
    Some(Some(Assets {
        book_value: book_value?,
        remaining_life: remaining_life?,
        replacement: replacement?,
        life: life?,
        resale_share: resale_share?,
        pooled_replacement_share: pooled_replacement_share?,
        residual_value,
        vintages,
    }))
}
