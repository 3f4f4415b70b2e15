//! Passerelle: a self-service password gateway for OpenLDAP.
//!
//! A person who has forgotten their password proves who they are, chooses a
//! new one that obeys the site's rules, and the gateway writes it into the
//! directory in one atomic modify, so that every service that authenticates
//! against LDAP (CAS, Wi-Fi through RADIUS, printing, mail) accepts it at once.
//! The gateway keeps no database: its state lives on the person's entry.
#![forbid(unsafe_code)]

pub mod assemble;
pub mod audit_trail;
pub mod breach_sweep;
pub use passerelle_captcha as captcha;
pub mod check;
pub mod cli;
pub mod config;
pub use config::reference as config_reference;
pub mod demo;
pub use passerelle_ldap as directory;
pub mod healthcheck;
pub mod hooks;
pub mod manual;
pub use passerelle_mail as mail;
pub use passerelle_slapd as slapd;
pub use passerelle_sms as sms;
pub use passerelle_text::i18n;
pub use passerelle_text::safe_text;
pub use passerelle_web::metrics;
pub use passerelle_web::site_texts;
pub mod telemetry;
pub mod texting;
pub mod web;
pub mod wifi;

pub use passerelle_domain::{expiry, flows, policy, reset_code, secret_answer, temporary_password};
