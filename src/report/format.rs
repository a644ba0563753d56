//! Number formatting for people.

/// Formats a whole number with a thin separator every three digits: `12 345 678` style with
/// `sep` as the separator.
pub fn group_thousands(value: f64, sep: char) -> String {
    let rounded = value.round();
    let negative = rounded < 0.0;
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    if negative && out != "0" {
        format!("−{out}")
    } else {
        out
    }
}

/// NOK with thousands separators, e.g. `1,234,567`.
pub fn fmt_nok(value: f64) -> String {
    super::lang::Lang::En.int(value)
}

/// A probability as a percentage, e.g. `87 %`; shows `<1 %`/`>99 %` rather than rounding to
/// a certainty that the draws do not support.
pub fn fmt_percent(p: f64) -> String {
    super::lang::Lang::En.percent(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_signs() {
        assert_eq!(fmt_nok(1_234_567.4), "1,234,567");
        assert_eq!(fmt_nok(-999.6), "−1,000");
        assert_eq!(fmt_nok(0.2), "0");
        assert_eq!(group_thousands(12345.0, ' '), "12 345");
        assert_eq!(fmt_percent(0.871), "87 %");
        assert_eq!(fmt_percent(0.002), "<1 %");
        assert_eq!(fmt_percent(0.999), ">99 %");
        assert_eq!(fmt_percent(1.0), "100 %");
    }
}
