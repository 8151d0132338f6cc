//! The `/api/v1` operations, one module per resource. Each handler extracts the caller and the
//! input, calls one store operation, and answers what it returns.

pub mod accounts;
pub mod assignments;
pub mod health;
pub mod outcome;
pub mod reference;
pub mod suggestions;
pub mod token;
pub mod work;

use serde::{Deserialize, Deserializer};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    token::configure(cfg);
    accounts::configure(cfg);
    reference::configure(cfg);
    suggestions::configure(cfg);
    assignments::configure(cfg);
    work::configure(cfg);
    outcome::configure(cfg);
}

/// For PATCH: an absent field is `None`, an explicit `null` is `Some(None)`.
pub fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// `limit` and `cursor`, shared by every list.
#[derive(Debug, Deserialize, utoipa::IntoParams, validator::Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Items per page, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500, format = Int64)]
    #[validate(range(min = 1, max = 500))]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    #[param(pattern = "^[0-9]{1,19}$", max_length = 19)]
    pub cursor: Option<String>,
}

impl PageParams {
    pub fn request(&self) -> Result<jianyi_store::page::PageRequest, jianyi_store::StoreError> {
        jianyi_store::page::PageRequest::parse(self.limit, self.cursor.as_deref())
    }
}
