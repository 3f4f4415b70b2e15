//! The domain of Passerelle: who a person is, whether an attempt counts,
//! what is written and what is mailed. Nothing here knows HTTP or LDAP:
//! the steps take typed values and return typed outcomes; the directory,
//! the mailer, the hooks and the clock are reached through the interfaces
//! this crate owns, which the adapters implement.
#![forbid(unsafe_code)]

pub mod audit;
pub mod breach_sweep;
pub mod cooldown;
pub mod dn;
mod entry_locks;
pub mod expiry;
pub mod floor;
pub mod flow;
pub mod flows;
pub mod gateway;
pub mod generalized_time;
pub mod helpdesk;
pub mod identity;
pub mod lockout;
pub mod mail;
pub mod nthash;
pub mod person;
pub mod policy;
pub mod ports;
pub mod ppolicy;
pub mod reset_code;
pub mod secret_answer;
pub mod settings;
pub mod sms;
pub mod standing;
pub mod state;
pub mod steps;
pub mod temporary_password;
#[cfg(test)]
pub(crate) mod testing;
pub mod writing;

pub use gateway::{Adapters, Gateway, GatewaySettings, Journey, Proof, StepError};
