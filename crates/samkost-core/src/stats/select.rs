//! Order statistics by selection: several at once in `O(n log k)`.
//!
//! Values are mapped to integer keys that sort as `f64::total_cmp` does (flip every bit of a
//! negative number, only the sign bit of a positive one), so the partitions compare integers.
//! For `k` wanted ranks, the middle one is selected over the whole slice, then the lower ranks
//! in the part below it and the upper ranks in the part above: about `log₂ k` passes over the
//! data instead of `k`. Every wanted rank `r` then holds the `r`-th smallest value, with
//! nothing larger before it and nothing smaller after it.

/// The integer key of `x`: `key(a) < key(b)` ⇔ `a.total_cmp(&b)` is `Less`.
pub(crate) fn sort_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

fn value(key: u64) -> f64 {
    f64::from_bits(if key >> 63 == 1 {
        key & !(1 << 63)
    } else {
        !key
    })
}

/// Rearranges `keys` so that every rank in `ranks` (sorted, distinct, `< keys.len()`) holds its
/// order statistic.
fn select_ranks(keys: &mut [u64], ranks: &[usize]) {
    if ranks.is_empty() || keys.len() <= 1 {
        return;
    }
    let mid = ranks.len() / 2;
    let r = ranks[mid];
    keys.select_nth_unstable(r);
    let (below, above) = keys.split_at_mut(r);
    select_ranks(below, &ranks[..mid]);
    let upper: Vec<usize> = ranks[mid + 1..].iter().map(|q| q - r - 1).collect();
    select_ranks(&mut above[1..], &upper);
}

/// Order statistics of `values` at the (sorted, distinct) `ranks`, and the sum of the
/// `lower` smallest values (0 for none); `values` is left unchanged.
pub(crate) fn order_statistics(values: &[f64], ranks: &[usize], lower: usize) -> (Vec<f64>, f64) {
    KEYS.with_borrow_mut(|keys| {
        keys.clear();
        keys.extend(values.iter().map(|&x| sort_key(x)));
        let mut wanted: Vec<usize> = ranks.to_vec();
        if lower > 0 {
            wanted.push(lower - 1);
        }
        wanted.sort_unstable();
        wanted.dedup();
        select_ranks(keys, &wanted);
        let sum = keys[..lower].iter().map(|&k| value(k)).sum();
        (ranks.iter().map(|&r| value(keys[r])).collect(), sum)
    })
}

thread_local! {
    /// The keys of [`order_statistics`], kept by each thread from one call to the next: a run
    /// selects in dozens of columns of up to a million values, and fresh memory for each
    /// would be zeroed by the kernel page by page.
    static KEYS: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Type-7 quantiles of `values` at `ps` (Hyndman & Fan 1996; see `summary.rs`), with the sum
/// of the `lower` smallest values.
pub(crate) fn type7_quantiles<const K: usize>(
    values: &[f64],
    ps: [f64; K],
    lower: usize,
) -> ([f64; K], f64) {
    let n = values.len();
    let points = ps.map(|p| {
        let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
        let lo = (h.floor() as usize).min(n - 1);
        (lo, h - lo as f64)
    });
    let mut ranks: Vec<usize> = points
        .iter()
        .flat_map(|&(lo, frac)| {
            let hi = if frac > 0.0 { (lo + 1).min(n - 1) } else { lo };
            [lo, hi]
        })
        .collect();
    ranks.sort_unstable();
    ranks.dedup();
    let (stats, sum) = order_statistics(values, &ranks, lower);
    let at = |r: usize| stats[ranks.binary_search(&r).unwrap_or(0)];
    let out = points.map(|(lo, frac)| {
        if frac == 0.0 || lo + 1 >= n {
            at(lo)
        } else {
            let (x_lo, x_hi) = (at(lo), at(lo + 1));
            x_lo + frac * (x_hi - x_lo)
        }
    });
    (out, sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_order_as_total_cmp() {
        let xs = [
            -f64::INFINITY,
            -1e300,
            -1.0,
            -0.0,
            0.0,
            1e-300,
            2.5,
            f64::INFINITY,
        ];
        for w in xs.windows(2) {
            assert!(sort_key(w[0]) < sort_key(w[1]), "{w:?}");
        }
        for x in xs {
            assert_eq!(value(sort_key(x)).to_bits(), x.to_bits());
        }
    }

    /// The reference is a full sort: every rank's order statistic and the lower sum agree.
    #[test]
    fn matches_sorting() {
        let values: Vec<f64> = (0..10_007u64)
            .map(|i| ((i * 7919) % 10_007) as f64 - 5000.0 + if i % 3 == 0 { 0.5 } else { 0.0 })
            .collect();
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        let ranks = [0, 1, 99, 100, 1000, 5003, 9000, 10_006];
        let (got, sum) = order_statistics(&values, &ranks, 1001);
        for (r, g) in ranks.iter().zip(&got) {
            assert_eq!(*g, sorted[*r], "rank {r}");
        }
        let want: f64 = sorted[..1001].iter().sum();
        assert!((sum - want).abs() <= 1e-9 * want.abs());
    }
}
