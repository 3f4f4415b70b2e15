//! Which flows exist: one declaration per flow ([`FlowSpec`], reached by
//! [`FlowName::spec`]) says its name, its first page, its steps in order,
//! the configuration switch that turns it on, its place in the navigation
//! and on the home page, its texts and whether it ends on a done page. The
//! web derives its router, navigation, home cards, first pages and done
//! pages from it; a flow that lacks one of these does not compile, because
//! every `match` over [`FlowName`] is exhaustive.
//!
//! Where a flow leads is a value ([`Link`]): the domain says "the code
//! step of `code`", the web and the mails turn it into a path or a URL.

use crate::settings::{FlowSettings, HelpdeskSettings};
use serde::{Deserialize, Serialize};

/// What turns flows on: the site's `[flows]`, and `[helpdesk]` for the help
/// desk.
#[derive(Debug, Clone, Copy)]
pub struct Switches<'a> {
    pub flows: &'a FlowSettings,
    pub helpdesk: &'a HelpdeskSettings,
}

/// The flows, each chained by its own cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FlowName {
    Recover,
    Identifier,
    Code,
    Temporary,
    Activate,
    Account,
    Change,
    /// « Ce n'était pas moi »: the link of a "password changed" mail.
    #[serde(rename = "not_me")]
    NotMe,
    /// « Recevoir un code par SMS » (issue 21).
    Sms,
    /// The help desk: an agent signs in, finds a person, verifies the
    /// caller and acts within their profile (`flows::helpdesk`).
    Helpdesk,
}

/// A step a flow is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Identifier + birth date (`steps::identity`).
    Identity,
    /// The secret question answered (`steps::question`).
    Question,
    /// A secret question and answer chosen (`steps::secret`).
    ChooseSecret,
    /// Login + current or temporary password (`steps::sign_in`).
    SignIn,
    /// An address or identifier, whose owner is mailed (`steps::mailing`).
    MailRequest,
    /// The e-mailed code, typed or by link (`steps::code`).
    Code,
    /// The new password, checked and written (`steps::new_password`).
    NewPassword,
    /// The login mailed to the recovery address (`steps::mailing`).
    LoginMail,
    /// The owner disowns a password change (`steps::not_me`).
    Disown,
    /// The way to send a code chosen, once identity is proved: the masked
    /// mobile or address (`flows::sms`).
    Channel,
    /// A recovery address or mobile given, and the code sent to it typed
    /// back (`steps::recovery`): activation, and « Gérer mon compte ».
    RecoveryData,
    /// A signed-in help-desk agent's work: a search, a card opened, a
    /// caller verified, an action (`flows::helpdesk`). Each is a POST of
    /// its own after the sign-in, as many as the session allows.
    Desk,
}

/// Where a flow's link sits in the navigation bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NavPlace {
    /// Its own entry (« Activer mon compte », « Gérer mon compte »), at
    /// `order` among the entries (« Identifiants oubliés » is at
    /// [`FORGOTTEN_ORDER`]).
    Own { label: &'static str, order: u8 },
    /// Under « Identifiants oubliés » with the other recovery flows.
    Forgotten,
    /// No entry of its own: its pages belong to that flow's entry (the
    /// forced change, to « Gérer mon compte »).
    Under(FlowName),
    /// Reached from a mail only.
    None,
}

/// The place of « Identifiants oubliés » among the navigation's entries.
pub const FORGOTTEN_ORDER: u8 = 2;

/// The first page of an e-mail flow (an address or identifier, and a
/// captcha), as message ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub label: &'static str,
    pub placeholder: Option<&'static str>,
    /// The field's `autocomplete`: `email` where only an address is asked.
    pub autocomplete: &'static str,
    pub hint: &'static str,
    pub button: &'static str,
    pub notice: Option<&'static str>,
    /// The message of an empty field.
    pub missing: &'static str,
}

/// When a flow's new-password page asks for the current password again
/// (proved again by a bind, and carried in the write when the person's
/// policy has `pwdSafeModify`, which demands it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurrentPassword {
    /// Never: a reset or an activation proves the person otherwise, and
    /// under `pwdSafeModify` it cannot write (the person is told why).
    Never,
    /// Always, unless the sign-in spent a held temporary password
    /// (`change`, as on the CAF page).
    Always,
    /// When the person's policy has `pwdSafeModify` (`account`: its
    /// session holds no password, and the directory demands it).
    UnderSafeModify,
}

/// Everything the gateway knows of one flow.
#[derive(Debug, Clone, Copy)]
pub struct FlowSpec {
    pub name: FlowName,
    /// Its name in cookies, metrics and the audit trail.
    pub id: &'static str,
    /// Its first page; its other pages are under it (`/recover/question`).
    pub path: &'static str,
    /// Its steps, in order: the seed systems as lists. The step indicator
    /// of the pages counts them.
    pub steps: &'static [Step],
    /// Whether the site's configuration turns it on.
    pub enabled: fn(Switches<'_>) -> bool,
    /// Its place in the navigation.
    pub nav: NavPlace,
    /// Its card on the home page (title `flow-<id>-title`, summary
    /// `flow-<id>-summary`); `Some(true)` also on « Identifiants oubliés ».
    pub card: Option<bool>,
    /// The texts of its first page when that page asks for an address.
    pub request: Option<RequestTexts>,
    /// It ends on a done page (`<path>/done`), shown again on a repeated
    /// submission or the browser's Back.
    pub done: bool,
    /// Whether its new-password page asks for the current password.
    pub current_password: CurrentPassword,
}

impl FlowName {
    /// Every flow, in the order of the home page.
    pub const ALL: [FlowName; 10] = [
        FlowName::Recover,
        FlowName::Identifier,
        FlowName::Code,
        FlowName::Temporary,
        FlowName::Activate,
        FlowName::Account,
        FlowName::Change,
        FlowName::NotMe,
        FlowName::Sms,
        FlowName::Helpdesk,
    ];

    /// The flow's declaration.
    pub fn spec(self) -> &'static FlowSpec {
        match self {
            FlowName::Recover => &RECOVER,
            FlowName::Identifier => &IDENTIFIER,
            FlowName::Code => &CODE,
            FlowName::Temporary => &TEMPORARY,
            FlowName::Activate => &ACTIVATE,
            FlowName::Account => &ACCOUNT,
            FlowName::Change => &CHANGE,
            FlowName::NotMe => &NOT_ME,
            FlowName::Sms => &SMS,
            FlowName::Helpdesk => &HELPDESK,
        }
    }

    /// Its name in cookies, metrics and the audit trail.
    pub fn as_str(self) -> &'static str {
        self.spec().id
    }

    /// The flow's steps, in order.
    pub fn steps(self) -> &'static [Step] {
        self.spec().steps
    }

    /// The step that must have been passed for `step` to come now: the one
    /// before it in the flow's list (`Some(None)`: it comes first). `None`
    /// when the flow has no such step. Account management also lets a
    /// signed-in person choose a new secret question.
    pub fn requires(self, step: Step) -> Option<Option<Step>> {
        if self == FlowName::Account && matches!(step, Step::ChooseSecret | Step::RecoveryData) {
            return Some(Some(Step::SignIn));
        }
        let steps = self.steps();
        let index = steps.iter().position(|s| *s == step)?;
        Some(index.checked_sub(1).map(|before| steps[before]))
    }

    /// "Étape `n` sur `total`" for `step` (1-based), if the flow has it.
    pub fn position(self, step: Step) -> Option<(u32, u32)> {
        // The login mail is no page of its own.
        let pages: Vec<Step> = self
            .steps()
            .iter()
            .copied()
            .filter(|s| *s != Step::LoginMail)
            .collect();
        let index = pages.iter().position(|s| *s == step)?;
        Some((
            u32::try_from(index + 1).unwrap_or(u32::MAX),
            u32::try_from(pages.len()).unwrap_or(u32::MAX),
        ))
    }

    /// "Étape `n` sur `total`" for `step` under the site's `flows`: a step
    /// the site leaves out (an activation that asks for no recovery
    /// value) is not counted.
    pub fn position_for(self, step: Step, flows: &FlowSettings) -> Option<(u32, u32)> {
        let (n, total) = self.position(step)?;
        let skipped = self == FlowName::Activate
            && flows.activation_asks.is_empty()
            && self.steps().contains(&Step::RecoveryData);
        if !skipped {
            return Some((n, total));
        }
        let after = self
            .steps()
            .iter()
            .position(|s| *s == Step::RecoveryData)
            .is_some_and(|at| {
                self.position(step)
                    .is_some_and(|(n, _)| n as usize > at + 1)
            });
        Some((if after { n - 1 } else { n }, total - 1))
    }

    /// Whether the site's configuration turns this flow on.
    pub fn enabled(self, switches: Switches<'_>) -> bool {
        (self.spec().enabled)(switches)
    }

    /// The flow's done page, if it ends on one.
    pub fn done_link(self) -> Option<Link> {
        self.spec().done.then_some(Link::Done(self))
    }

    /// The flow whose pages are at `path` (its first page or under it).
    pub fn at_path(path: &str) -> Option<FlowName> {
        FlowName::ALL.into_iter().find(|flow| {
            path.strip_prefix(flow.spec().path)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    }
}

// UPHF Sésame: personal number + birth date, the joker question, the new
// password (confirmation mail after it).
const RECOVER: FlowSpec = FlowSpec {
    name: FlowName::Recover,
    id: "recover",
    path: "/recover",
    steps: &[Step::Identity, Step::Question, Step::NewPassword],
    enabled: |on| on.flows.recover,
    nav: NavPlace::Forgotten,
    card: Some(true),
    request: None,
    done: true,
    current_password: CurrentPassword::Never,
};

// UPHF: identity, then the login by mail, never on the page.
const IDENTIFIER: FlowSpec = FlowSpec {
    name: FlowName::Identifier,
    id: "identifier",
    path: "/identifier",
    steps: &[Step::Identity, Step::LoginMail],
    enabled: |on| on.flows.identifier,
    nav: NavPlace::Forgotten,
    card: Some(true),
    request: None,
    done: false,
    current_password: CurrentPassword::Never,
};

// EFP Connect: address + captcha, the 6-digit code, the password.
const CODE: FlowSpec = FlowSpec {
    name: FlowName::Code,
    id: "code",
    path: "/code",
    steps: &[Step::MailRequest, Step::Code, Step::NewPassword],
    enabled: |on| on.flows.code,
    nav: NavPlace::Forgotten,
    card: Some(true),
    request: Some(RequestTexts {
        title: "code-title",
        intro: "code-intro",
        label: "code-field-identifier",
        placeholder: Some("code-field-identifier-placeholder"),
        autocomplete: "email",
        hint: "code-request-hint",
        button: "email-button-next",
        notice: Some("code-no-access"),
        missing: "code-identifier-missing",
    }),
    done: true,
    current_password: CurrentPassword::Never,
};

// CAF, Ecolesoft: identifier or address + captcha; the temporary password
// arrives by mail and opens `change`.
const TEMPORARY: FlowSpec = FlowSpec {
    name: FlowName::Temporary,
    id: "temporary",
    path: "/temporary",
    steps: &[Step::MailRequest],
    enabled: |on| on.flows.temporary,
    nav: NavPlace::Forgotten,
    card: Some(true),
    request: Some(RequestTexts {
        title: "temporary-title",
        intro: "temporary-intro",
        label: "temporary-field-identifier",
        placeholder: None,
        autocomplete: "username",
        hint: "temporary-request-hint",
        button: "button-submit",
        notice: None,
        missing: "temporary-identifier-missing",
    }),
    done: false,
    current_password: CurrentPassword::Never,
};

// UPHF: identity, choose the question, choose the password.
const ACTIVATE: FlowSpec = FlowSpec {
    name: FlowName::Activate,
    id: "activate",
    path: "/activate",
    steps: &[
        Step::Identity,
        Step::ChooseSecret,
        Step::RecoveryData,
        Step::NewPassword,
    ],
    enabled: |on| on.flows.activate,
    nav: NavPlace::Own {
        label: "nav-activate",
        order: 1,
    },
    card: Some(false),
    request: None,
    done: true,
    current_password: CurrentPassword::Never,
};

// UPHF Gérer mon compte: sign in, then password or question.
const ACCOUNT: FlowSpec = FlowSpec {
    name: FlowName::Account,
    id: "account",
    path: "/account",
    steps: &[Step::SignIn, Step::NewPassword],
    enabled: |on| on.flows.account,
    nav: NavPlace::Own {
        label: "nav-account",
        order: 3,
    },
    card: Some(false),
    request: None,
    done: true,
    // Asked again like /change's, and like the question and the recovery
    // values this flow changes: a session left open, or its cookie taken,
    // must not be enough to replace the password.
    current_password: CurrentPassword::Always,
};

// CAF, Ecolesoft forced change: sign in with the temporary (or current)
// password, then the new one. It belongs to the temporary-password flow
// and to account management: either turns it on.
const CHANGE: FlowSpec = FlowSpec {
    name: FlowName::Change,
    id: "change",
    path: "/change",
    steps: &[Step::SignIn, Step::NewPassword],
    enabled: |on| on.flows.temporary || on.flows.account,
    nav: NavPlace::Under(FlowName::Account),
    card: None,
    request: None,
    done: true,
    current_password: CurrentPassword::Always,
};

// Opened from a "password changed" mail: one button.
const NOT_ME: FlowSpec = FlowSpec {
    name: FlowName::NotMe,
    id: "not_me",
    path: "/not-me",
    steps: &[Step::Disown],
    enabled: |on| on.flows.not_me_days > 0,
    nav: NavPlace::None,
    card: None,
    request: None,
    done: false,
    current_password: CurrentPassword::Never,
};

// The help desk, for agents only: its own path, in no navigation and on no
// home card; on when `[helpdesk]` lists a profile.
const HELPDESK: FlowSpec = FlowSpec {
    name: FlowName::Helpdesk,
    id: "helpdesk",
    path: "/helpdesk",
    steps: &[Step::SignIn, Step::Desk],
    enabled: |on| on.helpdesk.enabled(),
    nav: NavPlace::None,
    card: None,
    request: None,
    done: false,
    current_password: CurrentPassword::Never,
};

// Issue 21: identifier + birth date, the way to send the code (the masked
// mobile, or the address), the 6-digit code, the password.
const SMS: FlowSpec = FlowSpec {
    name: FlowName::Sms,
    id: "sms",
    path: "/sms",
    steps: &[Step::Identity, Step::Channel, Step::Code, Step::NewPassword],
    enabled: |on| on.flows.sms,
    nav: NavPlace::Forgotten,
    card: Some(true),
    request: None,
    done: true,
    current_password: CurrentPassword::Never,
};

/// Where the domain sends a person, or what a mail links to: the web turns
/// it into a path ([`Link::path`]), a mail into a URL under
/// `server.public_url` (never the request's Host header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// A flow's first page.
    Start(FlowName),
    /// The page of `step` in a flow.
    StepPage(FlowName, Step),
    /// A flow's done page.
    Done(FlowName),
    /// The link of a code mail, carrying its sealed token.
    CodeLink(String),
    /// The « Ce n'était pas moi » link of a "password changed" mail.
    NotMe(String),
    /// Account management's menu, once signed in.
    AccountMenu,
    /// The home page.
    Home,
}

impl Link {
    /// The path of the page.
    pub fn path(&self) -> String {
        match self {
            Link::Start(flow) => flow.spec().path.to_owned(),
            Link::StepPage(flow, step) => format!("{}{}", flow.spec().path, step_path(*step)),
            Link::Done(flow) => format!("{}/done", flow.spec().path),
            Link::CodeLink(token) => format!("{}/link/{token}", CODE.path),
            Link::NotMe(token) => format!("{}/{token}", NOT_ME.path),
            Link::AccountMenu => format!("{}/menu", ACCOUNT.path),
            Link::Home => "/".to_owned(),
        }
    }

    /// The address of the page under `public_url` (for mails).
    pub fn url(&self, public_url: &str) -> String {
        format!("{}{}", public_url.trim_end_matches('/'), self.path())
    }
}

/// The part of a step page's path after its flow's.
fn step_path(step: Step) -> &'static str {
    match step {
        Step::Identity | Step::SignIn | Step::MailRequest | Step::Disown | Step::LoginMail => "",
        Step::Question | Step::ChooseSecret => "/question",
        Step::Code => "/verify",
        Step::NewPassword => "/password",
        Step::Channel => "/channel",
        Step::RecoveryData => "/recovery",
        Step::Desk => "/desk",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_flow_is_declared_under_its_own_name_and_path() {
        for flow in FlowName::ALL {
            let spec = flow.spec();
            assert_eq!(spec.name, flow);
            assert_eq!(FlowName::at_path(spec.path), Some(flow), "{}", spec.id);
            assert!(!spec.steps.is_empty());
            // A flow that asks for an address has the texts of its page.
            assert_eq!(
                spec.steps.first() == Some(&Step::MailRequest),
                spec.request.is_some(),
                "{}",
                spec.id
            );
        }
    }

    #[test]
    fn a_step_comes_after_the_one_before_it_in_its_flow() {
        assert_eq!(FlowName::Recover.requires(Step::Identity), Some(None));
        assert_eq!(
            FlowName::Recover.requires(Step::NewPassword),
            Some(Some(Step::Question))
        );
        assert_eq!(FlowName::Recover.requires(Step::Code), None);
        assert_eq!(
            FlowName::Account.requires(Step::ChooseSecret),
            Some(Some(Step::SignIn))
        );
        assert_eq!(FlowName::Identifier.position(Step::Identity), Some((1, 1)));
        assert_eq!(FlowName::Code.position(Step::NewPassword), Some((3, 3)));
        assert_eq!(
            FlowName::Sms.requires(Step::Code),
            Some(Some(Step::Channel))
        );
        assert_eq!(
            FlowName::Account.requires(Step::RecoveryData),
            Some(Some(Step::SignIn))
        );
    }

    #[test]
    fn an_activation_that_asks_no_recovery_value_counts_three_steps() {
        let mut flows = FlowSettings::default();
        let activate = FlowName::Activate;
        assert_eq!(
            activate.position_for(Step::NewPassword, &flows),
            Some((3, 3))
        );
        assert_eq!(
            activate.position_for(Step::ChooseSecret, &flows),
            Some((2, 3))
        );
        flows.activation_asks = vec![crate::settings::Channel::Mail];
        assert_eq!(
            activate.position_for(Step::NewPassword, &flows),
            Some((4, 4))
        );
        assert_eq!(
            activate.position_for(Step::RecoveryData, &flows),
            Some((3, 4))
        );
    }

    #[test]
    fn links_are_paths_under_their_flow() {
        assert_eq!(Link::Done(FlowName::Recover).path(), "/recover/done");
        assert_eq!(
            Link::StepPage(FlowName::Code, Step::Code).path(),
            "/code/verify"
        );
        assert_eq!(
            Link::CodeLink("t0k".into()).url("https://sesame.example/"),
            "https://sesame.example/code/link/t0k"
        );
        assert_eq!(FlowName::at_path("/recovery"), None);
        assert_eq!(
            FlowName::at_path("/change/password"),
            Some(FlowName::Change)
        );
        assert_eq!(FlowName::Identifier.done_link(), None);
    }
}
