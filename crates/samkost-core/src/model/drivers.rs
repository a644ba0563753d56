//! The members' drivers: per-member quantities that cost lines and curves scale with.

use super::Member;

/// Per-member quantities that cost lines scale with. Driver 0 is always `population`.
///
/// Each driver has one value per member (the base values, which the cost curves and lines
/// use) and may have a path over the horizon (`[drivers_by_year]`, docs/MODEL.md §5a), which
/// keys that follow the driver use year by year.
#[derive(Clone, PartialEq)]
pub struct DriverTable {
    names: Vec<String>,
    /// `values[driver][member]`.
    values: Vec<Vec<f64>>,
    /// `Σ_i values[driver][i]` in member order: the grand coalition's load, summed once. Kept
    /// private with `values`, which only the constructors write, so the two always agree.
    totals: Vec<f64>,
    /// `paths[driver][year][member]` over the horizon, for drivers given by year.
    paths: Vec<Option<Vec<Vec<f64>>>>,
}

/// The table's values without the totals, which follow from them: a scenario's hash, taken
/// over the model's `Debug` form, depends on what the scenario says only.
impl std::fmt::Debug for DriverTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DriverTable")
            .field("names", &self.names)
            .field("values", &self.values)
            .field("paths", &self.paths)
            .finish()
    }
}

impl DriverTable {
    /// A table with the population driver only.
    pub fn new(members: &[Member]) -> Self {
        let population: Vec<f64> = members.iter().map(|m| m.population).collect();
        Self {
            names: vec!["population".to_owned()],
            totals: vec![population.iter().sum()],
            values: vec![population],
            paths: vec![None],
        }
    }

    /// Adds a driver with one value per member; returns its index.
    pub fn push(&mut self, name: impl Into<String>, values: Vec<f64>) -> usize {
        self.names.push(name.into());
        self.totals.push(values.iter().sum());
        self.values.push(values);
        self.paths.push(None);
        self.values.len() - 1
    }

    /// Gives driver `driver` a path over the horizon: `path[year][member]`, one row per year
    /// of the horizon, each with one value per member (already carried over the years not
    /// given, docs/MODEL.md §5a).
    pub fn set_path(&mut self, driver: usize, path: Vec<Vec<f64>>) {
        self.paths[driver] = Some(path);
    }

    /// The path of a driver given by year, `[year][member]`.
    pub fn path(&self, driver: usize) -> Option<&[Vec<f64>]> {
        self.paths[driver].as_deref()
    }

    /// Index of a driver by name.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Driver names in index order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Values of one driver, one per member.
    pub fn values(&self, driver: usize) -> &[f64] {
        &self.values[driver]
    }

    /// `Σ_i values(driver)[i]`, summed in member order once: the load of every member
    /// together.
    pub(super) fn total(&self, driver: usize) -> f64 {
        self.totals[driver]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The totals are the sums that `Model::pooled_part` and `Model::pooled_buyer` take over
    /// every member (member order, the same fold), so the grand coalition's loads taken from
    /// them are the same to the bit. The values are chosen so that another order gives another
    /// sum. The totals stay out of the `Debug` form, over which a scenario's hash is taken.
    #[test]
    fn totals_are_the_member_order_sums_and_stay_out_of_the_debug_form() {
        let populations = [1e16, 1.0, -1e16, 0.5];
        let members: Vec<Member> = populations
            .iter()
            .enumerate()
            .map(|(i, &population)| Member {
                id: format!("{i}"),
                name: format!("member {i}"),
                population,
            })
            .collect();
        let mut table = DriverTable::new(&members);
        let users = vec![2e16, 3.0, -2e16, 1.5];
        let driver = table.push("users", users.clone());
        for (d, values) in [(0, populations.to_vec()), (driver, users)] {
            let fold = (0..values.len()).map(|i| values[i]).sum::<f64>();
            assert_eq!(table.totals[d].to_bits(), fold.to_bits(), "driver {d}");
        }
        for (d, values) in [
            (0, &populations[..]),
            (driver, &[2e16, 3.0, -2e16, 1.5][..]),
        ] {
            let reversed: f64 = values.iter().rev().sum();
            assert_ne!(reversed.to_bits(), table.totals[d].to_bits(), "driver {d}");
        }
        let shown = format!("{table:?}");
        assert!(shown.starts_with("DriverTable { names: [") && !shown.contains("totals"));
    }
}
