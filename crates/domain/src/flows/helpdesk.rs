//! The help desk ([`crate::flow::FlowName::Helpdesk`]): an agent signs in
//! with their own directory account, finds a person within their profile,
//! opens the person's card, verifies the caller, and acts (unlock, lift a
//! freeze, clear the question, send a reset, give a temporary password).
//! One function per request its pages make; each re-reads what it decides
//! on and decides again, whatever the page showed.
//!
//! Every request first checks the agent's session ([`AgentSession`], which
//! the web keeps in its encrypted cookie): the same client address as the
//! sign-in, within `helpdesk.session_seconds` of it (the web ends it after
//! `helpdesk.idle_seconds` without a page), the agent's password unchanged
//! and their account open, still in their profile's group. A request on a
//! person checks, on the entry as it is: within the profile's scope and
//! outside the site's exclusions, not the agent, not any agent. An action
//! also needs the profile's leave, a reason, and a verification of the
//! caller for that person that still holds; it writes through the
//! gateway's guarded operations (re-read and re-planned when the entry
//! changed), as the service account or, where the site sets it up, as the
//! agent through proxied authorization (`helpdesk.write_as`), then mails
//! the owner what was done with a « Ce n'était pas moi » link. Everything
//! is audited with the agent, the profile, the reason and the way the
//! caller was verified.

use crate::audit::{AuditStep, DeskFacts, Outcome, Who};
use crate::gateway::{seconds, Gateway, Journey, StepError, Writer};
use crate::helpdesk::{self, same_dn, Card, Refusal, ResetFlows, Verified};
use crate::lockout::LockState;
use crate::mail::{MailKind, OutgoingMail};
use crate::person::Person;
use crate::ports::{
    BindProof, Change, DirectoryError, PasswordWrite, PasswordWriteError, PeopleSearch, WriteKind,
};
use crate::reset_code::ResetCode;
use crate::settings::{DeskAction, HelpdeskProfile, VerificationMethod, WriteAs};
use crate::state::CodeTry;
use crate::steps::identity::{check_birth_date, BirthDateCheck};
use crate::steps::sign_in::{self, SignIn};
use crate::steps::{mailing, not_me};
use secrecy::SecretString;

pub use crate::helpdesk::{AgentSession, Reason, SearchText};

/// What a request at the desk leads to, once the session was checked.
#[derive(Debug)]
pub enum AtDesk<T> {
    /// The session holds: the request's own outcome.
    Open(T),
    /// The session is over (moved, too old, the agent's password or group
    /// changed…): audited; the agent signs in again.
    Ended,
}

// ---------------------------------------------------------------- sign-in

/// How a sign-in ended.
#[derive(Debug)]
pub enum SignInOutcome {
    SignedIn(Box<AgentSession>),
    /// Unknown login, wrong password, a locked or stopped account: one
    /// answer for all (the reason went to the audit trail).
    Refused,
    /// The password is right but the account is in no profile's group.
    NotAnAgent,
    /// The password is right but temporary or expired: the agent changes
    /// it first.
    MustChangePassword,
}

/// The sign-in's POST: a bind as the agent themselves, counted and locked
/// like any sign-in (`steps::sign_in`), then the first profile whose group
/// holds them.
pub async fn sign_in(
    gateway: &Gateway,
    journey: &Journey,
    login: &str,
    password: &SecretString,
) -> Result<SignInOutcome, StepError> {
    let SignIn::Proved { person, proof, .. } =
        sign_in::prove(gateway, journey, login, password, false, false).await?
    else {
        return Ok(SignInOutcome::Refused);
    };
    let settings = &gateway.settings().helpdesk;
    let facts = |profile: &'static str| DeskFacts {
        agent_login: &person.login,
        agent_dn: &person.dn,
        profile,
        ..DeskFacts::default()
    };
    if proof != BindProof::Valid {
        gateway.desk_event(
            journey,
            AuditStep::Login,
            Outcome::AgentMustChangePassword,
            &*person,
            facts("-"),
        );
        return Ok(SignInOutcome::MustChangePassword);
    }
    let groups = gateway
        .directory()
        .member_of(&person, &settings.groups())
        .await?;
    let profile = settings
        .profiles
        .iter()
        .find(|p| groups.iter().any(|g| same_dn(g, &p.group)));
    let Some(profile) = profile else {
        gateway.desk_event(
            journey,
            AuditStep::Login,
            Outcome::NotAnAgent,
            &*person,
            facts("-"),
        );
        return Ok(SignInOutcome::NotAnAgent);
    };
    let session = AgentSession::new(&person, profile, gateway.now(), journey.visitor.address);
    gateway.desk_event(
        journey,
        AuditStep::Login,
        Outcome::AgentSignedIn,
        &*person,
        DeskFacts {
            agent_login: &person.login,
            agent_dn: &person.dn,
            profile: &profile.name,
            ..DeskFacts::default()
        },
    );
    Ok(SignInOutcome::SignedIn(Box::new(session)))
}

/// Signing out (audited).
pub fn sign_out(gateway: &Gateway, journey: &Journey, session: &AgentSession) {
    gateway.desk_event(
        journey,
        AuditStep::Logout,
        Outcome::SignedOut,
        Who::Dn(&session.dn),
        facts_of(session, None),
    );
}

/// The audit facts of `session`'s agent, with `reason`.
fn facts_of<'a>(session: &'a AgentSession, reason: Option<&'a str>) -> DeskFacts<'a> {
    DeskFacts {
        agent_login: &session.login,
        agent_dn: &session.dn,
        profile: &session.profile,
        reason,
        ..DeskFacts::default()
    }
}

/// The signed-in agent a request runs for.
struct Agent<'s> {
    session: &'s AgentSession,
    profile: HelpdeskProfile,
}

impl Agent<'_> {
    fn facts<'a>(&'a self, reason: Option<&'a str>) -> DeskFacts<'a> {
        facts_of(self.session, reason)
    }

    fn writer(&self, gateway: &Gateway) -> Writer<'_> {
        match gateway.settings().helpdesk.write_as {
            WriteAs::Service => Writer::Gateway,
            WriteAs::Agent => Writer::Agent(&self.session.dn),
        }
    }
}

/// The session of `session` as it stands now, or `None` when it is over
/// (audited with why).
async fn agent<'s>(
    gateway: &Gateway,
    journey: &Journey,
    session: &'s AgentSession,
) -> Result<Option<Agent<'s>>, StepError> {
    let settings = &gateway.settings().helpdesk;
    let now = gateway.now();
    let ended = |outcome| {
        gateway.desk_event(
            journey,
            AuditStep::Login,
            outcome,
            Who::Dn(&session.dn),
            facts_of(session, None),
        );
        Ok(None)
    };
    let Some(profile) = settings.profile(&session.profile).cloned() else {
        return ended(Outcome::SessionEnded);
    };
    if session.address != journey.visitor.address.to_string() {
        return ended(Outcome::SessionMoved);
    }
    let age = now.timestamp().saturating_sub(session.signed_in_at);
    if age < 0 || age > i64::try_from(settings.session_seconds).unwrap_or(i64::MAX) {
        return ended(Outcome::SessionTooOld);
    }
    let Some(person) = gateway.directory().read(&session.dn).await? else {
        return ended(Outcome::SessionEnded);
    };
    let locked = matches!(gateway.lock_state(&person), LockState::Locked { .. });
    if person.password_marker() != session.marker
        || locked
        || crate::steps::standing_now(gateway, &person).await?.is_err()
    {
        return ended(Outcome::SessionEnded);
    }
    // What the sign-in's bind would refuse now, read from the entry and its
    // effective policy (no bind: the session holds no password): ppolicy's
    // lock while it holds (failed binds elsewhere, timed or until an
    // administrator), a password expired or to be changed (`pwdReset`).
    let policy = gateway.directory().policy(&person).await?;
    let standing = Card::of(&person, &policy, &gateway.settings().lockout, false, now);
    if standing.cannot_log_in() || standing.must_change {
        return ended(Outcome::SessionEnded);
    }
    let groups = gateway
        .directory()
        .member_of(&person, std::slice::from_ref(&profile.group))
        .await?;
    if groups.is_empty() {
        return ended(Outcome::SessionEnded);
    }
    Ok(Some(Agent { session, profile }))
}

/// What a desk page shows of the agent: who, under which profile, what
/// their profile allows.
#[derive(Debug, Clone)]
pub struct DeskView {
    pub agent_login: String,
    pub agent_name: String,
    pub profile: String,
    /// The profile may list the frozen or locked accounts of its scope.
    pub may_list: bool,
    /// The DN of the card open, if any.
    pub open_card: Option<String>,
}

/// The desk's page (a GET): the session, checked.
pub async fn desk(
    gateway: &Gateway,
    journey: &Journey,
    session: &AgentSession,
) -> Result<AtDesk<DeskView>, StepError> {
    let Some(agent) = agent(gateway, journey, session).await? else {
        return Ok(AtDesk::Ended);
    };
    Ok(AtDesk::Open(DeskView {
        agent_login: session.login.clone(),
        agent_name: session.name.clone(),
        profile: agent.profile.name.clone(),
        may_list: agent.profile.allows(DeskAction::ListStopped),
        open_card: session.person.clone(),
    }))
}

// ---------------------------------------------------------------- whom

/// The person at `dn` if `agent` may see and act on them, on the entry as
/// it is now.
async fn target(
    gateway: &Gateway,
    agent: &Agent<'_>,
    dn: &str,
) -> Result<Result<Person, Refusal>, StepError> {
    if same_dn(dn, &agent.session.dn) {
        return Ok(Err(Refusal::Oneself));
    }
    // Only whom the agent's search could find: under `ldap.base_dn`,
    // matching `ldap.person_filter` and the profile's scope less the
    // exclusions (an administrator's entry elsewhere in the directory is
    // nobody's to unlock). An entry without a login is nobody the help
    // desk serves either (a policy, a group, an organisational unit).
    let settings = &gateway.settings().helpdesk;
    let within = helpdesk::within(&agent.profile, settings);
    let Some(person) = gateway
        .directory()
        .read_findable(dn, &within)
        .await?
        .filter(|person| !person.login.is_empty())
    else {
        return Ok(Err(Refusal::OutOfScope));
    };
    if same_dn(&person.dn, &agent.session.dn) {
        return Ok(Err(Refusal::Oneself));
    }
    if !gateway
        .directory()
        .member_of(&person, &settings.groups())
        .await?
        .is_empty()
    {
        return Ok(Err(Refusal::Agent));
    }
    Ok(Ok(person))
}

/// The audit outcome of a refusal.
fn refusal_outcome(refusal: Refusal) -> Outcome {
    match refusal {
        Refusal::OutOfScope => Outcome::OutOfScope,
        Refusal::Oneself => Outcome::Oneself,
        Refusal::Agent => Outcome::TargetIsAgent,
    }
}

// ---------------------------------------------------------------- search

/// One person a search found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundPerson {
    pub dn: String,
    pub login: String,
    pub display_name: String,
    /// `(attribute, value)` of their affiliation.
    pub affiliations: Vec<(String, String)>,
}

/// What a search found: at most `helpdesk.max_results`, and whether there
/// were more.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub people: Vec<FoundPerson>,
    pub more: bool,
}

/// The search's POST: the agent's scope, searched for what they typed;
/// audited with what they typed.
pub async fn search(
    gateway: &Gateway,
    journey: &Journey,
    session: &AgentSession,
    text: &SearchText,
) -> Result<AtDesk<Found>, StepError> {
    let Some(agent) = agent(gateway, journey, session).await? else {
        return Ok(AtDesk::Ended);
    };
    let found = search_scope(gateway, &agent, text).await?;
    let mut facts = agent.facts(None);
    facts.query = Some(text.as_str());
    gateway.desk_event(
        journey,
        AuditStep::Search,
        Outcome::Searched,
        Who::Nobody,
        facts,
    );
    Ok(AtDesk::Open(found))
}

/// The results of the search the POST audited, shown again (the page a
/// search leads to): nothing new is audited.
pub async fn search_again(
    gateway: &Gateway,
    journey: &Journey,
    session: &AgentSession,
    text: &SearchText,
) -> Result<AtDesk<Found>, StepError> {
    let Some(agent) = agent(gateway, journey, session).await? else {
        return Ok(AtDesk::Ended);
    };
    Ok(AtDesk::Open(search_scope(gateway, &agent, text).await?))
}

async fn search_scope(
    gateway: &Gateway,
    agent: &Agent<'_>,
    text: &SearchText,
) -> Result<Found, StepError> {
    let settings = &gateway.settings().helpdesk;
    let within = helpdesk::within(&agent.profile, settings);
    let limit = settings.max_results.max(1);
    let people = gateway
        .directory()
        .search_people(&PeopleSearch::Text(text.clone()), &within, limit + 1)
        .await?;
    Ok(found(without_agents(gateway, people).await?, limit))
}

/// `people` without the help desk's agents (a member of any profile's
/// group, the agent searching included): no agent is in anyone's scope, so
/// none is found or listed, as none has a card that opens (`target`).
async fn without_agents(
    gateway: &Gateway,
    mut people: Vec<Person>,
) -> Result<Vec<Person>, StepError> {
    let groups = gateway.settings().helpdesk.groups();
    let agents = gateway.directory().group_members(&groups).await?;
    people.retain(|person| !agents.hold(person));
    Ok(people)
}

fn found(mut people: Vec<Person>, limit: usize) -> Found {
    // Nobody the help desk serves: no card would open (`target`).
    people.retain(|person| !person.login.is_empty());
    people.sort_by(|a, b| {
        (a.sn.as_deref(), &a.display_name, &a.login).cmp(&(
            b.sn.as_deref(),
            &b.display_name,
            &b.login,
        ))
    });
    let more = people.len() > limit;
    people.truncate(limit);
    Found {
        people: people
            .into_iter()
            .map(|p| FoundPerson {
                dn: p.dn,
                login: p.login,
                display_name: p.display_name,
                affiliations: p.affiliations,
            })
            .collect(),
        more,
    }
}

/// The frozen or locked accounts of the agent's scope (the list's page, a
/// GET; audited, as a search).
pub async fn stopped(
    gateway: &Gateway,
    journey: &Journey,
    session: &AgentSession,
) -> Result<AtDesk<Result<Vec<(FoundPerson, Card)>, Refusal>>, StepError> {
    let Some(agent) = agent(gateway, journey, session).await? else {
        return Ok(AtDesk::Ended);
    };
    if !agent.profile.allows(DeskAction::ListStopped) {
        gateway.desk_event(
            journey,
            AuditStep::ListStopped,
            Outcome::NotAllowed,
            Who::Nobody,
            agent.facts(None),
        );
        return Ok(AtDesk::Open(Err(Refusal::OutOfScope)));
    }
    let settings = &gateway.settings().helpdesk;
    let now = gateway.now();
    let within = helpdesk::within(&agent.profile, settings);
    let limit = settings.max_results.max(1) * 5;
    let people = gateway
        .directory()
        .search_people(&PeopleSearch::Stopped { now }, &within, limit)
        .await?;
    let mut listed = Vec::new();
    for person in without_agents(gateway, people).await? {
        let policy = gateway.directory().policy(&person).await?;
        let card = Card::of(&person, &policy, &gateway.settings().lockout, false, now);
        let holds = card.frozen.is_some()
            || card.self_service_locked.is_some()
            || matches!(
                card.ppolicy_lock,
                helpdesk::PpolicyLockView::Until { .. }
                    | helpdesk::PpolicyLockView::ItLock
                    | helpdesk::PpolicyLockView::UntilAdministrator { .. }
            );
        if holds {
            if let Some(one) = found(vec![person], 1).people.pop() {
                listed.push((one, card));
            }
        }
    }
    gateway.desk_event(
        journey,
        AuditStep::ListStopped,
        Outcome::Listed,
        Who::Nobody,
        agent.facts(None),
    );
    Ok(AtDesk::Open(Ok(listed)))
}

// ---------------------------------------------------------------- card

/// How opening a card ended.
#[derive(Debug)]
pub enum Opening {
    /// Open: the session with this card open (a verification of anybody
    /// else lapsed).
    Opened(Box<AgentSession>),
    Refused(Refusal),
}

/// Opening a card (a POST, so that every card view is audited): the person
/// at `dn` — the form's value, which the agent may have edited: decided
/// again here.
pub async fn open_card(
    gateway: &Gateway,
    journey: &Journey,
    session: &AgentSession,
    dn: &str,
) -> Result<AtDesk<Opening>, StepError> {
    let Some(agent) = agent(gateway, journey, session).await? else {
        return Ok(AtDesk::Ended);
    };
    let dn: String = dn.chars().take(1024).collect();
    match target(gateway, &agent, &dn).await? {
        Err(refusal) => {
            gateway.desk_event(
                journey,
                AuditStep::Card,
                refusal_outcome(refusal),
                Who::Dn(&dn),
                agent.facts(None),
            );
            Ok(AtDesk::Open(Opening::Refused(refusal)))
        }
        Ok(person) => {
            gateway.desk_event(
                journey,
                AuditStep::Card,
                Outcome::CardViewed,
                &person,
                agent.facts(None),
            );
            let mut opened = session.clone();
            opened.open(&person.dn);
            Ok(AtDesk::Open(Opening::Opened(Box::new(opened))))
        }
    }
}

/// The card's page: the person, how the caller was verified, what the
/// agent may do now.
#[derive(Debug, Clone)]
pub struct CardView {
    pub card: Card,
    /// How the caller was verified, while that holds.
    pub verified: Option<VerificationMethod>,
    /// The ways the profile accepts.
    pub methods: Vec<VerificationMethod>,
    /// The actions the profile allows that would change something now.
    pub actions: Vec<DeskAction>,
}

/// What the card's page (a GET) shows.
#[derive(Debug)]
pub enum CardPage {
    Shown(Box<CardView>),
    /// No card is open.
    NoneOpen,
    /// The person is no longer one the agent may see.
    Refused(Refusal),
}

/// The open card, read afresh (its opening was audited).
pub async fn card(
    gateway: &Gateway,
    journey: &Journey,
    session: &AgentSession,
) -> Result<AtDesk<CardPage>, StepError> {
    let Some(agent) = agent(gateway, journey, session).await? else {
        return Ok(AtDesk::Ended);
    };
    let Some(dn) = session.person.as_deref() else {
        return Ok(AtDesk::Open(CardPage::NoneOpen));
    };
    let person = match target(gateway, &agent, dn).await? {
        Ok(person) => person,
        Err(refusal) => return Ok(AtDesk::Open(CardPage::Refused(refusal))),
    };
    let now = gateway.now();
    let policy = gateway.directory().policy(&person).await?;
    let card = Card::of(
        &person,
        &policy,
        &gateway.settings().lockout,
        agent.profile.allows(DeskAction::ShowQuestion),
        now,
    );
    let actions = helpdesk::offered(
        &agent.profile,
        &card,
        ResetFlows::of(&gateway.settings().flows),
    );
    Ok(AtDesk::Open(CardPage::Shown(Box::new(CardView {
        verified: session.verification(&gateway.settings().helpdesk, now),
        methods: agent.profile.verification.clone(),
        actions,
        card,
    }))))
}

// ---------------------------------------------------------------- verify

/// What the agent gives to verify the caller.
pub enum Verification {
    /// At the desk: the box "I checked an identity document".
    InPerson { document_checked: bool },
    /// On the phone: the code the caller reads back (`None`: not six
    /// digits).
    PhoneCode(Option<ResetCode>),
    /// The identity step: an identifier and the birth date.
    Identity(super::IdentityInput),
}

impl Verification {
    fn method(&self) -> VerificationMethod {
        match self {
            Verification::InPerson { .. } => VerificationMethod::InPerson,
            Verification::PhoneCode(_) => VerificationMethod::PhoneCode,
            Verification::Identity(_) => VerificationMethod::Identity,
        }
    }
}

/// Why the caller is not verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotVerified {
    /// The profile does not accept this way.
    NotAllowed,
    /// In person: the document box was not ticked.
    DocumentNotChecked,
    /// Phone: the code is wrong (`tries_left` for this code).
    WrongCode { tries_left: u32 },
    /// Phone: no code is pending, it expired or its tries are spent.
    NoCode,
    /// Identity: the identifier names nobody, or someone else.
    NotThePerson,
    /// Identity: the birth date is wrong.
    WrongBirthDate,
    /// Identity: self-service is locked for the person (too many
    /// attempts): verify otherwise, or wait.
    Locked,
    /// No card is open.
    NoCard,
}

/// How a verification ended.
#[derive(Debug)]
pub enum VerifyOutcome {
    /// Verified: the session that says so.
    Verified(Box<AgentSession>),
    NotVerified(NotVerified),
    Refused(Refusal),
}

/// The verification's POST, for the open card's person.
pub async fn verify(
    gateway: &Gateway,
    journey: &Journey,
    session: &AgentSession,
    verification: Verification,
) -> Result<AtDesk<VerifyOutcome>, StepError> {
    let Some(agent) = agent(gateway, journey, session).await? else {
        return Ok(AtDesk::Ended);
    };
    let method = verification.method();
    let mut facts = agent.facts(None);
    facts.verified_by = Some(method.as_str());
    let Some(dn) = session.person.as_deref() else {
        return Ok(AtDesk::Open(VerifyOutcome::NotVerified(
            NotVerified::NoCard,
        )));
    };
    let person = match target(gateway, &agent, dn).await? {
        Ok(person) => person,
        Err(refusal) => {
            gateway.desk_event(
                journey,
                AuditStep::Verify,
                refusal_outcome(refusal),
                Who::Dn(dn),
                facts,
            );
            return Ok(AtDesk::Open(VerifyOutcome::Refused(refusal)));
        }
    };
    let event = |outcome| gateway.desk_event(journey, AuditStep::Verify, outcome, &person, facts);
    if !agent.profile.accepts(method) {
        event(Outcome::NotAllowed);
        return Ok(AtDesk::Open(VerifyOutcome::NotVerified(
            NotVerified::NotAllowed,
        )));
    }
    let checked = match verification {
        Verification::InPerson { document_checked } => {
            if document_checked {
                Ok(())
            } else {
                Err((NotVerified::DocumentNotChecked, Outcome::DocumentNotChecked))
            }
        }
        Verification::PhoneCode(code) => check_phone_code(gateway, &person, code).await?,
        Verification::Identity(input) => {
            let named = match &input.identifier {
                Some(identifier) => {
                    match gateway.directory().find_by_identifier(identifier).await {
                        Ok(found) => found,
                        Err(DirectoryError::Ambiguous) => None,
                        Err(error) => return Err(error.into()),
                    }
                }
                None => None,
            };
            if !named.is_some_and(|named| same_dn(&named.dn, &person.dn)) {
                Err((NotVerified::NotThePerson, Outcome::NotThePerson))
            } else {
                match check_birth_date(gateway, &person, &input.birth_date).await? {
                    BirthDateCheck::Right => Ok(()),
                    BirthDateCheck::Refused(Outcome::Locked) => {
                        Err((NotVerified::Locked, Outcome::Locked))
                    }
                    BirthDateCheck::Refused(outcome) => Err((NotVerified::WrongBirthDate, outcome)),
                }
            }
        }
    };
    match checked {
        Ok(()) => {
            event(Outcome::Verified);
            let mut verified = session.clone();
            verified.verified = Some(Verified {
                dn: person.dn.clone(),
                method,
                at: gateway.now().timestamp(),
            });
            Ok(AtDesk::Open(VerifyOutcome::Verified(Box::new(verified))))
        }
        Err((why, outcome)) => {
            event(outcome);
            Ok(AtDesk::Open(VerifyOutcome::NotVerified(why)))
        }
    }
}

/// Checks the code the caller read back: a try of the pending code spent
/// first (so that parallel guesses cannot pass its tries), then compared
/// with the help desk's own keyed hash; a wrong code counts on the entry
/// as a failed attempt. The self-service lock does not stop it: it may be
/// what the person calls about, and the code's tries bound the guesses.
async fn check_phone_code(
    gateway: &Gateway,
    person: &Person,
    code: Option<ResetCode>,
) -> Result<Result<(), (NotVerified, Outcome)>, StepError> {
    let CodeTry::Spent {
        remaining,
        hash,
        expiry,
    } = gateway.spend_code_try(person).await?
    else {
        return Ok(Err((NotVerified::NoCode, Outcome::NoCodeOrNoTryLeft)));
    };
    let right = code.as_ref().is_some_and(|code| {
        gateway
            .code_key()
            .matches_desk_code(&person.dn, code, &hash)
    });
    if right && expiry.is_some_and(|expiry| expiry > gateway.now()) {
        gateway.clear_code(person).await?;
        return Ok(Ok(()));
    }
    if right {
        return Ok(Err((NotVerified::NoCode, Outcome::ExpiredCode)));
    }
    let outcome = match gateway.record_failure(person).await? {
        LockState::Locked { .. } => Outcome::WrongCodeNowLocked,
        LockState::Open { .. } => Outcome::WrongCode,
    };
    Ok(Err((
        NotVerified::WrongCode {
            tries_left: remaining,
        },
        outcome,
    )))
}

/// How sending the phone code ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneCode {
    /// Mailed to the person's own recovery address (masked on the card).
    Sent,
    /// The profile does not verify by phone.
    NotAllowed,
    /// No recovery address, the cooldown, a stopped account…: the audit
    /// outcome.
    NotSent(Outcome),
    Refused(Refusal),
    NoCard,
}

/// « Envoyer un code » (a POST): a short code to the open card's person's
/// own recovery address, stored on their entry as the help desk's keyed
/// hash (it replaces a pending reset code; neither ever proves the other),
/// valid `helpdesk.code_validity_seconds`, `flows.code_tries` tries, one
/// mail per cooldown.
pub async fn send_phone_code(
    gateway: &Gateway,
    journey: &Journey,
    session: &AgentSession,
) -> Result<AtDesk<PhoneCode>, StepError> {
    let Some(agent) = agent(gateway, journey, session).await? else {
        return Ok(AtDesk::Ended);
    };
    let mut facts = agent.facts(None);
    facts.verified_by = Some(VerificationMethod::PhoneCode.as_str());
    let Some(dn) = session.person.as_deref() else {
        return Ok(AtDesk::Open(PhoneCode::NoCard));
    };
    let person = match target(gateway, &agent, dn).await? {
        Ok(person) => person,
        Err(refusal) => {
            gateway.desk_event(
                journey,
                AuditStep::Verify,
                refusal_outcome(refusal),
                Who::Dn(dn),
                facts,
            );
            return Ok(AtDesk::Open(PhoneCode::Refused(refusal)));
        }
    };
    let event = |outcome| gateway.desk_event(journey, AuditStep::Verify, outcome, &person, facts);
    if !agent.profile.accepts(VerificationMethod::PhoneCode) {
        event(Outcome::NotAllowed);
        return Ok(AtDesk::Open(PhoneCode::NotAllowed));
    }
    let Some(to) = person.recovery_mails.first().cloned() else {
        event(Outcome::NoRecoveryAddress);
        return Ok(AtDesk::Open(PhoneCode::NotSent(Outcome::NoRecoveryAddress)));
    };
    // One mail per cooldown, as every mail the gateway sends a person; but
    // not the standing of self-service: a frozen or locked account is
    // precisely whom the help desk verifies before lifting anything.
    let now = gateway.now();
    let cooldown = std::time::Duration::from_secs(gateway.settings().flows.code_resend_seconds);
    if let crate::cooldown::MailClaim::TooSoon { .. } =
        gateway.claim_mail(&person, cooldown, now).await?
    {
        event(Outcome::Cooldown);
        return Ok(AtDesk::Open(PhoneCode::NotSent(Outcome::Cooldown)));
    }
    let settings = &gateway.settings();
    let code = ResetCode::generate();
    let mail = OutgoingMail::new(
        to,
        journey.visitor.lang,
        MailKind::DeskCode {
            code: code.secret().clone(),
            valid_for: std::time::Duration::from_secs(settings.helpdesk.code_validity_seconds),
        },
    )
    .with_name(person.display_name.clone());
    let Ok(prepared) = gateway.mailer().prepare(mail) else {
        event(Outcome::MailFailed);
        return Ok(AtDesk::Open(PhoneCode::NotSent(Outcome::MailFailed)));
    };
    let stored = Change::SetCode {
        hash: gateway.code_key().hash_desk_code(&person.dn, &code),
        expiry: now + seconds(settings.helpdesk.code_validity_seconds),
        tries: settings.flows.code_tries.max(1),
        sent_at: now,
    };
    // The gateway's own bookkeeping, like the attempts it counts: written
    // by its account whatever `helpdesk.write_as` says.
    gateway
        .update(&person, false, |_| Some((vec![stored.clone()], ())))
        .await?;
    if gateway.mailer().send(prepared, None, None).await.is_err() {
        event(Outcome::MailFailed);
        return Ok(AtDesk::Open(PhoneCode::NotSent(Outcome::MailFailed)));
    }
    event(Outcome::VerificationCodeMailed);
    Ok(AtDesk::Open(PhoneCode::Sent))
}

// ---------------------------------------------------------------- act

/// What an action did.
#[derive(Debug)]
pub enum Done {
    Unlocked,
    Unfrozen,
    QuestionCleared,
    /// A code was mailed to the person's own address.
    CodeSent,
    /// A temporary password was mailed to the person's own address.
    TemporarySent,
    /// A temporary password was written: show it once, never again.
    TemporaryShown(SecretString),
}

/// Why an action was not done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotDone {
    /// The profile does not allow it (or it is no action).
    NotAllowed,
    /// The caller was not verified for this person, or that lapsed.
    NotVerified,
    /// No reason was typed.
    NoReason,
    Refused(Refusal),
    /// The account does not need it (not locked, not frozen, no question).
    NothingToDo,
    /// IT's lock for good, which the profile may not lift.
    ItLock,
    /// The owner froze self-service (« Ce n'était pas moi »): someone else
    /// may know the password, so no lock is lifted before the freeze is.
    Frozen,
    /// The directory refused the write with the agent's own rights.
    Forbidden,
    /// The account may not use self-service now (IT's lock, a freeze, an
    /// end date): a new password would mislead its owner, a reset could not
    /// be used.
    Stopped(crate::standing::Stopped),
    /// The reset was not sent: the audit outcome (no address, the
    /// cooldown, the self-service lock…).
    NotSent(Outcome),
    /// The directory refused the temporary password.
    WriteRefused,
    /// No card is open.
    NoCard,
}

/// How an action ended.
#[derive(Debug)]
pub enum ActOutcome {
    Done(Done),
    NotDone(NotDone),
}

/// An action's POST on the open card's person, for `reason` (`None` when
/// the agent typed none), decided on the entry as it is: the profile, the
/// person within scope, the verification, what the account needs; written
/// through the gateway's guarded operations; mailed to the owner; audited.
pub async fn act(
    gateway: &Gateway,
    journey: &Journey,
    session: &AgentSession,
    action: DeskAction,
    reason: Option<&Reason>,
) -> Result<AtDesk<ActOutcome>, StepError> {
    let Some(agent) = agent(gateway, journey, session).await? else {
        return Ok(AtDesk::Ended);
    };
    let step = step_of(action);
    let verified = session.verification(&gateway.settings().helpdesk, gateway.now());
    let mut facts = agent.facts(reason.map(Reason::as_str));
    facts.verified_by = verified.map(VerificationMethod::as_str);
    let Some(dn) = session.person.as_deref() else {
        return Ok(AtDesk::Open(ActOutcome::NotDone(NotDone::NoCard)));
    };
    let refused = |outcome, why| {
        gateway.desk_event(journey, step, outcome, Who::Dn(dn), facts);
        Ok(AtDesk::Open(ActOutcome::NotDone(why)))
    };
    if !action.acts() || !agent.profile.allows(action) {
        return refused(Outcome::NotAllowed, NotDone::NotAllowed);
    }
    let person = match target(gateway, &agent, dn).await? {
        Ok(person) => person,
        Err(refusal) => return refused(refusal_outcome(refusal), NotDone::Refused(refusal)),
    };
    let event = |outcome| gateway.desk_event(journey, step, outcome, &person, facts);
    if verified.is_none() {
        event(Outcome::NotVerified);
        return Ok(AtDesk::Open(ActOutcome::NotDone(NotDone::NotVerified)));
    }
    if reason.is_none() {
        event(Outcome::FormRefused);
        return Ok(AtDesk::Open(ActOutcome::NotDone(NotDone::NoReason)));
    }
    let writer = agent.writer(gateway);
    let done = match action {
        DeskAction::Unlock | DeskAction::UnlockItLock => {
            unlock(gateway, &agent, &person, writer).await
        }
        DeskAction::Unfreeze => {
            change(gateway, &person, writer, Done::Unfrozen, |fresh| {
                fresh.state.frozen.is_some().then(|| vec![Change::Unfreeze])
            })
            .await
        }
        DeskAction::ClearQuestion => {
            change(gateway, &person, writer, Done::QuestionCleared, |fresh| {
                let set = fresh.state.question.is_some() || fresh.state.answer_hash.is_some();
                set.then(|| vec![Change::ClearSecret])
            })
            .await
        }
        DeskAction::SendCode => send(gateway, journey, &person, writer, false).await,
        DeskAction::SendTemporary => send(gateway, journey, &person, writer, true).await,
        DeskAction::TemporaryOnScreen => temporary_on_screen(gateway, &person, writer).await,
        DeskAction::ShowQuestion | DeskAction::ListStopped => Err(NotDone::NotAllowed),
    };
    let done = match done {
        Ok(done) => done,
        Err(why) => {
            event(not_done_outcome(why));
            return Ok(AtDesk::Open(ActOutcome::NotDone(why)));
        }
    };
    event(done_outcome(action, &done));
    tell_owner(gateway, journey, &agent, &person, action, facts).await;
    Ok(AtDesk::Open(ActOutcome::Done(done)))
}

/// The audit step of `action`.
fn step_of(action: DeskAction) -> AuditStep {
    match action {
        DeskAction::Unlock | DeskAction::UnlockItLock => AuditStep::Unlock,
        DeskAction::Unfreeze => AuditStep::Unfreeze,
        DeskAction::ClearQuestion => AuditStep::ClearQuestion,
        DeskAction::SendCode => AuditStep::SendCode,
        DeskAction::SendTemporary => AuditStep::SendTemporary,
        DeskAction::TemporaryOnScreen => AuditStep::TemporaryOnScreen,
        DeskAction::ShowQuestion => AuditStep::Card,
        DeskAction::ListStopped => AuditStep::ListStopped,
    }
}

fn done_outcome(action: DeskAction, done: &Done) -> Outcome {
    match done {
        Done::Unlocked => Outcome::Unlocked,
        Done::Unfrozen => Outcome::Unfrozen,
        Done::QuestionCleared => Outcome::QuestionCleared,
        Done::CodeSent => Outcome::CodeMailed,
        Done::TemporarySent => Outcome::TemporaryPasswordMailed,
        Done::TemporaryShown(_) => {
            debug_assert_eq!(action, DeskAction::TemporaryOnScreen);
            Outcome::TemporaryShown
        }
    }
}

fn not_done_outcome(why: NotDone) -> Outcome {
    match why {
        NotDone::NotAllowed => Outcome::NotAllowed,
        NotDone::NotVerified => Outcome::NotVerified,
        NotDone::NoReason => Outcome::FormRefused,
        NotDone::Refused(refusal) => refusal_outcome(refusal),
        NotDone::NothingToDo => Outcome::NothingToDo,
        NotDone::ItLock => Outcome::ItLockNotAllowed,
        NotDone::Frozen => Outcome::SelfServiceFrozen,
        NotDone::Forbidden => Outcome::ForbiddenByDirectory,
        NotDone::Stopped(stopped) => crate::steps::stopped_outcome(stopped),
        NotDone::NotSent(outcome) => outcome,
        NotDone::WriteRefused => Outcome::WriteRefused,
        NotDone::NoCard => Outcome::Refused,
    }
}

/// A state change planned from the entry as it is (`None`: nothing to do),
/// written by `writer` through the guarded update.
async fn change(
    gateway: &Gateway,
    person: &Person,
    writer: Writer<'_>,
    done: Done,
    plan: impl Fn(&Person) -> Option<Vec<Change>>,
) -> Result<Done, NotDone> {
    let applied = gateway
        .update_as(person, false, writer, |fresh| {
            Some(match plan(fresh) {
                Some(changes) => (changes, true),
                None => (Vec::new(), false),
            })
        })
        .await;
    match applied {
        Ok(Some(true)) => Ok(done),
        Ok(_) => Err(NotDone::NothingToDo),
        Err(DirectoryError::Forbidden) => Err(NotDone::Forbidden),
        Err(error) => {
            tracing::warn!(%error, "a help-desk change failed");
            Err(NotDone::WriteRefused)
        }
    }
}

/// « Débloquer »: the self-service lock and the failures towards it, and
/// ppolicy's lock; IT's lock for good only where the profile allows it
/// (otherwise nothing is written at all); never while the owner's freeze
/// holds (the password may be someone else's: lift the freeze first, once
/// the caller is known).
async fn unlock(
    gateway: &Gateway,
    agent: &Agent<'_>,
    person: &Person,
    writer: Writer<'_>,
) -> Result<Done, NotDone> {
    let policy = gateway
        .directory()
        .policy(person)
        .await
        .map_err(|_| NotDone::WriteRefused)?;
    let may_lift_it_lock = agent.profile.allows(DeskAction::UnlockItLock);
    let planned = gateway
        .update_as(person, false, writer, |fresh| {
            if fresh.state.frozen.is_some() {
                return Some((Vec::new(), Err(NotDone::Frozen)));
            }
            let mut changes = Vec::new();
            if !fresh.state.failure_times.is_empty() || fresh.state.locked_until.is_some() {
                changes.extend([Change::ClearFailures, Change::RemoveLock(None)]);
            }
            match fresh.ppolicy.lock {
                crate::ppolicy::PpolicyLock::None => {}
                lock if lock.stops_self_service(&policy) && !may_lift_it_lock => {
                    return Some((Vec::new(), Err(NotDone::ItLock)));
                }
                _ => changes.push(Change::ClearPpolicyLock),
            }
            if changes.is_empty() {
                return Some((Vec::new(), Err(NotDone::NothingToDo)));
            }
            Some((changes, Ok(Done::Unlocked)))
        })
        .await;
    match planned {
        Ok(Some(outcome)) => outcome,
        Ok(None) => Err(NotDone::NothingToDo),
        Err(DirectoryError::Forbidden) => Err(NotDone::Forbidden),
        Err(error) => {
            tracing::warn!(%error, "a help-desk unlock failed");
            Err(NotDone::WriteRefused)
        }
    }
}

/// « Envoyer un code » or « Envoyer un mot de passe provisoire »: the
/// public flows' mail, to the person's own recovery address, under the
/// same limits (the self-service lock, the standing, the cooldown).
async fn send(
    gateway: &Gateway,
    journey: &Journey,
    person: &Person,
    writer: Writer<'_>,
    temporary: bool,
) -> Result<Done, NotDone> {
    let to = mailing::desk_target(gateway, person)
        .await
        .map_err(NotDone::NotSent)?;
    let sent = if temporary {
        mailing::send_temporary(gateway, journey, person, to, person.login.clone(), writer)
            .await
            .map(|()| Done::TemporarySent)
    } else {
        mailing::send_code(
            gateway,
            journey,
            person,
            to,
            mailing::CodeStore::Claimed(writer),
        )
        .await
        .map(|()| Done::CodeSent)
    };
    sent.map_err(|outcome| match outcome {
        Outcome::ForbiddenByDirectory => NotDone::Forbidden,
        other => NotDone::NotSent(other),
    })
}

/// A temporary password written into `userPassword` with `pwdReset` (the
/// person must change it at their first sign-in, `/change`; void after
/// `flows.temporary_validity_seconds`, Wi-Fi refusing it meanwhile), only
/// while the account may use self-service on the entry as it is then.
async fn temporary_on_screen(
    gateway: &Gateway,
    person: &Person,
    writer: Writer<'_>,
) -> Result<Done, NotDone> {
    let policy = gateway
        .directory()
        .policy(person)
        .await
        .map_err(|_| NotDone::WriteRefused)?;
    let flows = &gateway.settings().flows;
    let password = crate::temporary_password::generate_for(
        &gateway.site_policy().effective(&policy),
        &gateway.settings().policy.effective(&policy),
        flows.temporary_length,
        &crate::policy::PersonContext::of(person),
    );
    let password = passerelle_text::normalize_password(&password);
    let now = gateway.now();
    let kind = WriteKind::Temporary {
        expires: now + seconds(flows.temporary_validity_seconds),
    };
    let write = PasswordWrite {
        password: &password,
        kind,
        change_id: crate::writing::temporary_change_id(now),
        also: crate::writing::made_obsolete(kind),
        old_password: None,
    };
    let why = std::sync::Mutex::new(None);
    let open = |fresh: &Person, policy: &crate::ppolicy::DirectoryPolicy| {
        let standing = crate::standing::standing(fresh, policy, now);
        if let (Err(stopped), Ok(mut why)) = (standing, why.lock()) {
            *why = Some(stopped);
        }
        Ok(standing.is_ok())
    };
    let written = crate::state::write_unconditionally(gateway, person, &write, open, writer).await;
    match written {
        Ok(true) => Ok(Done::TemporaryShown(password)),
        // The guard refuses only a stopped account.
        Ok(false) => Err(NotDone::Stopped(
            why.into_inner()
                .ok()
                .flatten()
                .unwrap_or(crate::standing::Stopped::ItLock),
        )),
        Err(PasswordWriteError::Directory(DirectoryError::Forbidden)) => Err(NotDone::Forbidden),
        Err(error) => {
            tracing::warn!(%error, "a help-desk temporary password was refused");
            Err(NotDone::WriteRefused)
        }
    }
}

/// Mails the owner what the help desk did, with the « Ce n'était pas moi »
/// link: of the password change for a temporary password written, of the
/// action itself otherwise (it freezes self-service just the same).
/// Audited `owner_mailed`, or `mail_failed` by the mailing step.
async fn tell_owner(
    gateway: &Gateway,
    journey: &Journey,
    agent: &Agent<'_>,
    person: &Person,
    action: DeskAction,
    facts: DeskFacts<'_>,
) {
    let now = gateway.now();
    // After the write: the link binds to the entry as it is now.
    let after = match gateway.directory().read(&person.dn).await {
        Ok(Some(after)) => after,
        Ok(None) => return,
        Err(error) => {
            tracing::warn!(%error, "reading an entry to tell its owner failed");
            return;
        }
    };
    let link = if action == DeskAction::TemporaryOnScreen {
        not_me::link_for(gateway, journey, &after, now)
    } else {
        not_me::link_for_action(gateway, journey, &after, action, now)
    };
    let name_agent = gateway.settings().helpdesk.name_agent_in_mail;
    let kind = MailKind::HelpdeskAction {
        login: after.login.clone(),
        action,
        when: now.fixed_offset(),
        agent: name_agent.then(|| agent.session.name.clone()),
        not_me_url: link,
        not_me_days: gateway.settings().flows.not_me_days,
    };
    if mailing::tell_owner(gateway, journey, &after, kind).await {
        gateway.desk_event(
            journey,
            step_of(action),
            Outcome::OwnerMailed,
            &after,
            facts,
        );
    }
}
