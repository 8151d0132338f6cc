//! Keyset pagination: lists are ordered by id and continue after the last id of a page.

use serde::Serialize;
use utoipa::ToSchema;

use crate::error::StoreError;
use jianyi_domain::Refusal;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

/// One page of a list, and the cursor of the next one (`null` on the last page).
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` when there is none.
    pub next_cursor: Option<String>,
}

/// Where a page starts and how long it is.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub after: i64,
    pub limit: i64,
}

impl PageRequest {
    pub fn parse(limit: Option<i64>, cursor: Option<&str>) -> Result<PageRequest, StoreError> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(Refusal::field("limit", format!("must be between 1 and {MAX_LIMIT}")).into());
        }
        let after = match cursor {
            None => 0,
            Some(c) => Some(c)
                .filter(|c| c.len() <= 19 && c.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|c| c.parse::<i64>().ok())
                .ok_or_else(|| Refusal::field("cursor", "is not a cursor this API gave"))?,
        };
        Ok(PageRequest { after, limit })
    }

    /// Turns rows fetched with `limit + 1` into a page: the extra row only says there is more.
    pub fn page<T>(&self, mut rows: Vec<T>, id: impl Fn(&T) -> i64) -> Page<T> {
        let more = rows.len() as i64 > self.limit;
        rows.truncate(self.limit as usize);
        let next_cursor = if more { rows.last().map(|r| id(r).to_string()) } else { None };
        Page { items: rows, next_cursor }
    }

    pub fn fetch(&self) -> i64 {
        self.limit + 1
    }
}

impl<T> Page<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), next_cursor: self.next_cursor }
    }
}
