//! The domain of Passerelle: who a person is, whether an attempt counts,
//! what is written and what is mailed. Nothing here knows HTTP or LDAP:
//! the steps take typed values and return typed outcomes; the directory,
//! the mailer, the hooks and the clock are reached through the interfaces
//! this crate owns, which the adapters implement.
#![forbid(unsafe_code)]

pub mod generalized_time;
pub mod identity;
pub mod nthash;
pub mod person;
pub mod policy;
pub mod ppolicy;
pub mod reset_code;
pub mod secret_answer;
pub mod temporary_password;
