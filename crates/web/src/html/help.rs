//! The help menu's user guide (issue 23, item 10; SPEC Q-6): docs/guide in the reader's
//! language, rendered from the Markdown the repository keeps, with the screenshots the browser
//! tests took, all inside the binary.

use askama::Template;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{Page, render};
use crate::context::PageUser;
use crate::i18n::Lang;

mod shots {
    include!(concat!(env!("OUT_DIR"), "/guide_shots.rs"));
}

const ZH: &str = include_str!("../../../../docs/guide/zh-CN/README.md");
const EN: &str = include_str!("../../../../docs/guide/en/README.md");

#[derive(Template)]
#[template(path = "help.html")]
struct HelpPage {
    page: Page,
    /// The guide as HTML: our own Markdown, so its markup is trusted.
    guide: String,
}

/// The guide's Markdown as HTML, its pictures pointing at the embedded screenshots.
fn guide_html(lang: Lang) -> String {
    let (md, code) = match lang {
        Lang::ZhCn => (ZH, "zh-CN"),
        _ => (EN, "en"),
    };
    use pulldown_cmark::{Event, Options, Parser};
    let chinese = lang == Lang::ZhCn;
    // A line break inside a Chinese paragraph joins the lines (a space would show between
    // characters); English keeps the space.
    let events = Parser::new_ext(md, Options::ENABLE_TABLES)
        .map(|e| if chinese && e == Event::SoftBreak { Event::Text("".into()) } else { e });
    let mut html = String::with_capacity(md.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html.replace("src=\"shots/", &format!("src=\"/help/shots/{code}/"))
}

pub async fn page(PageUser(actor, ctx): PageUser) -> Response {
    let page = Page::for_user(&actor, &ctx, ctx.lang.t("help-title"), "help", "/help");
    render(&HelpPage { guide: guide_html(ctx.lang), page })
}

/// A guide screenshot; signed-in readers only, like the guide.
pub async fn shot(PageUser(_, _): PageUser, Path((lang, file)): Path<(String, String)>) -> Response {
    match shots::SHOTS.iter().find(|(l, f, _)| *l == lang && *f == file) {
        Some((_, _, bytes)) => {
            ([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "private, max-age=86400")], *bytes)
                .into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
