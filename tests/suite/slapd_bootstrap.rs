//! Proof that `config/ldap` gives the directory contract of DESIGN.md on a
//! real slapd: who may bind, read and write what, what ppolicy refuses, and
//! that the throwaway launcher starts, restarts and cleans up. Each test runs
//! its own server on its own free port, so they run in parallel.

use ldap3::controls::RawControl;
use ldap3::{Ldap, LdapConnAsync, LdapResult, Mod, Scope, SearchEntry};
use passerelle::slapd::{
    person_ldif, People, Slapd, TestPerson, ADMIN_DN, PEOPLE_DN, RADIUS_DN, RADIUS_PASSWORD,
    SERVICE_DN, SERVICE_PASSWORD,
};
use std::collections::{HashMap, HashSet};
use std::time::Instant;

const PPOLICY_CONTROL: &str = "1.3.6.1.4.1.42.2.27.8.5.1";
const INVALID_CREDENTIALS: u32 = 49;
const CONSTRAINT_VIOLATION: u32 = 19;
const INSUFFICIENT_ACCESS: u32 = 50;
const NO_SUCH_OBJECT: u32 = 32;

async fn connect(url: &str) -> Ldap {
    let (conn, ldap) = LdapConnAsync::new(url).await.expect("connect");
    ldap3::drive!(conn);
    ldap
}

/// The bind's result code; the connection stays bound on success.
async fn bind(url: &str, dn: &str, password: &str) -> (Ldap, u32) {
    let mut ldap = connect(url).await;
    let result = ldap
        .simple_bind(dn, password)
        .await
        .expect("bind round trip");
    (ldap, result.rc)
}

async fn bound(url: &str, dn: &str, password: &str) -> Ldap {
    let (ldap, rc) = bind(url, dn, password).await;
    assert_eq!(rc, 0, "bind as {dn}");
    ldap
}

fn person_dn(uid: &str) -> String {
    format!("uid={uid},{PEOPLE_DN}")
}

/// The attributes of one entry as `ldap`'s identity sees it (None: not visible).
async fn read_entry(
    ldap: &mut Ldap,
    dn: &str,
    attrs: &[&str],
) -> Option<HashMap<String, Vec<String>>> {
    let result = ldap
        .search(dn, Scope::Base, "(objectClass=*)", attrs.to_vec())
        .await
        .expect("search round trip");
    let mut entries = result.0;
    if entries.is_empty() {
        return None;
    }
    let entry = SearchEntry::construct(entries.remove(0));
    let mut attrs = entry.attrs;
    for (name, values) in entry.bin_attrs {
        attrs.insert(
            name,
            values
                .iter()
                .map(|v| String::from_utf8_lossy(v).into_owned())
                .collect(),
        );
    }
    Some(attrs)
}

/// A password write as the gateway makes it: cleartext, one modify, with the
/// ppolicy request control.
async fn write_password(ldap: &mut Ldap, dn: &str, password: &str) -> LdapResult {
    ldap.with_controls(RawControl {
        ctype: PPOLICY_CONTROL.into(),
        crit: false,
        val: None,
    })
    .modify(
        dn,
        vec![Mod::Replace("userPassword", HashSet::from([password]))],
    )
    .await
    .expect("modify round trip")
}

fn admin_values(slapd: &Slapd, dn: &str, attr: &str) -> Vec<String> {
    let entries = slapd
        .search_as_admin(dn, "(objectClass=*)", &[attr])
        .expect("admin search");
    entries
        .first()
        .and_then(|(_, attrs)| attrs.get(attr).cloned())
        .unwrap_or_default()
}

fn add_person(slapd: &Slapd, uid: &str, person: &TestPerson) {
    slapd
        .add_ldif(&person_ldif(uid, person))
        .expect("add test person");
}

/// Pids of the slapd processes whose command line names `needle`.
fn slapd_processes_mentioning(needle: &str) -> Vec<u32> {
    let mut pids = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if cmdline.contains("slapd") && cmdline.contains(needle) {
            pids.push(pid);
        }
    }
    pids
}

#[test]
fn fixture_starts_and_stops_cleanly_and_leaves_no_process() {
    let started = Instant::now();
    let slapd = Slapd::start(People::Demo).expect("start");
    println!(
        "slapd (demo people) answering after {} ms",
        started.elapsed().as_millis()
    );
    let dir = slapd.dir().to_path_buf();
    let needle = dir.to_string_lossy().into_owned();
    assert_eq!(slapd_processes_mentioning(&needle).len(), 1);
    assert!(slapd.url().ends_with(&format!(":{}", slapd.port())));
    drop(slapd);
    assert!(slapd_processes_mentioning(&needle).is_empty());
    assert!(!dir.exists(), "the temporary directory is removed");
}

#[test]
fn start_time_is_measured_for_both_kinds_of_directory() {
    for people in [People::Empty, People::Demo] {
        let mut times = Vec::new();
        for _ in 0..3 {
            let started = Instant::now();
            let slapd = Slapd::start(people).expect("start");
            times.push(started.elapsed().as_millis());
            drop(slapd);
        }
        println!("slapd {people:?}: start until answering, ms: {times:?}");
        assert!(times.iter().all(|ms| *ms < 10_000));
    }
}

#[tokio::test]
async fn a_stopped_directory_starts_again_on_the_same_port_with_its_data() {
    let mut slapd = Slapd::start(People::Empty).expect("start");
    add_person(&slapd, "redemarre", &TestPerson::default());
    let port = slapd.port();
    slapd.stop();
    assert!(LdapConnAsync::new(&slapd.url()).await.is_err());
    let started = Instant::now();
    slapd.start_again().expect("start again");
    println!(
        "slapd restart answering after {} ms",
        started.elapsed().as_millis()
    );
    assert_eq!(slapd.port(), port);
    let password = TestPerson::default().password;
    bound(&slapd.url(), &person_dn("redemarre"), &password).await;
}

#[test]
fn two_parallel_starts_get_different_ports() {
    let handles: Vec<_> = (0..2)
        .map(|_| std::thread::spawn(|| Slapd::start(People::Empty).expect("start")))
        .collect();
    let servers: Vec<Slapd> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_ne!(servers[0].port(), servers[1].port());
    for server in &servers {
        let entries = server
            .search_as_admin(PEOPLE_DN, "(objectClass=organizationalUnit)", &["ou"])
            .expect("search");
        assert_eq!(entries.len(), 1);
    }
}

#[tokio::test]
async fn demo_people_bind_with_their_documented_passwords() {
    let slapd = Slapd::start(People::Demo).expect("start");
    for (uid, password) in [
        ("jdupont", "Soleil-Vert-42"),
        ("hgarcon", "Été-Brûlant-2024"),
        ("jbernard", "Chêne-Ancien-1968"),
        ("phomonyme", "Miroir-Droit-87"),
    ] {
        bound(&slapd.url(), &person_dn(uid), password).await;
    }
    let (_, rc) = bind(&slapd.url(), &person_dn("jdupont"), "Soleil-Vert-43").await;
    assert_eq!(rc, INVALID_CREDENTIALS);
}

#[test]
fn demo_directory_holds_the_documented_people() {
    let slapd = Slapd::start(People::Demo).expect("start");
    let people = slapd
        .search_as_admin(PEOPLE_DN, "(objectClass=inetOrgPerson)", &["uid"])
        .expect("search");
    assert_eq!(people.len(), 34);
    // The help desk's two groups, one agent each (docs/helpdesk.md).
    let groups = slapd
        .search_as_admin(
            "ou=groups,dc=univ-exemple,dc=fr",
            "(objectClass=groupOfNames)",
            &["member"],
        )
        .expect("search");
    let mut members: Vec<&str> = groups
        .iter()
        .flat_map(|(_, attrs)| attrs["member"].iter().map(String::as_str))
        .collect();
    members.sort_unstable();
    assert_eq!(
        members,
        [
            person_dn("asupport").as_str(),
            person_dn("blambert").as_str()
        ]
    );
    // Only the two newcomers are marked for « Activer mon compte », and
    // they have no password yet; everyone else uses their account.
    let marked = slapd
        .search_as_admin(
            PEOPLE_DN,
            "(passerelleActivationPending=TRUE)",
            &["uid", "userPassword", "pwdChangedTime"],
        )
        .expect("search");
    let mut marked_uids: Vec<&str> = marked
        .iter()
        .map(|(_, attrs)| attrs["uid"][0].as_str())
        .collect();
    marked_uids.sort_unstable();
    assert_eq!(marked_uids, ["aarrivee", "nnouveau"]);
    assert!(
        marked.iter().all(|(_, attrs)| attrs.len() == 1),
        "{marked:?}"
    );
    let ambiguous = slapd
        .search_as_admin(PEOPLE_DN, "(supannEmpId=49999)", &["uid"])
        .expect("search");
    assert_eq!(ambiguous.len(), 2, "two people share staff number 49999");
    // The NT hash of a non-ASCII password is MD4 of its UTF-16LE form.
    let nt = admin_values(&slapd, &person_dn("hgarcon"), "sambaNTPassword");
    let utf16: Vec<u8> = "Été-Brûlant-2024"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    use md4::Digest as _;
    assert_eq!(nt, vec![hex::encode_upper(md4::Md4::digest(&utf16))]);
    let no_recovery = admin_values(&slapd, &person_dn("brenard"), "supannMailPerso");
    assert!(no_recovery.is_empty());
    let empty = Slapd::start(People::Empty).expect("start");
    let nobody = empty
        .search_as_admin(PEOPLE_DN, "(objectClass=inetOrgPerson)", &["uid"])
        .expect("search");
    assert!(nobody.is_empty());
}

#[tokio::test]
async fn gateway_writes_a_cleartext_password_that_the_server_hashes_with_argon2() {
    let slapd = Slapd::start(People::Empty).expect("start");
    let person = TestPerson::default();
    add_person(&slapd, "argon", &person);
    let dn = person_dn("argon");
    let mut gateway = bound(&slapd.url(), SERVICE_DN, SERVICE_PASSWORD).await;
    let result = write_password(&mut gateway, &dn, "Nouvelle-Clef-2025").await;
    assert_eq!(result.rc, 0, "{result:?}");
    bound(&slapd.url(), &dn, "Nouvelle-Clef-2025").await;
    let (_, rc) = bind(&slapd.url(), &dn, &person.password).await;
    assert_eq!(rc, INVALID_CREDENTIALS, "the old password no longer binds");
    let stored = admin_values(&slapd, &dn, "userPassword");
    assert_eq!(stored.len(), 1);
    assert!(
        stored[0].starts_with("{ARGON2}"),
        "stored: {}",
        &stored[0][..20]
    );
    // A write by the gateway (=w, not manage) does not force a change.
    assert!(admin_values(&slapd, &dn, "pwdReset").is_empty());
    // ldapadd as rootdn hashes a cleartext value too.
    let added = TestPerson::default();
    add_person(&slapd, "argon2", &added);
    let stored = admin_values(&slapd, &person_dn("argon2"), "userPassword");
    assert!(stored[0].starts_with("{ARGON2}"));
}

#[tokio::test]
async fn gateway_cannot_read_password_hashes() {
    let slapd = Slapd::start(People::Demo).expect("start");
    let mut gateway = bound(&slapd.url(), SERVICE_DN, SERVICE_PASSWORD).await;
    let entry = read_entry(
        &mut gateway,
        &person_dn("jdupont"),
        &[
            "uid",
            "userPassword",
            "sambaNTPassword",
            "sambaLMPassword",
            "pwdHistory",
            "supannEtuId",
            "schacDateOfBirth",
            "passerelleQuestion",
        ],
    )
    .await
    .expect("the gateway sees the person");
    assert_eq!(entry["uid"], vec!["jdupont"]);
    assert_eq!(entry["supannEtuId"], vec!["22301001"]);
    assert_eq!(entry["schacDateOfBirth"], vec!["20030412"]);
    assert!(entry.contains_key("passerelleQuestion"));
    for secret in [
        "userPassword",
        "sambaNTPassword",
        "sambaLMPassword",
        "pwdHistory",
    ] {
        assert!(!entry.contains_key(secret), "gateway read {secret}");
    }
    // Found by each identifier a person may type.
    for filter in [
        "(supannEtuId=22301001)",
        "(supannCodeINE=1234567890a)",
        "(supannMailPerso=jean.dupont@example.org)",
    ] {
        let (entries, _) = gateway
            .search(PEOPLE_DN, Scope::Subtree, filter, vec!["uid"])
            .await
            .unwrap()
            .success()
            .unwrap();
        assert_eq!(entries.len(), 1, "{filter}");
    }
}

#[tokio::test]
async fn nobody_but_the_gateway_reads_the_gateway_state() {
    let slapd = Slapd::start(People::Demo).expect("start");
    let dn = person_dn("jdupont");
    slapd
        .modify_ldif(&format!(
            "dn: {dn}\nchangetype: modify\nreplace: passerelleAnswerHash\n\
             passerelleAnswerHash: $argon2id$v=19$m=19456,t=2,p=1$c2VsAA$aGFzaAA\n-\n\
             replace: passerelleCodeHash\npasserelleCodeHash: 00ff\n"
        ))
        .expect("set state as admin");
    let state = [
        "passerelleAnswerHash",
        "passerelleCodeHash",
        "passerelleQuestion",
    ];

    let mut gateway = bound(&slapd.url(), SERVICE_DN, SERVICE_PASSWORD).await;
    let seen = read_entry(&mut gateway, &dn, &state).await.unwrap();
    assert_eq!(seen.len(), 3, "the gateway reads its state: {seen:?}");

    let mut person = bound(&slapd.url(), &dn, "Soleil-Vert-42").await;
    let own = read_entry(&mut person, &dn, &["*"])
        .await
        .expect("own entry");
    assert_eq!(own["uid"], vec!["jdupont"], "people read their own entry");
    assert_eq!(own["supannMailPerso"], vec!["jean.dupont@example.org"]);
    let own = read_entry(&mut person, &dn, &state).await.unwrap();
    assert!(own.is_empty(), "the person read their own state: {own:?}");
    let refused = person
        .modify(
            &dn,
            vec![Mod::Replace("passerelleQuestion", HashSet::from(["?"]))],
        )
        .await
        .unwrap();
    assert_eq!(refused.rc, INSUFFICIENT_ACCESS);

    let mut radius = bound(&slapd.url(), RADIUS_DN, RADIUS_PASSWORD).await;
    let seen = read_entry(&mut radius, &dn, &state).await.unwrap();
    assert!(seen.is_empty(), "radius read state: {seen:?}");

    let mut other = bound(&slapd.url(), &person_dn("mlefevre"), "Nuage-Rose-17").await;
    assert!(read_entry(&mut other, &dn, &["*"]).await.is_none());
}

#[tokio::test]
async fn anonymous_cannot_search_people() {
    let slapd = Slapd::start(People::Demo).expect("start");
    let mut anonymous = connect(&slapd.url()).await;
    let result = anonymous
        .search(
            PEOPLE_DN,
            Scope::Subtree,
            "(uid=jdupont)",
            vec!["uid", "passerelleQuestion", "supannEtuId"],
        )
        .await
        .unwrap();
    // Not even the existence of the branch is disclosed.
    assert!(result.0.is_empty());
    assert_eq!(result.1.rc, NO_SUCH_OBJECT);
}

#[tokio::test]
async fn radius_reads_the_nt_hash_and_nothing_personal() {
    let slapd = Slapd::start(People::Demo).expect("start");
    let mut radius = bound(&slapd.url(), RADIUS_DN, RADIUS_PASSWORD).await;
    let (entries, _) = radius
        .search(PEOPLE_DN, Scope::Subtree, "(uid=jdupont)", vec!["*"])
        .await
        .unwrap()
        .success()
        .unwrap();
    assert_eq!(entries.len(), 1);
    let attrs = SearchEntry::construct(entries.into_iter().next().unwrap()).attrs;
    let names: HashSet<&str> = attrs.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        HashSet::from(["objectClass", "uid", "sambaNTPassword"])
    );
}

#[tokio::test]
async fn gateway_write_of_one_of_the_last_three_passwords_is_refused() {
    let slapd = Slapd::start(People::Empty).expect("start");
    let person = TestPerson::default();
    add_person(&slapd, "historique", &person);
    let dn = person_dn("historique");
    let mut gateway = bound(&slapd.url(), SERVICE_DN, SERVICE_PASSWORD).await;
    for password in ["Premier-Essai-11", "Second-Essai-22", "Troisieme-Essai-33"] {
        let result = write_password(&mut gateway, &dn, password).await;
        assert_eq!(result.rc, 0, "{result:?}");
    }
    for reused in [
        person.password.as_str(),
        "Premier-Essai-11",
        "Troisieme-Essai-33",
    ] {
        let result = write_password(&mut gateway, &dn, reused).await;
        assert_eq!(result.rc, CONSTRAINT_VIOLATION, "{reused}: {result:?}");
        let control = result
            .ctrls
            .iter()
            .find(|c| c.1.ctype == PPOLICY_CONTROL)
            .expect("ppolicy response control");
        // SEQUENCE { error [1] ENUMERATED 8 (passwordInHistory) }
        assert_eq!(
            control.1.val.as_deref(),
            Some(&[0x30, 0x03, 0x81, 0x01, 0x08][..])
        );
    }
    bound(&slapd.url(), &dn, "Troisieme-Essai-33").await;
}

#[tokio::test]
async fn a_locked_account_is_unlocked_by_the_gateway_password_write() {
    let slapd = Slapd::start(People::Demo).expect("start");
    let dn = person_dn("omartin");
    let (_, rc) = bind(&slapd.url(), &dn, "Corail-Vif-29").await;
    assert_eq!(rc, INVALID_CREDENTIALS, "locked: the right password fails");
    let mut gateway = bound(&slapd.url(), SERVICE_DN, SERVICE_PASSWORD).await;
    let result = write_password(&mut gateway, &dn, "Corail-Neuf-2025").await;
    assert_eq!(result.rc, 0, "{result:?}");
    assert!(admin_values(&slapd, &dn, "pwdAccountLockedTime").is_empty());
    bound(&slapd.url(), &dn, "Corail-Neuf-2025").await;
}

#[tokio::test]
async fn five_failed_binds_lock_the_account() {
    let slapd = Slapd::start(People::Empty).expect("start");
    let person = TestPerson::default();
    add_person(&slapd, "verrou", &person);
    let dn = person_dn("verrou");
    for _ in 0..5 {
        let (_, rc) = bind(&slapd.url(), &dn, "pas-le-bon").await;
        assert_eq!(rc, INVALID_CREDENTIALS);
    }
    let (_, rc) = bind(&slapd.url(), &dn, &person.password).await;
    assert_eq!(rc, INVALID_CREDENTIALS);
    assert_eq!(admin_values(&slapd, &dn, "pwdAccountLockedTime").len(), 1);
}

#[tokio::test]
async fn gateway_may_add_the_passerelle_class_and_no_other() {
    let slapd = Slapd::start(People::Demo).expect("start");
    let dn = person_dn("mlefevre");
    let mut gateway = bound(&slapd.url(), SERVICE_DN, SERVICE_PASSWORD).await;
    let activated = gateway
        .modify(
            &dn,
            vec![
                Mod::Add("objectClass", HashSet::from(["passerelleAccount"])),
                Mod::Add(
                    "passerelleQuestion",
                    HashSet::from(["Quel est votre plat préféré ?"]),
                ),
            ],
        )
        .await
        .unwrap();
    assert_eq!(activated.rc, 0, "{activated:?}");
    for forbidden in [
        Mod::Add("objectClass", HashSet::from(["pilotPerson"])),
        Mod::Replace("mail", HashSet::from(["pirate@example.org"])),
        Mod::Replace("schacDateOfBirth", HashSet::from(["19000101"])),
    ] {
        let result = gateway.modify(&dn, vec![forbidden]).await.unwrap();
        assert_eq!(result.rc, INSUFFICIENT_ACCESS);
    }
    // The state it may write along with a password.
    let result = gateway
        .modify(
            &dn,
            vec![
                Mod::Replace("sambaPwdLastSet", HashSet::from(["1760000000"])),
                Mod::Replace("shadowLastChange", HashSet::from(["20370"])),
                Mod::Replace("pwdReset", HashSet::from(["TRUE"])),
                Mod::Replace("passerelleLockedUntil", HashSet::from(["20300101000000Z"])),
                Mod::Replace("passerelleCodeTriesLeft", HashSet::from(["3"])),
            ],
        )
        .await
        .unwrap();
    assert_eq!(result.rc, 0, "{result:?}");
    assert_eq!(admin_values(&slapd, &dn, "pwdReset"), vec!["TRUE"]);
    // ADMIN_DN stays usable for repairs.
    assert!(!ADMIN_DN.is_empty());
}

#[tokio::test]
async fn a_temporary_password_with_pwd_reset_must_be_changed_at_the_next_bind() {
    let slapd = Slapd::start(People::Empty).expect("start");
    add_person(&slapd, "temporaire", &TestPerson::default());
    let dn = person_dn("temporaire");
    let mut gateway = bound(&slapd.url(), SERVICE_DN, SERVICE_PASSWORD).await;
    let result = gateway
        .modify(
            &dn,
            vec![
                Mod::Replace("userPassword", HashSet::from(["Provisoire-8841"])),
                Mod::Replace("pwdReset", HashSet::from(["TRUE"])),
            ],
        )
        .await
        .unwrap();
    assert_eq!(result.rc, 0, "{result:?}");
    // The gateway can tell when the password changed (to confirm a write
    // whose answer was lost).
    let seen = read_entry(&mut gateway, &dn, &["pwdChangedTime", "pwdReset"])
        .await
        .unwrap();
    assert!(seen.contains_key("pwdChangedTime"), "{seen:?}");

    let mut person = connect(&slapd.url()).await;
    let bind = person
        .with_controls(RawControl {
            ctype: PPOLICY_CONTROL.into(),
            crit: false,
            val: None,
        })
        .simple_bind(&dn, "Provisoire-8841")
        .await
        .unwrap();
    assert_eq!(bind.rc, 0, "the temporary password proves who they are");
    let control = bind
        .ctrls
        .iter()
        .find(|c| c.1.ctype == PPOLICY_CONTROL)
        .expect("ppolicy response control");
    // SEQUENCE { error [1] ENUMERATED 2 (changeAfterReset) }
    assert_eq!(
        control.1.val.as_deref(),
        Some(&[0x30, 0x03, 0x81, 0x01, 0x02][..])
    );
    // Until the password is changed, the person may do nothing else.
    let search = person
        .search(&dn, Scope::Base, "(objectClass=*)", vec!["uid"])
        .await
        .unwrap();
    assert_eq!(search.1.rc, INSUFFICIENT_ACCESS);

    // The gateway's next write of a new password clears pwdReset.
    let result = write_password(&mut gateway, &dn, "Definitif-Choisi-2025").await;
    assert_eq!(result.rc, 0, "{result:?}");
    assert!(admin_values(&slapd, &dn, "pwdReset").is_empty());
    bound(&slapd.url(), &dn, "Definitif-Choisi-2025").await;
}

/// The bind's result code and the ppolicy response control's value, when
/// the server sent one.
async fn bind_with_ppolicy(url: &str, dn: &str, password: &str) -> (Ldap, u32, Option<Vec<u8>>) {
    let mut ldap = connect(url).await;
    let result = ldap
        .with_controls(RawControl {
            ctype: PPOLICY_CONTROL.into(),
            crit: false,
            val: None,
        })
        .simple_bind(dn, password)
        .await
        .expect("bind round trip");
    let control = result
        .ctrls
        .iter()
        .find(|c| c.1.ctype == PPOLICY_CONTROL)
        .and_then(|c| c.1.val.clone());
    (ldap, result.rc, control)
}

/// Issue 24: under the people's policy, five wrong binds of the gateway's
/// account locked every flow out for 15 minutes, and a password the rootdn
/// reset got `pwdReset`, after which every search of the account failed
/// with rc 50. `ou=services` has its own policy.
#[tokio::test]
async fn the_service_accounts_never_lock_and_keep_a_password_the_rootdn_resets() {
    let slapd = Slapd::start(People::Demo).expect("start");
    for (dn, password) in [(SERVICE_DN, SERVICE_PASSWORD), (RADIUS_DN, RADIUS_PASSWORD)] {
        assert_eq!(
            admin_values(&slapd, dn, "pwdPolicySubentry"),
            vec![format!(
                "cn=services,ou=policies,{}",
                passerelle::slapd::BASE_DN
            )]
        );
        for _ in 0..8 {
            let (_, rc) = bind(&slapd.url(), dn, "a-typo-in-the-password-file").await;
            assert_eq!(rc, INVALID_CREDENTIALS);
        }
        assert!(
            admin_values(&slapd, dn, "pwdFailureTime").is_empty(),
            "{dn}: failures are not even counted"
        );
        let (mut ldap, rc, control) = bind_with_ppolicy(&slapd.url(), dn, password).await;
        assert_eq!(rc, 0, "{dn} is locked out after eight wrong binds");
        assert!(
            admin_values(&slapd, dn, "pwdAccountLockedTime").is_empty(),
            "{dn}"
        );
        // No error in the response control (an empty value or none).
        assert!(
            control.as_deref().is_none_or(|v| v == [0x30, 0x00]),
            "{dn}: {control:?}"
        );
        let (entries, result) = ldap
            .search(PEOPLE_DN, Scope::Subtree, "(uid=jdupont)", vec!["uid"])
            .await
            .unwrap()
            .success()
            .unwrap();
        assert_eq!(entries.len(), 1, "{dn}: {result:?}");
    }

    // The rootdn resets the gateway's password (pwdMustChange is on for
    // people): no pwdReset, and the account works at once.
    slapd
        .modify_ldif(&format!(
            "dn: {SERVICE_DN}\nchangetype: modify\nreplace: userPassword\nuserPassword: Nouveau-Secret-Du-Service-2025\n"
        ))
        .expect("reset as rootdn");
    assert!(admin_values(&slapd, SERVICE_DN, "pwdReset").is_empty());
    let (mut gateway, rc, control) =
        bind_with_ppolicy(&slapd.url(), SERVICE_DN, "Nouveau-Secret-Du-Service-2025").await;
    assert_eq!(rc, 0);
    assert!(
        control.as_deref().is_none_or(|v| v == [0x30, 0x00]),
        "{control:?}"
    );
    let search = gateway
        .search(PEOPLE_DN, Scope::Subtree, "(uid=jdupont)", vec!["uid"])
        .await
        .unwrap();
    assert_eq!(search.1.rc, 0, "{:?}", search.1);

    // People are still under the default policy: it locks them.
    assert!(admin_values(&slapd, &person_dn("jdupont"), "pwdPolicySubentry").is_empty());
}

/// The site's provisioning marks an account to be activated with
/// `passerelleActivationPending: TRUE` (on `passerelleAccount`); the
/// gateway reads it, searches by it and removes it; nobody else sees it.
#[tokio::test]
async fn the_activation_marker_is_the_gateways_to_read_and_remove_and_nobody_elses() {
    let slapd = Slapd::start(People::Demo).expect("start");
    let newcomer = TestPerson {
        password: String::new(),
        activation_pending: true,
        student_number: Some("29000001".into()),
        ..TestPerson::default()
    };
    add_person(&slapd, "nouvelle", &newcomer);
    let dn = person_dn("nouvelle");
    assert_eq!(
        admin_values(&slapd, &dn, "passerelleActivationPending"),
        vec!["TRUE"]
    );

    let mut gateway = bound(&slapd.url(), SERVICE_DN, SERVICE_PASSWORD).await;
    let (entries, _) = gateway
        .search(
            PEOPLE_DN,
            Scope::Subtree,
            "(passerelleActivationPending=TRUE)",
            vec!["uid", "passerelleActivationPending"],
        )
        .await
        .unwrap()
        .success()
        .unwrap();
    // This newcomer and the demo's two; nobody who uses their account.
    let mut marked: Vec<(String, Vec<String>)> = entries
        .into_iter()
        .map(|entry| {
            let entry = SearchEntry::construct(entry);
            (
                entry.attrs["uid"][0].clone(),
                entry.attrs["passerelleActivationPending"].clone(),
            )
        })
        .collect();
    marked.sort();
    let uids: Vec<&str> = marked.iter().map(|(uid, _)| uid.as_str()).collect();
    assert_eq!(uids, ["aarrivee", "nnouveau", "nouvelle"]);
    assert!(
        marked.iter().all(|(_, value)| value == &["TRUE"]),
        "{marked:?}"
    );

    let mut radius = bound(&slapd.url(), RADIUS_DN, RADIUS_PASSWORD).await;
    let seen = read_entry(&mut radius, &dn, &["passerelleActivationPending"])
        .await
        .unwrap_or_default();
    assert!(seen.is_empty(), "radius reads the marker: {seen:?}");
    let mut person = bound(&slapd.url(), &person_dn("jdupont"), "Soleil-Vert-42").await;
    let found = person
        .search(
            PEOPLE_DN,
            Scope::Subtree,
            "(passerelleActivationPending=TRUE)",
            vec!["uid"],
        )
        .await
        .unwrap();
    assert!(found.0.is_empty(), "a person finds who is to be activated");

    let removed = gateway
        .modify(
            &dn,
            vec![Mod::Delete(
                "passerelleActivationPending",
                HashSet::<&str>::new(),
            )],
        )
        .await
        .unwrap();
    assert_eq!(removed.rc, 0, "{removed:?}");
    assert!(admin_values(&slapd, &dn, "passerelleActivationPending").is_empty());
}
