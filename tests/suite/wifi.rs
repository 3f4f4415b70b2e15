//! The Wi-Fi proof: a password the gateway writes is the one eduroam-style
//! Wi-Fi accepts, at once, and the old one stops working.
//!
//! Each test starts the fixture slapd (from `config/ldap`) and a real
//! FreeRADIUS (Debian's `freeradius` + `freeradius-ldap`) whose rlm_ldap
//! reads `sambaNTPassword` as the FreeRADIUS service account, then logs in
//! the way an access point does: MS-CHAP (`radtest -t mschap`) and
//! PEAP-MSCHAPv2 (`eapol_test`, what laptops and phones speak).

use crate::directory_support::StateOps;
use crate::radius;

use chrono::{Duration, Utc};
use passerelle::config::LdapSettings;
use passerelle::directory::{Directory, Identifier, Person, WriteKind};
use passerelle::slapd::{
    person_ldif, People, Slapd, TestPerson, PEOPLE_DN, RADIUS_DN, RADIUS_PASSWORD, SERVICE_PASSWORD,
};
use radius::FreeRadius;
use secrecy::SecretString;

/// The directory, the gateway's handle on it, and the Wi-Fi in front of it.
struct Site {
    // Declared first so FreeRADIUS stops before the directory it reads.
    wifi: FreeRadius,
    directory: Directory,
    _slapd: Slapd,
}

impl Site {
    /// A fresh directory holding `uid` (a `sambaSamAccount` whose NT hash is
    /// that of `password`), and a FreeRADIUS reading it.
    async fn with_person(uid: &str, password: &str) -> Site {
        let slapd = Slapd::start(People::Empty).expect("slapd starts from config/ldap");
        let person = TestPerson {
            password: password.into(),
            samba: true,
            given_name: "Rosalie".into(),
            sn: "Borne".into(),
            ..Default::default()
        };
        slapd
            .add_ldif(&person_ldif(uid, &person))
            .expect("the test person is added");
        let settings = LdapSettings {
            urls: vec![slapd.url()],
            ..Default::default()
        };
        let directory = Directory::new(&settings, SecretString::from(SERVICE_PASSWORD))
            .expect("the directory handle is built");
        let wifi = tokio::task::block_in_place(|| {
            FreeRadius::start(&slapd.url(), PEOPLE_DN, RADIUS_DN, RADIUS_PASSWORD)
        })
        .expect("FreeRADIUS starts");
        Site {
            wifi,
            directory,
            _slapd: slapd,
        }
    }

    async fn person(&self, uid: &str) -> Person {
        let identifier = Identifier::parse(uid).expect("a valid identifier");
        self.directory
            .find_person(&identifier)
            .await
            .expect("the directory answers")
            .expect("the person is found")
    }

    async fn write(&self, uid: &str, password: &str, kind: WriteKind) {
        let person = self.person(uid).await;
        self.directory
            .write_password(&person, &SecretString::from(password), kind)
            .await
            .expect("the gateway writes the password");
    }

    /// An MS-CHAP login, as a captive portal or a plain 802.1X NAS sends it.
    fn mschap(&self, uid: &str, password: &str) -> bool {
        tokio::task::block_in_place(|| self.wifi.radtest_mschap(uid, password))
            .expect("FreeRADIUS answers Accept or Reject")
    }

    /// A PEAP-MSCHAPv2 login, as eduroam laptops and phones make it.
    fn peap(&self, uid: &str, password: &str) -> bool {
        tokio::task::block_in_place(|| self.wifi.eapol_peap_mschapv2(uid, password))
            .expect("FreeRADIUS answers Accept or Reject")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wifi_accepts_the_new_password_at_once_and_rejects_the_old_one() {
    let started = std::time::Instant::now();
    let uid = "wifi.nouveau";
    let old = "Vieux-Platane-1987";
    let new = "Jeune-Chataignier-2026";
    let site = Site::with_person(uid, old).await;
    // The set-up itself works: the password the person had opens Wi-Fi.
    assert!(site.mschap(uid, old), "MS-CHAP with the initial password");
    assert!(site.peap(uid, old), "PEAP with the initial password");

    site.write(uid, new, WriteKind::Chosen).await;

    assert!(site.mschap(uid, new), "MS-CHAP accepts the new password");
    assert!(!site.mschap(uid, old), "MS-CHAP rejects the old password");
    assert!(
        site.peap(uid, new),
        "PEAP-MSCHAPv2 accepts the new password"
    );
    assert!(
        !site.peap(uid, old),
        "PEAP-MSCHAPv2 rejects the old password"
    );
    // Nobody else gets in with it either.
    assert!(
        !site.mschap("wifi.personne", new),
        "an unknown person is rejected"
    );
    eprintln!("wifi proof took {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_temporary_password_never_opens_wifi_and_the_chosen_one_does() {
    let started = std::time::Instant::now();
    let uid = "wifi.provisoire";
    let old = "Ancien-Marronnier-1990";
    let temporary = "Provisoire-Kq7-Zt4-Wm9";
    let chosen = "Choisi-Noisetier-2026";
    let site = Site::with_person(uid, old).await;
    assert!(site.mschap(uid, old), "MS-CHAP with the initial password");

    // A temporary password travels by mail and only opens the gateway: Wi-Fi
    // must not take it, and the reset retires the old password there too.
    let expires = Utc::now() + Duration::hours(24);
    site.write(uid, temporary, WriteKind::Temporary { expires })
        .await;
    assert!(
        !site.mschap(uid, temporary),
        "MS-CHAP rejects the temporary password"
    );
    assert!(
        !site.mschap(uid, old),
        "MS-CHAP rejects the old password after a reset"
    );
    assert!(
        !site.peap(uid, temporary),
        "PEAP rejects the temporary password"
    );
    assert!(
        !site.peap(uid, old),
        "PEAP rejects the old password after a reset"
    );

    // The person logs in to the gateway with the temporary password and
    // chooses their own: that one opens Wi-Fi at once.
    site.write(uid, chosen, WriteKind::Chosen).await;
    assert!(
        site.mschap(uid, chosen),
        "MS-CHAP accepts the chosen password"
    );
    assert!(site.peap(uid, chosen), "PEAP accepts the chosen password");
    assert!(
        !site.mschap(uid, temporary),
        "the temporary password stays out"
    );
    assert!(!site.mschap(uid, old), "the old password stays out");
    eprintln!("temporary-password wifi proof took {:?}", started.elapsed());
}
