//! One module per page or flow. Flows are split into a GET that shows a
//! step and a POST that checks it; the identity check that opens the
//! flows is shared in `passerelle_domain::flows` and `crate::views`.

pub mod account;
pub mod activate;
pub mod assets;
pub mod captcha;
pub mod change;
pub mod code;
pub mod health;
pub mod helpdesk;
pub mod home;
pub mod identifier;
pub mod not_me;
pub mod recover;
pub mod temporary;
