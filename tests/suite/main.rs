//! Every integration test in one binary (linking one test binary instead
//! of one per file is what dominated the suite's time). Each module is one
//! area; the support modules start the real parts they run against: a
//! throwaway slapd from `config/ldap`, an SMTP sink, FreeRADIUS, the gateway.
#![allow(clippy::duplicate_mod)]

#[path = "../support/app.rs"]
mod app;
#[path = "../support/directory_support.rs"]
mod directory_support;
#[path = "../support/logs.rs"]
mod logs;
#[path = "../support/radius.rs"]
mod radius;
#[path = "../support/sms_gateway.rs"]
mod sms_gateway;
#[path = "../support/smtp.rs"]
mod smtp;

mod account_states;
mod api;
mod audit_trail;
mod breach_sweep;
mod breached_passwords;
mod captcha;
mod captcha_audio;
mod check;
mod cli;
mod config;
mod config_reference;
mod cross_site;
mod debian_package;
mod directory;
mod directory_policy;
mod directory_state;
mod docker_files;
mod english_pages;
mod expiry_notices;
mod faults;
mod helpdesk;
mod hooks;
mod identifiers;
mod ipv6_clients;
mod mail;
mod mail_safety;
mod mail_spool;
mod metrics;
mod not_me;
mod policy_presets;
mod policy_vectors;
mod post_redirect_get;
mod presets_layer;
mod presets_pages;
mod properties;
mod proxies;
mod replication;
mod sameness_under_load;
mod secret_answers;
mod shutdown;
mod site_recipe;
mod slapd_bootstrap;
mod success_only_stored;
mod systemd_unit;
mod timing_email_flows;
mod unicode_passwords;
mod web_account;
mod web_activate;
mod web_change;
mod web_code;
mod web_recover;
mod web_recovery;
mod web_security;
mod web_sms;
mod web_temporary;
mod wifi;
mod wifi_confirmed;
