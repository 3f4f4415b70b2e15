//! The state that chains the steps of one flow, kept in an encrypted and
//! authenticated cookie (no server session store): which flow, which step
//! was passed, whose entry, when it started and was last used, a random
//! flow id for the audit log, the CSRF token every form of the flow must
//! carry, and a one-time nonce for the current step.
//!
//! A step is accepted once: its nonce is spent when the form is posted (a
//! second POST of the same form, or of an old copy of the cookie, finds it
//! spent on this replica), and the final write also checks, in the
//! directory, that the password did not change since the identity was
//! proved, which refuses a replayed old cookie on any replica.

use super::error::WebError;
use axum_extra::extract::cookie::{Cookie, PrivateCookieJar, SameSite};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use subtle_eq::constant_time_eq;

/// A flow never lasts longer than this many inactivity periods, even when
/// every step is taken just in time.
const MAX_LIFETIME_PERIODS: i64 = 4;

pub use passerelle_domain::flow::{FlowName, Step};
use passerelle_domain::Proof;

/// The cookie's name for `flow`. With Secure cookies the `__Host-` prefix
/// makes browsers refuse one set by a sibling domain or over plain HTTP.
pub fn cookie_name(flow: FlowName, secure: bool) -> String {
    let prefix = if secure { "__Host-" } else { "" };
    format!("{prefix}passerelle-{}", flow.as_str())
}

/// The name of the flow's second cookie, for what a step keeps until a
/// later one (the address typed in `code`, the question chosen in
/// `activate`): encrypted the same way, tied to the flow's id.
pub fn data_cookie_name(flow: FlowName, secure: bool) -> String {
    format!("{}-data", cookie_name(flow, secure))
}

/// How long a flow's cookie holds: since its last page (`idle`) and in all
/// (`max`), in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetime {
    pub idle: u64,
    pub max: u64,
}

impl Lifetime {
    /// The lifetime of `flow`'s cookie: `server.inactivity_seconds`, and
    /// [`MAX_LIFETIME_PERIODS`] of it in all; the help desk's session its
    /// own (`helpdesk.idle_seconds`, `helpdesk.session_seconds`).
    pub fn of(settings: &crate::settings::WebSettings, flow: FlowName) -> Lifetime {
        match flow {
            FlowName::Helpdesk => Lifetime {
                idle: settings.helpdesk.idle_seconds,
                max: settings.helpdesk.session_seconds,
            },
            _ => {
                let idle = settings.server.inactivity_seconds;
                Lifetime {
                    idle,
                    max: idle.saturating_mul(MAX_LIFETIME_PERIODS.unsigned_abs()),
                }
            }
        }
    }
}

/// What the flow cookie holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FlowState {
    pub flow: FlowName,
    /// The last step of the flow passed (`None`: none yet). A step may be
    /// posted only when the step before it in the flow's list
    /// ([`FlowName::requires`]) is the one passed.
    pub passed: Option<Step>,
    /// What the flow proved (from step 1 on): whose entry, and what its
    /// password was then; a write refuses to go ahead if it changed since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<Proof>,
    /// Unix seconds.
    pub issued_at: i64,
    pub last_activity: i64,
    /// Random, for the audit log: ties the events of one flow together.
    pub id: String,
    pub csrf: String,
    pub nonce: String,
    /// The captcha this flow shows now, if any (see `passerelle_captcha::web`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captcha: Option<passerelle_captcha::Challenge>,
    /// What a refused POST leaves for the page it redirects to
    /// (Post/Redirect/Get); taken by that page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flash: Option<Flash>,
    /// The new password was written but some replica of
    /// `ldap.replica_urls` had not accepted it yet: the done page says
    /// that Wi-Fi may take a minute to accept it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replica_lag: bool,
    /// The site's RADIUS server (`[radius]`) accepted the new password: the
    /// done page says Wi-Fi accepts it now.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub wifi_confirmed: bool,
    /// The new password was written but no confirmation mail could be
    /// sent (no address on the entry): the done page says so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_mail: bool,
}

/// The errors, values typed (never a secret) and notice of a refused POST,
/// carried by the flow cookie to the GET page the POST redirects to, so
/// that every POST answers with a redirect and the browser's Back never
/// meets a form resubmission. Bounded: at most [`Flash::MAX_ITEMS`]
/// errors and values of [`Flash::MAX_CHARS`] characters each.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Flash {
    /// (field, translated message), as the error summary lists them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<(Option<String>, String)>,
    /// (field, value as typed) to fill the form again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}

impl Flash {
    pub const MAX_ITEMS: usize = 12;
    pub const MAX_CHARS: usize = 400;

    /// Builds a flash, bounded.
    pub fn new(
        errors: impl IntoIterator<Item = (Option<String>, String)>,
        values: impl IntoIterator<Item = (&'static str, String)>,
        notice: Option<String>,
    ) -> Flash {
        let cut = |text: String| text.chars().take(Flash::MAX_CHARS).collect::<String>();
        Flash {
            errors: errors
                .into_iter()
                .take(Flash::MAX_ITEMS)
                .map(|(field, message)| (field, cut(message)))
                .collect(),
            values: values
                .into_iter()
                .filter(|(_, value)| !value.is_empty())
                .take(Flash::MAX_ITEMS)
                .map(|(field, value)| (field.to_owned(), cut(value)))
                .collect(),
            notice: notice.map(cut),
        }
    }

    /// The value typed in `field`, or empty.
    pub fn value(&self, field: &str) -> String {
        self.values
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    }
}

/// Random URL-safe token of 32 bytes (flow ids, CSRF tokens, nonces),
/// from the thread's CSPRNG (rand's `ThreadRng`: ChaCha12 seeded from the
/// system's and reseeded from it), which saves the system call per token
/// that every page made three times (issue 25's profile of the form page).
pub fn token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

impl FlowState {
    /// A new flow, at its first page.
    pub fn start(flow: FlowName) -> FlowState {
        let now = now();
        FlowState {
            flow,
            passed: None,
            proof: None,
            issued_at: now,
            last_activity: now,
            id: token()[..12].to_owned(),
            csrf: token(),
            nonce: token(),
            captcha: None,
            flash: None,
            replica_lag: false,
            wifi_confirmed: false,
            no_mail: false,
        }
    }

    /// Reads the flow's cookie. No cookie, one that does not decrypt, one
    /// of another flow, or one idle too long or too old: the flow has
    /// expired.
    pub fn load(
        jar: &PrivateCookieJar,
        flow: FlowName,
        secure: bool,
        lifetime: Lifetime,
    ) -> Result<FlowState, WebError> {
        let cookie = jar
            .get(&cookie_name(flow, secure))
            .ok_or(WebError::Expired)?;
        let state: FlowState =
            serde_json::from_str(cookie.value()).map_err(|_| WebError::Expired)?;
        let now = now();
        let idle = i64::try_from(lifetime.idle).unwrap_or(i64::MAX);
        let max = i64::try_from(lifetime.max).unwrap_or(i64::MAX);
        if state.flow != flow
            || now.saturating_sub(state.last_activity) > idle
            || now.saturating_sub(state.issued_at) > max
        {
            return Err(WebError::Expired);
        }
        Ok(state)
    }

    /// Checks a posted form of `step` against the cookie, then spends the
    /// step's nonce: the CSRF token must be the flow's, the step one that
    /// may follow the step passed, and the nonce the current one, not used
    /// before.
    pub fn accept_post(
        &self,
        step: Step,
        csrf: &str,
        nonce: &str,
        spent: &SpentNonces,
    ) -> Result<(), WebError> {
        if csrf.is_empty() || !constant_time_eq(csrf.as_bytes(), self.csrf.as_bytes()) {
            return Err(WebError::Csrf);
        }
        self.require_step(step)?;
        if nonce.is_empty() || !constant_time_eq(nonce.as_bytes(), self.nonce.as_bytes()) {
            return Err(WebError::Step);
        }
        if !spent.spend(&self.nonce) {
            return Err(WebError::Step);
        }
        Ok(())
    }

    /// Whether a new-password form whose nonce is spent, or whose flow has
    /// passed that step already, may still be handed to the domain (see
    /// `Ctx::accept`): it must carry the flow's CSRF token, and the flow
    /// must be at that step or past it.
    pub fn may_repeat_password(&self, step: Step, csrf: &str) -> bool {
        step == Step::NewPassword
            && !csrf.is_empty()
            && constant_time_eq(csrf.as_bytes(), self.csrf.as_bytes())
            && (self.passed == Some(Step::NewPassword) || self.require_step(step).is_ok())
    }

    /// Checks that `step` may come now: the step it requires in the flow's
    /// list is the one passed. The one place where step order is enforced.
    pub fn require_step(&self, step: Step) -> Result<(), WebError> {
        match self.flow.requires(step) {
            Some(required) if required == self.passed => Ok(()),
            _ => Err(WebError::Step),
        }
    }

    /// The state after a POST that did not pass its step: a fresh nonce
    /// for the form shown again, activity now.
    pub fn again(mut self) -> FlowState {
        self.flash = None;
        self.nonce = token();
        self.last_activity = now();
        self
    }

    /// The state once `step` is passed: a fresh nonce for the next form,
    /// activity now.
    pub fn next(mut self, step: Step) -> FlowState {
        self.passed = Some(step);
        self.flash = None;
        self.nonce = token();
        self.last_activity = now();
        self
    }

    /// Stores the state in the jar.
    pub fn save(
        &self,
        jar: PrivateCookieJar,
        secure: bool,
        inactivity_seconds: u64,
    ) -> Result<PrivateCookieJar, WebError> {
        let value = serde_json::to_string(self)
            .map_err(|e| WebError::Unexpected(anyhow::anyhow!("flow state: {e}")))?;
        let cookie = Cookie::build((cookie_name(self.flow, secure), value))
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Strict)
            .max_age(cookie::time::Duration::seconds(
                i64::try_from(inactivity_seconds).unwrap_or(i64::MAX),
            ))
            .build();
        Ok(jar.add(cookie))
    }

    /// Ends the flow: the browser drops its cookies.
    pub fn end(flow: FlowName, jar: PrivateCookieJar, secure: bool) -> PrivateCookieJar {
        jar.remove(Cookie::build(cookie_name(flow, secure)).path("/").build())
            .remove(
                Cookie::build(data_cookie_name(flow, secure))
                    .path("/")
                    .build(),
            )
    }

    /// The flow's data cookie removed: what a step kept is spent.
    pub fn drop_data(&self, jar: PrivateCookieJar, secure: bool) -> PrivateCookieJar {
        jar.remove(
            Cookie::build(data_cookie_name(self.flow, secure))
                .path("/")
                .build(),
        )
    }

    /// Keeps `data` in the flow's data cookie until a later step.
    pub fn save_data<T: Serialize>(
        &self,
        jar: PrivateCookieJar,
        data: &T,
        secure: bool,
        inactivity_seconds: u64,
    ) -> Result<PrivateCookieJar, WebError> {
        let value = serde_json::to_string(&Tied {
            flow_id: self.id.clone(),
            data,
        })
        .map_err(|e| WebError::Unexpected(anyhow::anyhow!("flow data: {e}")))?;
        let cookie = Cookie::build((data_cookie_name(self.flow, secure), value))
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Strict)
            .max_age(cookie::time::Duration::seconds(
                i64::try_from(inactivity_seconds).unwrap_or(i64::MAX),
            ))
            .build();
        Ok(jar.add(cookie))
    }

    /// What an earlier step of this flow kept, if the data cookie belongs
    /// to this flow.
    pub fn load_data<T: serde::de::DeserializeOwned>(
        &self,
        jar: &PrivateCookieJar,
        secure: bool,
    ) -> Option<T> {
        let cookie = jar.get(&data_cookie_name(self.flow, secure))?;
        let tied: Tied<T> = serde_json::from_str(cookie.value()).ok()?;
        (tied.flow_id == self.id).then_some(tied.data)
    }
}

/// What the data cookie holds: a step's data and the flow it belongs to.
#[derive(Serialize, Deserialize)]
struct Tied<T> {
    flow_id: String,
    data: T,
}

/// Nonces already spent on this replica, forgotten once no cookie that
/// holds them can still be valid.
pub struct SpentNonces {
    spent: Mutex<Spent>,
    keep: Duration,
}

struct Spent {
    /// When each nonce was spent, and where its step led once it passed.
    at: HashMap<String, (Instant, Option<String>)>,
    /// Size at which expired nonces are next swept out. It doubles with
    /// what survives a sweep, so sweeping costs O(1) per POST on average
    /// even when many nonces are live (a scan on every POST would not).
    sweep_at: usize,
}

/// The table is swept no sooner than at this size.
const SWEEP_FLOOR: usize = 10_000;

impl SpentNonces {
    pub fn new(inactivity_seconds: u64) -> SpentNonces {
        SpentNonces {
            spent: Mutex::new(Spent {
                at: HashMap::new(),
                sweep_at: SWEEP_FLOOR,
            }),
            keep: Duration::from_secs(inactivity_seconds.saturating_add(60)),
        }
    }

    /// Marks `nonce` spent; false if it already was.
    pub fn spend(&self, nonce: &str) -> bool {
        let Ok(mut spent) = self.spent.lock() else {
            // A poisoned lock means a panic elsewhere: refuse rather than
            // accept a possible replay.
            return false;
        };
        let now = Instant::now();
        if spent.at.len() >= spent.sweep_at {
            let keep = self.keep;
            spent.at.retain(|_, (at, _)| now.duration_since(*at) < keep);
            spent.sweep_at = (spent.at.len() * 2).max(SWEEP_FLOOR);
        }
        match spent.at.entry(nonce.to_owned()) {
            // Spent before: left as it is (its outcome included).
            std::collections::hash_map::Entry::Occupied(_) => false,
            std::collections::hash_map::Entry::Vacant(entry) => {
                entry.insert((now, None));
                true
            }
        }
    }

    /// Records that the step whose `nonce` was spent passed and led to
    /// `to`, so that the same form posted again (a double click, a second
    /// tab) is sent there too instead of meeting an error.
    /// The first outcome recorded stands.
    pub fn settle(&self, nonce: &str, to: &str) {
        if let Ok(mut spent) = self.spent.lock() {
            if let Some((_, outcome @ None)) = spent.at.get_mut(nonce) {
                *outcome = Some(to.to_owned());
            }
        }
    }

    /// Whether `nonce` was spent and its step is still being answered.
    pub fn in_flight(&self, nonce: &str) -> bool {
        self.spent
            .lock()
            .ok()
            .is_some_and(|spent| matches!(spent.at.get(nonce), Some((_, None))))
    }

    /// Where the step whose `nonce` was spent led, once it passed.
    pub fn outcome(&self, nonce: &str) -> Option<String> {
        self.spent
            .lock()
            .ok()
            .and_then(|spent| spent.at.get(nonce).and_then(|(_, to)| to.clone()))
    }
}

mod subtle_eq {
    /// Compares two byte strings in a time that depends on their length
    /// only, so a token cannot be guessed byte by byte from response times.
    pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
        if a.len() != b.len() {
            return false;
        }
        a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_can_be_spent_once() {
        let spent = SpentNonces::new(60);
        assert!(spent.spend("a"));
        assert!(!spent.spend("a"));
        assert!(spent.spend("b"));
    }

    #[test]
    fn a_post_needs_the_flow_token_the_step_and_an_unspent_nonce() {
        let spent = SpentNonces::new(60);
        let state = FlowState::start(FlowName::Recover);
        let (csrf, nonce) = (state.csrf.clone(), state.nonce.clone());
        assert!(matches!(
            state.accept_post(Step::Identity, "", &nonce, &spent),
            Err(WebError::Csrf)
        ));
        assert!(matches!(
            state.accept_post(Step::Identity, "x", &nonce, &spent),
            Err(WebError::Csrf)
        ));
        assert!(matches!(
            state.accept_post(Step::Question, &csrf, &nonce, &spent),
            Err(WebError::Step)
        ));
        assert!(matches!(
            state.accept_post(Step::Identity, &csrf, "x", &spent),
            Err(WebError::Step)
        ));
        assert!(state
            .accept_post(Step::Identity, &csrf, &nonce, &spent)
            .is_ok());
        assert!(matches!(
            state.accept_post(Step::Identity, &csrf, &nonce, &spent),
            Err(WebError::Step)
        ));
    }

    #[test]
    fn the_next_step_gets_a_new_nonce_and_keeps_the_csrf_token() {
        let state = FlowState::start(FlowName::Recover);
        let next = state.clone().next(Step::Identity);
        assert_eq!(next.csrf, state.csrf);
        assert_ne!(next.nonce, state.nonce);
        assert_eq!(next.passed, Some(Step::Identity));
    }

    #[test]
    fn a_step_comes_only_after_the_one_before_it_in_the_flow_list() {
        let recover = FlowState::start(FlowName::Recover);
        assert!(recover.require_step(Step::Identity).is_ok());
        assert!(recover.require_step(Step::NewPassword).is_err());
        let proved = recover.next(Step::Identity);
        assert!(proved.require_step(Step::Question).is_ok());
        assert!(proved.require_step(Step::NewPassword).is_err());
        assert!(
            proved.require_step(Step::Code).is_err(),
            "not a recover step"
        );
        let account = FlowState::start(FlowName::Account).next(Step::SignIn);
        assert!(account.require_step(Step::ChooseSecret).is_ok());
        assert!(account.require_step(Step::NewPassword).is_ok());
    }
}
