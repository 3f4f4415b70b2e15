//! The languages every text of the gateway exists in.
//!
//! Adding a language is one line of [`languages!`] below plus its folder
//! `locales/<code>/` (the same files as `locales/fr/`): the enum, the
//! switcher, the negotiation, the catalogues and the completeness test all
//! follow from the line.

use serde::{Deserialize, Serialize};

/// Which way a language's lines run, for `<html dir>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    /// The value of the HTML `dir` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// The Fluent files of one language, compiled into the binary.
#[derive(Debug, Clone, Copy)]
pub struct Sources {
    /// `(file name, text)` of everything the pages and mails say.
    pub ui: [(&'static str, &'static str); 6],
    /// `policy.ftl`: the policy engine's words (read by the domain).
    pub policy: &'static str,
}

macro_rules! languages {
    ($(
        $(#[$attr:meta])*
        $variant:ident = $code:literal, $name:literal, $dir:ident, $date:literal;
    )*) => {
        /// A language of the pages, mails and policy texts. French is the
        /// default, as in the seeds.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize)]
        pub enum Lang {
            $(
                $(#[$attr])*
                #[serde(rename = $code)]
                $variant,
            )*
        }

        impl Lang {
            /// Every language the texts exist in, in the switcher's order.
            pub const ALL: &'static [Lang] = &[$(Lang::$variant),*];

            /// The BCP 47 code (`fr`, `en`, `zh-Hans`): the folder under
            /// `locales/`, `<html lang>`, the `lang` cookie.
            pub fn code(self) -> &'static str {
                match self {
                    $(Lang::$variant => $code,)*
                }
            }

            /// The language's name in itself, as the switcher shows it.
            pub fn native_name(self) -> &'static str {
                match self {
                    $(Lang::$variant => $name,)*
                }
            }

            /// Which way its lines run.
            pub fn direction(self) -> Direction {
                match self {
                    $(Lang::$variant => Direction::$dir,)*
                }
            }

            /// How a date reads in it (a chrono format).
            pub fn date_format(self) -> &'static str {
                match self {
                    $(Lang::$variant => $date,)*
                }
            }

            /// How a date and time read in it (a chrono format).
            pub fn date_time_format(self) -> &'static str {
                match self {
                    $(Lang::$variant => concat!($date, " %H:%M"),)*
                }
            }

            /// Its Fluent files.
            pub fn sources(self) -> Sources {
                match self {
                    $(Lang::$variant => Sources {
                        ui: [
                            ("ui.ftl", include_str!(concat!("../../../locales/", $code, "/ui.ftl"))),
                            ("captcha.ftl", include_str!(concat!("../../../locales/", $code, "/captcha.ftl"))),
                            ("account.ftl", include_str!(concat!("../../../locales/", $code, "/account.ftl"))),
                            ("email_flows.ftl", include_str!(concat!("../../../locales/", $code, "/email_flows.ftl"))),
                            ("presets.ftl", include_str!(concat!("../../../locales/", $code, "/presets.ftl"))),
                            ("mail.ftl", include_str!(concat!("../../../locales/", $code, "/mail.ftl"))),
                        ],
                        policy: include_str!(concat!("../../../locales/", $code, "/policy.ftl")),
                    },)*
                }
            }
        }
    };
}

languages! {
    #[default]
    Fr = "fr", "Français", Ltr, "%d/%m/%Y";
    En = "en", "English", Ltr, "%Y-%m-%d";
    Es = "es", "Español", Ltr, "%d/%m/%Y";
    De = "de", "Deutsch", Ltr, "%d.%m.%Y";
    It = "it", "Italiano", Ltr, "%d/%m/%Y";
    Pt = "pt", "Português", Ltr, "%d/%m/%Y";
    Ar = "ar", "العربية", Rtl, "%d/%m/%Y";
    ZhHans = "zh-Hans", "简体中文", Ltr, "%Y-%m-%d";
    Uk = "uk", "Українська", Ltr, "%d.%m.%Y";
}

impl Lang {
    /// Reads a language tag such as `fr`, `fr-FR`, `pt-BR`, `en_GB` or
    /// `zh-CN`; `None` for a language the texts do not exist in.
    /// A region is ignored (`pt-BR` reads Portuguese); Chinese is read as
    /// Simplified Chinese unless the tag asks for Traditional script
    /// (`zh-Hant`) or names a region that writes it (`zh-TW`, `zh-HK`,
    /// `zh-MO`): those readers get their next choice rather than a script
    /// they did not ask for.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let mut subtags = tag.trim().split(['-', '_']);
        let primary = subtags.next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("zh") {
            let traditional = subtags.any(|s| {
                ["hant", "tw", "hk", "mo"]
                    .iter()
                    .any(|t| s.eq_ignore_ascii_case(t))
            });
            return (!traditional).then_some(Lang::ZhHans);
        }
        Lang::ALL.iter().copied().find(|lang| {
            let own = lang.code().split('-').next().unwrap_or_default();
            primary.eq_ignore_ascii_case(own)
        })
    }

    /// The language whose recorded voice says a spoken captcha: clips exist
    /// in French and English only, so every other language hears English
    /// (its pages say so next to the link).
    pub fn voice(self) -> Lang {
        match self {
            Lang::Fr => Lang::Fr,
            _ => Lang::En,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_read_as_people_send_them() {
        for (tag, lang) in [
            ("fr", Some(Lang::Fr)),
            ("fr-CA", Some(Lang::Fr)),
            ("EN_gb", Some(Lang::En)),
            ("pt-BR", Some(Lang::Pt)),
            ("pt-PT", Some(Lang::Pt)),
            ("es-419", Some(Lang::Es)),
            ("de-AT", Some(Lang::De)),
            ("it", Some(Lang::It)),
            ("ar-MA", Some(Lang::Ar)),
            ("uk-UA", Some(Lang::Uk)),
            ("zh", Some(Lang::ZhHans)),
            ("zh-CN", Some(Lang::ZhHans)),
            ("zh-Hans", Some(Lang::ZhHans)),
            ("zh-hans-SG", Some(Lang::ZhHans)),
            ("zh-TW", None),
            ("zh-Hant", None),
            ("zh-HK", None),
            ("ru", None),
            ("", None),
        ] {
            assert_eq!(Lang::from_tag(tag), lang, "{tag}");
        }
    }

    #[test]
    fn every_code_reads_back_as_its_language() {
        for &lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.code()), Some(lang));
        }
        assert_eq!(Lang::ALL.len(), 9);
    }

    #[test]
    fn the_stored_form_is_the_code() {
        // What the audit trail and the mail queue write.
        use serde::de::value::{Error, StrDeserializer};
        use serde::de::IntoDeserializer;
        for &lang in Lang::ALL {
            let de: StrDeserializer<'_, Error> = lang.code().into_deserializer();
            assert_eq!(Lang::deserialize(de).ok(), Some(lang));
        }
    }
}
