//! The identity step (identifier + birth date) that opens `recover`,
//! `activate` and `identifier`, written once: its page, its POST up to the
//! domain's verdict ([`crate::flows::identity::prove`]), and the routes a
//! flow mounts with what it does with a proof and how it shows a failure.

use super::error::WebError;
use super::form::Form;
use super::step::{Ctx, Visit};
use super::views::{identity_fields, IdentityForm, IdentityTemplate};
use super::AppState;
use crate::directory::Person;
use crate::flows::identity::{self, Identity};
use crate::flows::{FlowName, Step};
use axum::response::Response;
use axum::routing::{get, MethodRouter};
use std::future::Future;
use std::time::Instant;

/// How the identity step's POST ended, for the flow to go on.
pub enum IdentityStep {
    /// A field to fix: the page again, already answered.
    Again(Response),
    Proved(Box<Ctx>, Box<Person>),
    /// The generic failure (the reason is in the audit trail).
    Failed(Box<Ctx>),
}

/// What a flow made of a proved identity.
pub enum Proof {
    /// Its answer (the next step, or the flow's end).
    Answer(Response),
    /// The flow shows the page of a failure (an account already in use at
    /// `activate`; `identifier`, which says the same to everyone).
    LikeFailure(Box<Ctx>),
}

/// The identity step of `name`: its page (GET) and its POST. A proof goes
/// to `proved` (with the time the request began, for flows that must wait
/// for the failure floor); a failure, or a proof `proved` turns into one,
/// to `failed` with the form as typed.
pub fn identity_routes<P, PFut>(
    name: FlowName,
    proved: P,
    failed: fn(Ctx, &IdentityForm) -> Result<Response, WebError>,
) -> MethodRouter<AppState>
where
    P: Fn(Ctx, Box<Person>, Instant) -> PFut + Clone + Send + Sync + 'static,
    PFut: Future<Output = Result<Proof, WebError>> + Send + 'static,
{
    get(move |visit: Visit| async move { Ctx::first_page(visit, name, IdentityTemplate::of) }).post(
        move |visit: Visit, Form(form): Form<IdentityForm>| async move {
            let started = Instant::now();
            let ctx = match Ctx::identity(visit, name, &form).await? {
                IdentityStep::Again(page) => return Ok(page),
                IdentityStep::Failed(ctx) => *ctx,
                IdentityStep::Proved(ctx, person) => match proved(*ctx, person, started).await? {
                    Proof::Answer(response) => return Ok(response),
                    Proof::LikeFailure(ctx) => *ctx,
                },
            };
            failed(ctx, &form)
        },
    )
}

impl Ctx {
    /// The identity step's POST up to the domain's verdict; a field to fix
    /// shows the page again with what was typed.
    pub async fn identity(
        visit: Visit,
        name: FlowName,
        form: &IdentityForm,
    ) -> Result<IdentityStep, WebError> {
        let ctx = Ctx::accept(visit, name, Step::Identity, form).await?;
        let (identifier, birth_date) = match identity_fields(&ctx.page, form) {
            Ok(fields) => fields,
            Err(errors) => {
                let mut template = IdentityTemplate::of(&ctx).refill(form);
                template.page.errors = errors;
                return ctx.again(&template).map(IdentityStep::Again);
            }
        };
        let trail = ctx.trail();
        match identity::prove(ctx.gateway(), &trail, identifier.as_ref(), &birth_date).await? {
            Identity::Proved(person) => Ok(IdentityStep::Proved(Box::new(ctx), person)),
            Identity::Failed => Ok(IdentityStep::Failed(Box::new(ctx))),
        }
    }

    /// The identity page with the generic failure, and what was typed
    /// (neither is a secret; both are escaped by the template), so that a
    /// typo is fixed rather than everything typed again.
    pub fn identity_failed(self, form: &IdentityForm) -> Result<Response, WebError> {
        let template = IdentityTemplate::of(&self).refill(form).failed(&self.page);
        self.again(&template)
    }
}
