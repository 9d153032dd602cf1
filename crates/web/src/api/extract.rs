//! Extractors whose rejections are JSON problems, like every other API error.

use axum::extract::{FromRequest, FromRequestParts, Json, Path, Query, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

pub struct ApiJson<T>(pub T);
pub struct ApiQuery<T>(pub T);
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    /// Every request body of the API is a JSON object (but [`ApiJsonList`]'s): serde would
    /// otherwise also read a struct from an array (`[]` for a body whose fields are all optional).
    async fn from_request(req: Request, s: &S) -> Result<Self, Self::Rejection> {
        let value = body(req, s).await?;
        if !value.is_object() {
            return Err(ApiError::bad_request("body", "the body must be a JSON object"));
        }
        serde_json::from_value(value).map(ApiJson).map_err(|e| ApiError::bad_request("body", e.to_string()))
    }
}

/// A body that is a JSON array of `T` (the stages of a cycle, set at once).
pub struct ApiJsonList<T>(pub Vec<T>);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJsonList<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, s: &S) -> Result<Self, Self::Rejection> {
        let value = body(req, s).await?;
        if !value.is_array() {
            return Err(ApiError::bad_request("body", "the body must be a JSON array"));
        }
        serde_json::from_value(value).map(ApiJsonList).map_err(|e| ApiError::bad_request("body", e.to_string()))
    }
}

/// The body as JSON, with whole numbers written as decimals (`4.0`) read as the integers they
/// are: JSON Schema counts `4.0` as an integer, and a client (Python's `json`, a spreadsheet)
/// may send one where the document says integer.
async fn body<S: Send + Sync>(req: Request, s: &S) -> Result<serde_json::Value, ApiError> {
    let Json(mut value) = Json::<serde_json::Value>::from_request(req, s).await?;
    whole_numbers_as_integers(&mut value);
    Ok(value)
}

fn whole_numbers_as_integers(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            // Within ±2^53 every whole f64 is exactly that integer.
            if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 {
                *v = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
}

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        Ok(ApiQuery(Query::<T>::from_request_parts(parts, s).await?.0))
    }
}

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        Ok(ApiPath(Path::<T>::from_request_parts(parts, s).await?.0))
    }
}

#[cfg(test)]
mod tests {
    use super::whole_numbers_as_integers;

    #[test]
    fn whole_decimals_become_integers_and_fractions_stay() {
        let mut v = serde_json::json!({"a": 4.0, "b": [-2.0, 2.5], "c": {"d": 1e300}, "e": 7});
        whole_numbers_as_integers(&mut v);
        assert_eq!(v, serde_json::json!({"a": 4, "b": [-2, 2.5], "c": {"d": 1e300}, "e": 7}));
        let n: u32 = serde_json::from_value(v["a"].clone()).unwrap();
        assert_eq!(n, 4);
    }
}
