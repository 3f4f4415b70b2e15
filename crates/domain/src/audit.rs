//! The audit trail as the domain emits it: one typed event per thing that
//! happened in a flow, saying who (login and DN), what (flow, step,
//! outcome), from where (client address, user agent) and which flow
//! instance (a random id). The time and the replica are added where it is
//! written (the binary's recorder, which also counts it in the metrics and
//! logs it). An event never carries a secret: no password, answer, code,
//! token, nor what a person typed as identifier or birth date when it
//! matched nobody.
//!
//! Every step and every outcome is a variant of [`AuditStep`] and
//! [`Outcome`], each declared once with its name in the trail and its
//! meaning; `docs/audit.md` is generated from these declarations
//! ([`reference`]) and a test holds the file equal to it, so an event the
//! code can emit is documented, counted and named alike by construction.

use crate::flow::FlowName;
use crate::person::Person;
use ipnet::IpNet;
use std::net::IpAddr;

/// Declares [`Outcome`]: each variant with its name in the trail, whether it
/// ends its flow having done its work (`ends`) and whether it is a failure
/// that locked self-service (`locks`), and its meaning for `docs/audit.md`.
macro_rules! outcomes {
    ($( $variant:ident = $name:literal [$($flag:ident)*] $meaning:literal, )*) => {
        /// What happened at a step.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Outcome { $( #[doc = $meaning] $variant, )* }

        impl Outcome {
            /// Every outcome, in the order of `docs/audit.md`.
            pub const ALL: &'static [Outcome] = &[ $( Outcome::$variant, )* ];

            /// The outcome's name in the trail and the metrics.
            pub fn name(self) -> &'static str {
                match self { $( Outcome::$variant => $name, )* }
            }

            /// What it means, as `docs/audit.md` says it.
            pub fn meaning(self) -> &'static str {
                match self { $( Outcome::$variant => $meaning, )* }
            }

            /// The flow did what it is for (`passerelle_flows_completed_total`).
            pub fn ends_flow(self) -> bool {
                match self { $( Outcome::$variant => flag!(ends; $($flag)*), )* }
            }

            /// This failure locked self-service for the account
            /// (`passerelle_lockouts_total`).
            pub fn locks(self) -> bool {
                match self { $( Outcome::$variant => flag!(locks; $($flag)*), )* }
            }
        }
    };
}

/// Whether `$want` is among the flags.
macro_rules! flag {
    (ends; ends $($rest:ident)*) => { true };
    (locks; locks $($rest:ident)*) => { true };
    ($want:ident; $other:ident $($rest:ident)*) => { flag!($want; $($rest)*) };
    ($want:ident;) => { false };
}

outcomes! {
    // Identity (identifier + birth date).
    Proved = "proved" [] "Identifier and birth date matched the account.",
    UnknownIdentifier = "unknown_identifier" [] "The identifier matched nobody (what was typed is not recorded).",
    WrongBirthDate = "wrong_birth_date" [] "The birth date did not match; the attempt counts towards the lock.",
    WrongBirthDateNowLocked = "wrong_birth_date_now_locked" [locks] "A wrong birth date that used the last attempt: self-service is locked.",
    Locked = "locked" [] "Refused without checking: self-service is locked for the account.",
    LockedByIt = "locked_by_it" [] "Refused: IT locked the account for good (`pwdAccountLockedTime: 000001010000Z`, or ppolicy's lock under a policy without a lockout duration).",
    SelfServiceFrozen = "self_service_frozen" [] "Refused: the owner disowned a change (« Ce n'était pas moi ») and IT has not lifted the freeze.",
    AccountClosed = "account_closed" [] "Refused: the account is past its end (`pwdEndTime` or `shadowExpire`); nothing written.",
    AccountNotOpenYet = "account_not_open_yet" [] "Refused: the account's `pwdStartTime` is still to come; nothing written.",
    NoQuestion = "no_question" [] "Identity proved, but the account has no secret question (sent to activation).",
    AlreadyActive = "already_active" [] "Activation refused: the account is not marked for activation, or already has a secret question.",
    // Secret question.
    Answered = "answered" [] "The secret answer was right.",
    WrongAnswer = "wrong_answer" [] "The secret answer was wrong; the attempt counts.",
    WrongAnswerNowLocked = "wrong_answer_now_locked" [locks] "A wrong answer that used the last attempt: locked.",
    Chosen = "chosen" [] "A secret question and answer were chosen (activation; saved with the password).",
    NotSaved = "not_saved" [] "Activation could not save the secret question (kept for older records; activation now writes both in one modify).",
    Activated = "activated" [ends] "Activation complete: password, secret question and the end of the activation mark written in one modify.",
    QuestionChanged = "question_changed" [ends] "The signed-in person changed their secret question.",
    // Sign-in.
    UnknownLogin = "unknown_login" [] "The login (or address) matched nobody.",
    WrongPassword = "wrong_password" [] "The current or temporary password was wrong; the attempt counts.",
    WrongPasswordNowLocked = "wrong_password_now_locked" [locks] "A wrong password that used the last attempt: locked.",
    LockedByDirectory = "locked_by_directory" [] "The directory's password policy says the account is locked.",
    SignedIn = "signed_in" [] "Signed in to account management.",
    PasswordProved = "password_proved" [] "Signed in to the forced change with the current password.",
    TemporaryPassword = "temporary_password" [] "Signed in with a temporary password at account management: sent to the forced change.",
    TemporaryPasswordProved = "temporary_password_proved" [] "Signed in to the forced change with a temporary password.",
    ExpiredPasswordProved = "expired_password_proved" [] "Signed in with a password the directory says has expired.",
    TemporaryPasswordExpired = "temporary_password_expired" [] "The temporary password was right but has expired.",
    SignedOut = "signed_out" [] "Signed out of account management.",
    SessionEnded = "session_ended" [] "An open session was ended: the password changed since the sign-in, or the account may no longer use self-service; at the help desk also the agent left their profile's group, the directory locked the agent or their password expired or must be changed, or the profile is gone.",
    // Mails a visitor asks for.
    Submitted = "submitted" [] "The address or identifier was taken (the page is the same whoever it names).",
    Requested = "requested" [] "A new code was asked for.",
    TooSoon = "too_soon" [] "A new code was asked for within the resend cooldown.",
    UnknownAddress = "unknown_address" [] "The address or identifier matched nobody; no mail.",
    NoRecoveryAddress = "no_recovery_address" [] "The account has no recovery address; no mail.",
    Cooldown = "cooldown" [] "No mail: one went to this account within the cooldown.",
    CodeMailed = "code_mailed" [] "A code was stored and its mail queued.",
    TemporaryPasswordMailed = "temporary_password_mailed" [ends] "A temporary password was stored and its mail queued.",
    LoginMailed = "login_mailed" [ends] "The login reminder was queued to the recovery address.",
    MailFailed = "mail_failed" [] "The mail could not be composed or queued; nothing was stored.",
    WriteRefused = "write_refused" [] "The temporary password could not be stored; no mail.",
    // E-mailed code.
    CaptchaFailed = "captcha_failed" [] "The captcha text was wrong.",
    CodeRight = "code_right" [] "The e-mailed code was right (and is now spent).",
    WrongCode = "wrong_code" [] "The code was wrong; the attempt counts and a try is spent.",
    WrongCodeNowLocked = "wrong_code_now_locked" [locks] "A wrong code that used the last attempt: locked.",
    ExpiredCode = "expired_code" [] "The code was right but has expired.",
    NoCodeOrNoTryLeft = "no_code_or_no_try_left" [] "No code is pending, or its tries are used up.",
    LinkExpired = "link_expired" [] "The mail's link is past its validity.",
    LinkSuperseded = "link_superseded" [] "The mail's link carries a code the entry no longer holds (a newer code was sent, or it was used): refused, no failure counted (a link the gateway sealed is no guess).",
    // New password.
    Changed = "changed" [ends] "The new password was written (one atomic modify).",
    FormRefused = "form_refused" [] "The form was refused (a rule not met, fields missing); nothing written.",
    WrongCurrentPassword = "wrong_current_password" [] "At the forced change, the current password asked again was wrong.",
    WrongCurrentPasswordNowLocked = "wrong_current_password_now_locked" [locks] "The same, using the last attempt: locked.",
    Replayed = "replayed" [] "A new-password form posted again after the password had changed (an old copy of the flow); nothing written.",
    ChangedMeanwhile = "changed_meanwhile" [] "The password changed between the proof and this write (another tab, flow or replica won): the directory refused the write, nothing written, the person told.",
    AlreadyWritten = "already_written" [] "The same new-password form, with the same password, posted twice (a double click, or two replicas): the other submission wrote it (the entry's `passerelleChangeId` names this flow and this password), so this one shows the success and writes nothing.",
    RefusedByDirectory = "refused_by_directory" [] "The directory's password policy refused the new password (history, quality).",
    OldPasswordRequired = "old_password_required" [] "The person's password policy has `pwdSafeModify`: a reset cannot supply the old password, so nothing was written and the person was told to contact the help desk.",
    DirectoryError = "directory_error" [] "The directory failed; nothing was decided.",
    ReplicasConfirmed = "replicas_confirmed" [] "Every replica of `ldap.replica_urls` accepts the new password.",
    ReplicaLagging = "replica_lagging" [] "Some replica did not accept the new password within `ldap.replica_wait_seconds` (the page says Wi-Fi may take a minute).",
    RadiusConfirmed = "radius_confirmed" [] "The site's RADIUS server (`[radius]`) accepted the new password, asked once: the page says Wi-Fi accepts it.",
    RadiusRefused = "radius_refused" [] "The site's RADIUS server refused the new password, asked once and never again (it reads a replica that is behind, a cache or another attribute): the page says Wi-Fi may take a minute.",
    RadiusLagging = "radius_lagging" [] "No genuine answer from the site's RADIUS server within `radius.timeout_seconds` (down, unreachable, a shared secret that differs, or an answer that proves nothing): the page says Wi-Fi may take a minute.",
    // Mail delivery.
    MailDeferred = "mail_deferred" [] "A mail's delivery failed and will be retried.",
    MailSentAfterRetry = "mail_sent_after_retry" [] "A mail was delivered after failed attempts.",
    MailGivenUp = "mail_given_up" [] "A mail was given up: a permanent refusal, `mail.give_up_after_seconds` passed since it was accepted, or `mail.max_attempts` reached.",
    MailResumed = "mail_resumed" [] "A mail accepted before the gateway stopped was found in its spool at start and sent on its way again.",
    // « Ce n'était pas moi ».
    Frozen = "frozen" [ends locks] "The owner disowned the change: self-service is frozen for the account until IT lifts it.",
    AlreadyUsed = "already_used" [] "The « Ce n'était pas moi » link was used already (this change is disowned).",
    Superseded = "superseded" [] "The « Ce n'était pas moi » link names a change the password has since moved on from; nothing frozen.",
    LinkInvalid = "link_invalid" [] "The « Ce n'était pas moi » link was altered, expired, or its entry is gone.",
    HelpdeskMailed = "helpdesk_mailed" [] "The help desk was mailed the audit facts of a disowned change.",
    NoHelpdeskAddress = "no_helpdesk_address" [] "A change was disowned but the site has no help-desk address to alert.",
    // The help desk (`flow` helpdesk; the agent in `agent`, `agent_dn` and `profile`).
    AgentSignedIn = "agent_signed_in" [] "An agent signed in to the help desk, under the profile in `profile`.",
    NotAnAgent = "not_an_agent" [] "A help-desk sign-in with the right password by an account in no profile's group: refused.",
    AgentMustChangePassword = "agent_must_change_password" [] "A help-desk sign-in with a temporary or expired password: refused until the agent changes it.",
    SessionMoved = "session_moved" [] "A help-desk session was used from another client address than its sign-in's: ended.",
    SessionTooOld = "session_too_old" [] "A help-desk session reached `helpdesk.session_seconds` since its sign-in: ended.",
    Searched = "searched" [] "An agent searched their scope; what they typed is in `query`.",
    CardViewed = "card_viewed" [] "An agent opened a person's card.",
    OutOfScope = "out_of_scope" [] "The person is outside the agent's profile (its scope, or `helpdesk.exclusion_filter`), or gone: nothing shown, nothing done.",
    Oneself = "oneself" [] "An agent asked to act on their own account: refused.",
    TargetIsAgent = "target_is_agent" [] "An agent asked to act on a help-desk agent: refused.",
    NotAllowed = "not_allowed" [] "The agent's profile does not allow this action or this way of verifying a caller: refused.",
    NotVerified = "not_verified" [] "An action before the caller was verified, or after the verification lapsed (`helpdesk.verification_seconds`): refused.",
    VerificationCodeMailed = "verification_code_mailed" [] "A phone verification code was stored on the person's entry and mailed to their own recovery address.",
    Verified = "verified" [] "The caller was verified, by the method in `verified_by`.",
    NotThePerson = "not_the_person" [] "The identifier given to verify a caller names nobody or another person than the card's: not verified.",
    DocumentNotChecked = "document_not_checked" [] "An in-person verification without the identity document checked: not verified.",
    Unlocked = "unlocked" [] "The help desk lifted the self-service lock and ppolicy's lock (IT's lock for good too when the profile allows it).",
    Unfrozen = "unfrozen" [] "The help desk lifted a « Ce n'était pas moi » freeze.",
    QuestionCleared = "question_cleared" [] "The help desk cleared the secret question and its answer.",
    TemporaryShown = "temporary_shown" [] "The help desk wrote a temporary password (to be changed at the first sign-in) and showed it once on the agent's screen.",
    NothingToDo = "nothing_to_do" [] "The account did not need the action (not locked, not frozen, no question): nothing written.",
    ItLockNotAllowed = "it_lock_not_allowed" [] "The account is under IT's lock for good and the agent's profile does not allow lifting it: nothing written.",
    ForbiddenByDirectory = "forbidden_by_directory" [] "The directory refused the help desk's write with the agent's own rights (proxied authorization, rc 50 or 123): nothing written, the agent told.",
    OwnerMailed = "owner_mailed" [] "The account's owner was mailed what the help desk did, with the « Ce n'était pas moi » link.",
    Listed = "listed" [] "An agent listed the accounts of their scope that are frozen or locked.",
    // Hooks after a password write.
    WebhookDelivered = "webhook_delivered" [] "The change webhook was answered with success.",
    WebhookRefused = "webhook_refused" [] "The change webhook answered with a refusal (4xx); not retried.",
    WebhookFailed = "webhook_failed" [] "The change webhook could not be delivered after its attempts.",
    CommandSucceeded = "command_succeeded" [] "The change command exited with success.",
    CommandFailed = "command_failed" [] "The change command could not start or exited with a failure.",
    CommandTimedOut = "command_timed_out" [] "The change command was stopped at `hooks.command_timeout_seconds`.",
    HooksBusy = "hooks_busy" [] "Too many hook runs were pending: this change's hooks were skipped.",
    // SMS (issue 21).
    SmsSent = "sms_sent" [] "A code was stored and its SMS handed to the SMS gateway.",
    SmsFailed = "sms_failed" [] "An SMS could not be handed to the SMS gateway (refused, unanswered, or too long); a code stored with it is never received and expires.",
    NoMobile = "no_mobile" [] "The account has no mobile on file; no SMS.",
    UnusableMobile = "unusable_mobile" [] "The account's number is no mobile a code may be sent to (a landline, a premium-rate or invalid number); no SMS.",
    SmsCooldown = "sms_cooldown" [] "No SMS: one went to this account less than `flows.sms_resend_seconds` ago.",
    SmsDailyCap = "sms_daily_cap" [] "No SMS: `flows.sms_daily_max` went to this account within 24 hours.",
    SmsNumberCap = "sms_number_cap" [] "No SMS: `flows.sms_daily_max` went to this number within 24 hours, whichever accounts hold it (per replica).",
    SmsAddressLimit = "sms_address_limit" [] "Refused before anything was looked up: this client's address (an IPv6 client's /64) asked for `flows.sms_per_address_per_hour` SMS within the hour.",
    SmsCeiling = "sms_ceiling" [] "Refused: the site's ceiling of `flows.sms_per_minute` SMS a minute (per replica) was reached.",
    NoChannel = "no_channel" [] "Identity proved, but the account has neither a mobile nor a recovery address a code may be sent to.",
    // Own recovery data (issue 21).
    RecoveryCodeSent = "recovery_code_sent" [] "A code was sent to a new recovery address or mobile, to be typed back before it is written.",
    RecoveryVerified = "recovery_verified" [] "The code sent to a new recovery value was typed back (activation: the value is written with the password).",
    RecoveryCodeUsed = "recovery_code_used" [] "A code sent to a new recovery value that was already confirmed came back again (a replayed form or an old copy of the cookie): refused, nothing written.",
    InvalidNumber = "invalid_number" [] "The mobile typed is no mobile a code may be sent to (a landline, a premium-rate or invalid number); nothing sent.",
    InvalidAddress = "invalid_address" [] "The recovery address typed is no usable address (or is the institutional one); nothing sent.",
    RecoveryMailChanged = "recovery_mail_changed" [ends] "The person's recovery address was set or changed, after a code sent to it was typed back.",
    RecoveryMailRemoved = "recovery_mail_removed" [ends] "The person removed their recovery address.",
    MobileChanged = "mobile_changed" [ends] "The person's mobile was set or changed, after a code sent to it was typed back.",
    MobileRemoved = "mobile_removed" [ends] "The person removed their mobile.",
    ProofTooOld = "proof_too_old" [] "A recovery change came back more than `flows.recovery_proof_seconds` after its proof of the current password; nothing written.",
    NoticeMailed = "notice_mailed" [] "The notice of a changed recovery factor (question, address, mobile) was queued to the owner's addresses, with the « Ce n'était pas moi » link.",
    NoticeTexted = "notice_texted" [] "The notice of a changed or removed mobile was sent by SMS to the old number.",
    NoNoticeChannel = "no_notice_channel" [] "A recovery factor changed but the account has no address to notify.",
    // Refused submissions.
    RefusedExpired = "refused_expired" [] "A submission without a valid flow cookie (expired, or none).",
    RefusedCsrf = "refused_csrf" [] "A submission with a wrong CSRF token.",
    RefusedCrossSite = "refused_cross_site" [] "A submission that another site's page sent (`Origin` or `Sec-Fetch-Site` names another site).",
    RefusedReplayOrSkippedStep = "refused_replay_or_skipped_step" [] "A step posted twice, or before the step it follows (at the help desk: a form posted twice, or without a signed-in session).",
    Refused = "refused" [] "A submission refused for another reason.",
}

/// Declares [`AuditStep`]: each variant with its name in the trail, the
/// flows it occurs in and what it covers.
macro_rules! audit_steps {
    ($( $variant:ident = $name:literal, $flows:literal, $what:literal; )*) => {
        /// The step of a flow an audit record names.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum AuditStep { $( #[doc = $what] $variant, )* }

        impl AuditStep {
            /// Every step, in the order of `docs/audit.md`.
            pub const ALL: &'static [AuditStep] = &[ $( AuditStep::$variant, )* ];

            /// The step's name in the trail.
            pub fn name(self) -> &'static str {
                match self { $( AuditStep::$variant => $name, )* }
            }

            /// The flows it occurs in, and what it covers.
            pub fn describe(self) -> (&'static str, &'static str) {
                match self { $( AuditStep::$variant => ($flows, $what), )* }
            }

            /// Whether the step belongs to `flow` by name (the list of
            /// [`AuditStep::describe`]). The steps of "every flow that
            /// mails" or "writes" (`mail`, `hook`) are no flow's own.
            pub fn occurs_in(self, flow: FlowName) -> bool {
                self.describe()
                    .0
                    .split(", ")
                    .any(|name| name == flow.as_str())
            }
        }
    };
}

audit_steps! {
    Identity = "identity", "recover, identifier, activate, sms", "identifier + birth date; for `identifier`, also the login mail";
    Question = "question", "recover, activate, account", "the secret question answered, chosen or changed";
    Login = "login", "account, change, helpdesk", "login + current or temporary password; at the help desk, the agent's sign-in and session";
    Logout = "logout", "account, helpdesk", "signing out";
    Password = "password", "recover, code, activate, account, change, sms", "the new password checked and written";
    Address = "address", "code", "the address (and captcha) submitted";
    Request = "request", "temporary", "the identifier or address (and captcha) submitted";
    SendCode = "send_code", "code, sms, helpdesk", "the code mail, decided off the request path (at the help desk: the agent's « send a code »)";
    SendTemporary = "send_temporary", "temporary, helpdesk", "the temporary-password mail, decided off the request path (at the help desk: the agent's « send a temporary password »)";
    Code = "code", "code, sms", "the code typed";
    Link = "link", "code", "the code carried by the mail's link";
    Resend = "resend", "code, sms", "a new code asked for";
    Mail = "mail", "every flow that mails", "the delivery of a mail queued earlier";
    NotMe = "not_me", "not_me", "« Ce n'était pas moi »: the owner disowns a password change";
    Hook = "hook", "every flow that writes a password", "the hooks run after a password write (`[hooks]`)";
    Channel = "channel", "sms", "the way to send the code chosen once identity is proved (masked mobile or address)";
    SendSms = "send_sms", "sms, code", "an SMS code: the limits, the code stored, the SMS handed to the gateway";
    Recovery = "recovery", "account, activate", "a recovery address or mobile: the code sent to the new value and typed back, the value written or removed";
    Notice = "notice", "account, activate", "the notice of a changed recovery factor to the old value and the institutional address";
    Search = "search", "helpdesk", "a search of the agent's scope";
    Card = "card", "helpdesk", "a person's card opened";
    Verify = "verify", "helpdesk", "the caller verified (in person, phone code, identity)";
    Unlock = "unlock", "helpdesk", "the self-service and ppolicy locks lifted";
    Unfreeze = "unfreeze", "helpdesk", "a « Ce n'était pas moi » freeze lifted";
    ClearQuestion = "clear_question", "helpdesk", "the secret question cleared";
    TemporaryOnScreen = "temporary_on_screen", "helpdesk", "a temporary password written and shown once to the agent";
    ListStopped = "list_stopped", "helpdesk", "the frozen or locked accounts of the agent's scope listed";
    Desk = "desk", "helpdesk", "a help-desk form refused before any step saw it";
}

/// Who is asking, as far as the gateway can tell: the client's address
/// (after trusted proxies), the network the per-address limits count for
/// it, and user agent, and the language of the pages and mails they get;
/// and, for a request of the JSON API, the name of the client whose token
/// it carried.
#[derive(Debug, Clone)]
pub struct Visitor {
    pub address: IpAddr,
    /// What every per-address limit counts for this client
    /// ([`client_network`]): the IPv4 address itself, or the IPv6
    /// address's network of `server.rate_limit_ipv6_prefix` bits (a /64 by
    /// default), since one subscriber may use any address of their /64.
    pub network: IpNet,
    /// Already bounded and free of control characters.
    pub user_agent: String,
    pub lang: passerelle_text::Lang,
    /// The API client's name (`api.clients`), as configured; `None` for
    /// the pages.
    pub api_client: Option<String>,
}

/// The prefix of an IPv6 client's network when nothing else is configured
/// (`server.rate_limit_ipv6_prefix`): a subscriber's /64.
pub const DEFAULT_IPV6_PREFIX: u8 = 64;

/// What the per-address limits count for a client at `address`: an IPv4
/// address alone (a /32), an IPv6 address's network of `ipv6_prefix` bits
/// (clamped to 0..=128), its host bits cleared. An IPv4-mapped IPv6
/// address (`::ffff:192.0.2.1`) is the IPv4 address it maps.
pub fn client_network(address: IpAddr, ipv6_prefix: u8) -> IpNet {
    match address.to_canonical() {
        IpAddr::V4(v4) => IpNet::V4(ipnet::Ipv4Net::from(v4)),
        IpAddr::V6(v6) => ipnet::Ipv6Net::new(v6, ipv6_prefix.min(128))
            .map(|net| IpNet::V6(net.trunc()))
            .unwrap_or_else(|_| IpNet::from(IpAddr::V6(v6))),
    }
}

/// Whose account an event concerns, as far as the step knows.
#[derive(Debug, Clone, Copy)]
pub enum Who<'a> {
    /// Nobody matched (what was typed is not recorded).
    Nobody,
    /// The login only.
    Login(&'a str),
    /// The entry only (a flow cookie names it).
    Dn(&'a str),
    /// The person: login and entry.
    Person(&'a Person),
}

impl<'a> From<&'a Person> for Who<'a> {
    fn from(person: &'a Person) -> Who<'a> {
        Who::Person(person)
    }
}

impl<'a> From<Option<&'a str>> for Who<'a> {
    fn from(login: Option<&'a str>) -> Who<'a> {
        login.map_or(Who::Nobody, Who::Login)
    }
}

/// One event, as a step reports it.
#[derive(Debug, Clone, Copy)]
pub struct AuditEvent<'a> {
    pub flow: FlowName,
    /// The flow instance, `-` when a refused submission had none.
    pub flow_id: &'a str,
    pub step: AuditStep,
    pub outcome: Outcome,
    /// The account the event concerns (at the help desk: the person the
    /// agent acted on; the agent themselves at the sign-in).
    pub who: Who<'a>,
    pub visitor: &'a Visitor,
    /// At the help desk: who acted, under which profile, why and how the
    /// caller was verified.
    pub desk: Option<DeskFacts<'a>>,
}

/// What the audit trail records of a help-desk event besides the account:
/// the agent (whose address is the visitor's), their profile, the reason
/// they typed for an action, how the caller was verified, and what they
/// searched for.
#[derive(Debug, Clone, Copy, Default)]
pub struct DeskFacts<'a> {
    pub agent_login: &'a str,
    pub agent_dn: &'a str,
    pub profile: &'a str,
    pub reason: Option<&'a str>,
    pub verified_by: Option<&'a str>,
    pub query: Option<&'a str>,
}

/// Where the domain's events go: the binary's recorder writes the trail,
/// counts the metrics and logs each event.
pub trait AuditSink: Send + Sync {
    /// Records one event.
    fn record(&self, event: &AuditEvent<'_>);
    /// Counts a flow's first page (no record: nobody is named yet).
    fn flow_started(&self, flow: FlowName);
    /// Opens the output again under its name (logrotate, on SIGHUP).
    fn reopen(&self) {}
    /// Puts what was recorded on disk (on shutdown).
    fn flush(&self) {}
}

/// Whether `outcome` ends `flow` having done its work. Activation writes
/// the password, then records `activated`: it is `activated` that ends it,
/// not the `changed` before.
pub fn ends(outcome: Outcome, flow: FlowName) -> bool {
    outcome.ends_flow() && !(flow == FlowName::Activate && outcome == Outcome::Changed)
}

/// The steps and outcomes sections of `docs/audit.md`, as Markdown tables,
/// generated from the declarations above.
pub fn reference() -> String {
    let mut out = String::from("## Steps\n\n| step | flows | what |\n|---|---|---|\n");
    for step in AuditStep::ALL {
        let (flows, what) = step.describe();
        out.push_str(&format!("| `{}` | {flows} | {what} |\n", step.name()));
    }
    out.push_str(
        "\n## Outcomes\n\n\"Ends\" marks the outcomes counted in `passerelle_flows_completed_total`\n\
         (the flow did what it is for; for `activate` it is `activated`, not the\n\
         `changed` before it). \"Locks\" marks the outcomes that locked self-service\n\
         for the account, counted in `passerelle_lockouts_total`. This section is\n\
         generated from the gateway's own list of outcomes (`passerelle\n\
         audit-reference`), and a test holds the two equal: the gateway cannot\n\
         record an outcome this table does not explain.\n\n\
         | outcome | meaning | ends | locks |\n|---|---|---|---|\n",
    );
    let yes = |b: bool| if b { "yes" } else { "" };
    for outcome in Outcome::ALL {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            outcome.name(),
            outcome.meaning(),
            yes(outcome.ends_flow()),
            yes(outcome.locks())
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_outcome_and_step_has_one_name_of_the_trail_s_form() {
        let names: HashSet<_> = Outcome::ALL.iter().map(|o| o.name()).collect();
        assert_eq!(names.len(), Outcome::ALL.len(), "two outcomes share a name");
        let steps: HashSet<_> = AuditStep::ALL.iter().map(|s| s.name()).collect();
        assert_eq!(steps.len(), AuditStep::ALL.len());
        for name in names.iter().chain(steps.iter()) {
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{name}"
            );
        }
        for outcome in Outcome::ALL {
            assert!(outcome.meaning().ends_with('.'), "{}", outcome.name());
        }
    }

    #[test]
    fn a_freeze_ends_its_flow_and_counts_as_a_lock() {
        assert!(Outcome::Frozen.ends_flow());
        assert!(Outcome::Frozen.locks());
        assert!(!Outcome::WrongAnswer.locks());
        assert!(ends(Outcome::Activated, FlowName::Activate));
        assert!(!ends(Outcome::Changed, FlowName::Activate));
        assert!(ends(Outcome::Changed, FlowName::Recover));
    }
}
