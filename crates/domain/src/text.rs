//! Values that can only exist valid: required texts and phone numbers.

use crate::error::Refusal;

/// A required text: trimmed, not blank, at most `max` characters.
pub fn required(field: &str, value: &str, max: usize) -> Result<String, Refusal> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Refusal::field(field, "must not be blank"));
    }
    if trimmed.chars().count() > max {
        return Err(Refusal::field(field, format!("must be at most {max} characters")));
    }
    Ok(trimmed.to_owned())
}

/// An optional text: trimmed, `None` when blank.
pub fn optional(field: &str, value: Option<&str>, max: usize) -> Result<Option<String>, Refusal> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => required(field, v, max).map(Some),
    }
}

/// Dates and times a client gives must fall in the years 1900 to 9999: outside them both
/// databases cannot store them faithfully, and no congress acts there.
pub fn sane_date(field: &str, d: chrono::NaiveDate) -> Result<chrono::NaiveDate, Refusal> {
    use chrono::Datelike;
    if (1900..=9999).contains(&d.year()) {
        Ok(d)
    } else {
        Err(Refusal::field(field, "must be a date between the years 1900 and 9999"))
    }
}

pub fn sane_instant(field: &str, t: chrono::DateTime<chrono::Utc>) -> Result<chrono::DateTime<chrono::Utc>, Refusal> {
    sane_date(field, t.date_naive()).map(|_| t)
}

/// A phone number: digits, optionally a leading `+`; spaces and dashes are dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(field: &str, value: &str) -> Result<Phone, Refusal> {
        let cleaned: String = value.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let digits = cleaned.strip_prefix('+').unwrap_or(&cleaned);
        if digits.len() < 5 || digits.len() > 20 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(Refusal::field(field, "must be a phone number: 5 to 20 digits, optionally a leading +"));
        }
        Ok(Phone(cleaned))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number as shown to those who may not see it whole: the first three and last four
    /// characters remain (`138****5678`); a short number is hidden entirely.
    pub fn masked(&self) -> String {
        mask_phone(&self.0)
    }
}

/// Masks a stored phone number; see [`Phone::masked`].
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mobile_number_is_masked_in_the_middle() {
        assert_eq!(Phone::parse("phone", "13812345678").unwrap().masked(), "138****5678");
        assert_eq!(Phone::parse("phone", "138-1234-5678").unwrap().as_str(), "13812345678");
        assert_eq!(mask_phone("0871-6"), "******");
        assert_eq!(mask_phone("087163123456"), "087*****3456");
    }

    #[test]
    fn phone_numbers_are_checked() {
        assert!(Phone::parse("phone", "+8613812345678").is_ok());
        assert!(Phone::parse("phone", "1234").is_err());
        assert!(Phone::parse("phone", "138abc45678").is_err());
        assert!(Phone::parse("phone", "").is_err());
    }

    #[test]
    fn required_texts_are_trimmed_and_bounded() {
        assert_eq!(required("title", "  关于……的建议 ", 10).unwrap(), "关于……的建议");
        assert_eq!(required("title", "   ", 10), Err(Refusal::field("title", "must not be blank")));
        assert!(required("title", "一二三四五六七八九十一", 10).is_err());
        assert_eq!(optional("x", Some("  "), 5).unwrap(), None);
        assert_eq!(optional("x", None, 5).unwrap(), None);
    }
}
