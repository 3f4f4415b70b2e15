//! The rules that apply to a person named by a caller, and a candidate
//! password checked against them, with the person's own data counted
//! (their login and names, as zxcvbn and the "not your login" rules see
//! them): what the new-password page shows and ticks, for a caller that
//! names the person instead of proving them (the JSON API, for a portal
//! whose users are signed in to it). Nothing is written or counted, and
//! the verdict is the one the write would apply
//! ([`new_password::rules_for`], [`new_password::check`]), but for the
//! birth date, which proves identity elsewhere and is left out of what a
//! caller who has proved nothing can test (the write still counts it).

use crate::gateway::{Gateway, LookUp, StepError};
use crate::person::Person;
use crate::policy::{PasswordPolicy, PersonContext, Verdict};
use crate::steps::new_password::{self, NewPassword, Problem};
use passerelle_text::Lang;
use secrecy::SecretString;

/// A person's effective rules and what the checklist knows of them.
pub struct PersonRules {
    pub rules: PasswordPolicy,
    pub context: PersonContext<'static>,
}

/// A candidate checked against a person's rules: the verdict of each rule
/// and each problem explained in `lang`.
pub struct Checked {
    pub rules: PasswordPolicy,
    pub verdict: Verdict,
    pub problems: Vec<Problem>,
}

/// The person `login` names: any configured identifier, never an address
/// (the answer tells the login, which the pages never show for an address).
async fn named(gateway: &Gateway, login: &str) -> Result<Option<Person>, StepError> {
    Ok(gateway.find_named(login, LookUp::IdentifierOnly).await?)
}

/// The rules of the person `login` names (any configured identifier);
/// `None` when it names nobody.
pub async fn of(gateway: &Gateway, login: &str) -> Result<Option<PersonRules>, StepError> {
    let Some(person) = named(gateway, login).await? else {
        return Ok(None);
    };
    Ok(Some(PersonRules {
        rules: new_password::rules_for(gateway, &person).await?,
        context: PersonContext::of(&person),
    }))
}

/// `candidate` checked against the rules of the person `login` names, as
/// the new-password step checks it (confirmation and checkbox aside);
/// `None` when it names nobody.
pub async fn check(
    gateway: &Gateway,
    login: &str,
    candidate: &SecretString,
    lang: Lang,
) -> Result<Option<Checked>, StepError> {
    let Some(mut person) = named(gateway, login).await? else {
        return Ok(None);
    };
    // The birth date proves identity in /recover, /activate and at the
    // help desk: a verdict or a zxcvbn score that counted it would tell a
    // caller who merely names the person which date is theirs (the date
    // itself scores 0, any other 1), one uncounted request per guess. The
    // write, after a proof, still counts it.
    person.birth_date = None;
    let rules = new_password::rules_for(gateway, &person).await?;
    let form = NewPassword {
        password: candidate,
        confirm: candidate,
        rules_accepted: true,
        current: None,
    };
    let (verdict, problems) = new_password::check(gateway, &rules, lang, &person, &form);
    Ok(Some(Checked {
        rules,
        verdict,
        problems,
    }))
}
