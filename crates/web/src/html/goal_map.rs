//! The goal map page (G-6): the chain up to the company goals, and the tree of supporting
//! goals down — two levels on the page, deeper levels fetched (htmx) when a node is opened, so
//! a company goal with thousands of supporters stays quick and readable.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use uuid::Uuid;
use waymark_app::goals::map::{GoalMap, MapNode};

use super::{Page, render};
use crate::AppState;
use crate::context::PageUser;
use crate::error::page_error;

/// Levels unfolded on the page and per opened node.
const PAGE_DEPTH: usize = 2;

#[derive(Template)]
#[template(path = "goal_node.html")]
struct NodeTpl<'a> {
    page: &'a Page,
    n: &'a MapNode,
    children: String,
}

/// The nodes below `n`, rendered recursively (each node a `<li>`).
fn render_children(page: &Page, n: &MapNode) -> String {
    n.children
        .iter()
        .map(|c| NodeTpl { page, n: c, children: render_children(page, c) }.render().unwrap_or_default())
        .collect()
}

#[derive(Template)]
#[template(path = "goal_map.html")]
struct MapPage {
    page: Page,
    m: GoalMap,
    tree: String,
    /// The canvas's data (the same tree), JSON for a `<script type="application/json">`.
    canvas: String,
}

/// Levels a break point is marked on: a shared goal nobody supports (G-7).
const SHARED_LEVELS: [&str; 3] = ["company", "unit", "team"];

/// One node of the canvas: what its card on the list shows.
fn canvas_node(n: &MapNode, depth: usize) -> serde_json::Value {
    let g = &n.goal;
    serde_json::json!({
        "id": g.id,
        "title": g.title,
        "owner": g.owner_names.join("、"),
        "progress": (g.progress_percent * 10.0).round() / 10.0,
        "light": g.light,
        "supporters": n.supporters,
        "broken": n.supporters == 0 && SHARED_LEVELS.contains(&g.level.as_str()),
        "depth": depth,
        "children": n.children.iter().map(|c| canvas_node(c, depth + 1)).collect::<Vec<_>>(),
    })
}

pub async fn page(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Path(id): Path<Uuid>) -> Response {
    let m = match st.app.goals().map(&actor, id, PAGE_DEPTH).await {
        Ok(m) => m,
        Err(e) => return page_error(ctx.lang, e),
    };
    let title = ctx.lang.ta("map-title", &[("goal", m.tree.goal.title.clone())]);
    let page = Page::for_user(&actor, &ctx, title, "goals", &format!("/goals/{id}/map"));
    let tree =
        NodeTpl { page: &page, n: &m.tree, children: render_children(&page, &m.tree) }.render().unwrap_or_default();
    let canvas = super::script_json(&serde_json::json!({
        "tree": canvas_node(&m.tree, 0),
        "more": ctx.lang.t("map-canvas-more"),
        "broken": ctx.lang.t("map-canvas-broken"),
    }));
    render(&MapPage { page, m, tree, canvas })
}

/// htmx: the supporters of one node, two levels deep.
pub async fn children(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Path(id): Path<Uuid>) -> Response {
    match st.app.goals().map(&actor, id, PAGE_DEPTH).await {
        Ok(m) => {
            let page = Page::for_user(&actor, &ctx, String::new(), "goals", "/goals");
            Html(render_children(&page, &m.tree)).into_response()
        }
        Err(e) => page_error(ctx.lang, e),
    }
}
