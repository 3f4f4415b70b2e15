//! The identity step (identifier + birth date) that opens `recover`,
//! `activate` and `identifier`, written once: its page, the reading of its
//! form, and the routes a flow mounts with its own POST handler, which
//! makes the flow's one domain call with the parsed input.

use super::error::WebError;
use super::form::Form;
use super::step::{Ctx, Visit};
use super::views::{identity_fields, IdentityForm, IdentityTemplate};
use super::AppState;
use axum::response::Response;
use axum::routing::{get, MethodRouter};
use passerelle_domain::flow::{FlowName, Step};
use passerelle_domain::flows::IdentityInput;
use std::future::Future;

/// The identity step of `name`: its page (GET) and its POST, read and
/// checked for format here, then handed to `post` with the parsed input.
pub fn identity_routes<P, PFut>(name: FlowName, post: P) -> MethodRouter<AppState>
where
    P: Fn(Ctx, IdentityInput, IdentityForm) -> PFut + Clone + Send + Sync + 'static,
    PFut: Future<Output = Result<Response, WebError>> + Send + 'static,
{
    get(move |visit: Visit| async move { Ctx::first_page(visit, name, IdentityTemplate::of) }).post(
        move |visit: Visit, Form(form): Form<IdentityForm>| async move {
            let ctx = Ctx::accept(visit, name, Step::Identity, &form).await?;
            match identity_fields(&ctx.page, &form) {
                Ok(input) => post(ctx, input, form).await,
                Err(errors) => {
                    let mut template = IdentityTemplate::of(&ctx).refill(&form);
                    template.page.errors = errors;
                    ctx.again(&template)
                }
            }
        },
    )
}

impl Ctx {
    /// The identity page with the generic failure, and what was typed
    /// (neither is a secret; both are escaped by the template), so that a
    /// typo is fixed rather than everything typed again.
    pub fn identity_failed(self, form: &IdentityForm) -> Result<Response, WebError> {
        let template = IdentityTemplate::of(&self).refill(form).failed(&self.page);
        self.again(&template)
    }
}
