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
    /// Every request body of the API is a JSON object: serde would otherwise also read a
    /// struct from an array (`[]` for a body whose fields are all optional).
    async fn from_request(req: Request, s: &S) -> Result<Self, Self::Rejection> {
        let Json(value) = Json::<serde_json::Value>::from_request(req, s).await?;
        if !value.is_object() {
            return Err(ApiError::bad_request("body", "the body must be a JSON object"));
        }
        serde_json::from_value(value).map(ApiJson).map_err(|e| ApiError::bad_request("body", e.to_string()))
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
