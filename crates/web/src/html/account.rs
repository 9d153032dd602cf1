//! The signed-in user's own settings: language and API tokens.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;
use waymark_app::accounts::TokenView;

use super::{Page, field_messages, render};
use crate::AppState;
use crate::context::{LANG_COOKIE, PageUser, RequestContext, set_cookie};
use crate::error::page_error;
use crate::i18n::Lang;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    page: Page,
    locale: String,
    tokens: Vec<TokenView>,
    new_secret: Option<String>,
    errors: Vec<String>,
}

async fn account_view(
    st: &AppState,
    actor: &waymark_app::policy::Actor,
    ctx: &RequestContext,
    new_secret: Option<String>,
    errors: Vec<String>,
) -> Response {
    let tokens = match st.app.accounts().tokens(actor).await {
        Ok(t) => t,
        Err(e) => return page_error(ctx.lang, e),
    };
    let page = Page::for_user(actor, ctx, ctx.lang.t("account-title"), "account", "/account");
    render(&AccountPage { page, locale: actor.locale.clone().unwrap_or_default(), tokens, new_secret, errors })
}

pub async fn page(State(st): State<AppState>, PageUser(actor, ctx): PageUser) -> Response {
    account_view(&st, &actor, &ctx, None, vec![]).await
}

#[derive(Deserialize)]
pub struct LocaleForm {
    locale: String,
}

pub async fn locale(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Form(f): Form<LocaleForm>) -> Response {
    let lang = Lang::parse(&f.locale);
    if let Err(e) = st.app.accounts().set_locale(&actor, lang.map(Lang::code)).await {
        return page_error(ctx.lang, e);
    }
    let cookie = match lang {
        Some(l) => set_cookie(LANG_COOKIE, l.code(), 60 * 60 * 24 * 365, false, ctx.secure),
        None => set_cookie(LANG_COOKIE, "", 0, false, ctx.secure),
    };
    ([(axum::http::header::SET_COOKIE, cookie)], Redirect::to("/account")).into_response()
}

#[derive(Deserialize)]
pub struct TokenForm {
    name: String,
}

pub async fn create_token(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Form(f): Form<TokenForm>,
) -> Response {
    match st.app.accounts().create_token(&actor, &f.name).await {
        Ok((_, secret)) => account_view(&st, &actor, &ctx, Some(secret), vec![]).await,
        Err(e) => account_view(&st, &actor, &ctx, None, field_messages(ctx.lang, &e)).await,
    }
}

pub async fn revoke_token(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
) -> Response {
    match st.app.accounts().revoke_token(&actor, id).await {
        Ok(()) => Redirect::to("/account").into_response(),
        Err(e) => page_error(ctx.lang, e),
    }
}
