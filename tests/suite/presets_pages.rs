//! What a person reads on each preset's pages, over real HTTP: the seeds'
//! own words placed by `[texts]` (the CAF notice with its legal reference
//! and asides, « Annuler », Ecolesoft's reason for a new password, EFP's
//! « Suivant »), in French and English; and the page fixes found by trying
//! the pages as a new user (a full bar at the last step, what was typed
//! kept after an identity error, no services a preset does not list, the
//! captcha's links, the site's colour and icon).

use crate::app::{spawn_app_with, Page, TestApp};
use crate::web_code::{ask_code, mailed_code, post_code};
use passerelle::config::{preset_figment, Settings};
use reqwest::StatusCode;

/// The test settings with the preset `name` laid over them, as
/// `preset = "name"` does for a site.
fn apply_preset(settings: &mut Settings, name: &str) {
    let preset = Settings::from_figment(preset_figment(name).unwrap()).unwrap();
    settings.preset = preset.preset;
    settings.policy = preset.policy;
    settings.flows = preset.flows;
    settings.captcha = preset.captcha;
    settings.texts = preset.texts;
    settings.lockout = preset.lockout;
    settings.site.name = preset.site.name;
    settings.site.services = preset.site.services;
}

async fn spawn_preset(name: &str) -> TestApp {
    let name = name.to_owned();
    spawn_app_with(move |settings| apply_preset(settings, &name)).await
}

/// Signs in at `/change` with the person's current password and returns
/// the new-password page.
async fn change_password_page(app: &TestApp, login: &str, password: &str) -> Page {
    let form = app.get("/change").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let after = app.sign_in("/change", &form, login, password).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "{}", after.body);
    let page = app.get("/change/password").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page
}

fn assert_contains(page: &Page, texts: &[&str]) {
    for text in texts {
        assert!(
            page.body.contains(text),
            "{text:?} missing in:\n{}",
            page.body
        );
    }
}

const GODFRAIN_FR: &str = "Si vous n&#39;êtes pas l&#39;une d&#39;entre elles, l&#39;accès et le maintien dans ce site pourront être poursuivis au titre de la Loi n° 88-19 du 5 Janvier 1988 (dite loi Godfrain)";

#[tokio::test(flavor = "multi_thread")]
async fn caf_services_shows_its_notice_asides_and_cancel_in_french_and_english() {
    let app = spawn_preset("caf-services").await;
    let person = app.add_person("cafsvc", None).await;

    let request = app.get("/temporary").await;
    assert_contains(
        &request,
        &[
            "Ce service professionnel <strong>est réservé aux seules personnes habilitées.</strong>",
            GODFRAIN_FR,
            "<strong>vous ne devez jamais communiquer ni partager votre identifiant et votre mot de passe</strong>",
            // Beside the captcha, what it is for.
            "À quoi ça sert ?",
            "Cette fonctionnalité nous aide à empêcher des programmes automatisés de réinitialiser les mots de passe.",
            // « Annuler » next to « Valider ».
            "<button type=\"submit\">Valider</button>",
            "<a class=\"button secondary\" href=\"/\">Annuler</a>",
        ],
    );

    let sign_in = app.get("/change").await;
    assert_contains(
        &sign_in,
        &[
            GODFRAIN_FR,
            "Pourquoi changer son mot de passe ?",
            "Pour des raisons de sécurité, pensez à changer régulièrement votre mot de passe.",
        ],
    );
    let password = change_password_page(&app, &person.uid, &person.password).await;
    assert_contains(
        &password,
        &[
            GODFRAIN_FR,
            "Par mesure de sécurité, veuillez maintenant personnaliser votre mot de passe.",
            "Pourquoi changer son mot de passe ?",
        ],
    );

    let english = app.get("/temporary?lang=en").await;
    assert_contains(
        &english,
        &[
            "This professional service <strong>is reserved to authorised persons only.</strong>",
            "Law no. 88-19 of 5 January 1988 (known as the Godfrain law)",
            "What is it for?",
            ">Cancel</a>",
        ],
    );
    assert!(!english.body.contains("Godfrain)"), "no French left");
}

#[tokio::test(flavor = "multi_thread")]
async fn caf_partenaires_shows_the_notice_on_every_page_and_no_services_on_success() {
    let app = spawn_preset("caf-partenaires").await;
    let person = app.add_person("cafpart", None).await;
    for path in ["/", "/temporary", "/change"] {
        assert_contains(&app.get(path).await, &[GODFRAIN_FR]);
    }
    let password = change_password_page(&app, &person.uid, &person.password).await;
    assert_contains(
        &password,
        &[
            "Par mesure de sécurité, veuillez maintenant personnaliser votre mot de passe.",
            // The last of two steps: the bar is full.
            "Étape 2 sur 2",
            "value=\"100\"",
        ],
    );
    let chosen = "Chemin-Neuf-2025!";
    let done = app
        .post_with_tokens(
            "/change/password",
            &password,
            &[
                ("current", &person.password),
                ("password", chosen),
                ("confirm", chosen),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_contains(&done, &["Voilà, votre mot de passe a bien été modifié"]);
    // The preset lists no services: no « Wi-Fi eduroam, CAS… » here.
    assert!(!done.body.contains("class=\"services\""), "{}", done.body);
    assert!(!done.body.contains("eduroam"), "{}", done.body);
    let mail = app
        .smtp
        .wait_for_mail(&person.recovery_mail, crate::app::MAIL_WAIT)
        .await;
    assert!(
        !mail.text_body().contains("eduroam"),
        "{}",
        mail.text_body()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn ecolesoft_forced_change_says_why_a_new_password_is_asked() {
    let app = spawn_preset("ecolesoft").await;
    let person = app.add_person("famille", None).await;
    let password = change_password_page(&app, &person.uid, &person.password).await;
    assert_contains(
        &password,
        &[
            "<p class=\"lead\"><strong>Pour améliorer la sécurité de votre application, nous vous demandons de saisir un nouveau mot de passe.</strong></p>",
            "Veuillez choisir un nouveau mot de passe répondant aux critères suivants :",
        ],
    );
    let english = app.get("/change/password?lang=en").await;
    assert_contains(
        &english,
        &["To improve the security of your application, we ask you to enter a new password."],
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn efp_step_three_button_says_suivant() {
    let app = spawn_preset("efp").await;
    let person = app.add_person("efpbtn", None).await;
    let verify = ask_code(&app, &person.recovery_mail).await;
    let (code, _) = mailed_code(&app, &person.recovery_mail, 1).await;
    let after = post_code(&app, &verify, &code).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "{}", after.body);
    let password = app.get("/code/password").await;
    assert_contains(
        &password,
        &[
            "Étape 3 sur 3",
            "<button type=\"submit\">Suivant</button>",
            "Choisissez votre nouveau mot de passe. Ce dernier doit respecter les critères notés ci-dessous.",
        ],
    );
    assert!(!password.body.contains(">Valider</button>"));
    let english = app.get("/code/password?lang=en").await;
    assert_contains(&english, &["<button type=\"submit\">Next</button>"]);
}

/// An identity that matches nobody shows the generic failure with what
/// was typed (neither value is a secret), escaped.
#[tokio::test(flavor = "multi_thread")]
async fn an_identity_error_keeps_what_was_typed() {
    let app = spawn_app_with(|_| {}).await;
    let form = app.recover_start().await;
    let failed = app
        .recover_identity(&form, "\"><b>22301099", "01/02/2003")
        .await;
    assert_eq!(failed.status, StatusCode::OK, "{}", failed.body);
    assert_contains(
        &failed,
        &[
            "Les informations saisies ne permettent pas de vous identifier",
            "value=\"&#34;&#62;&#60;b&#62;22301099\"",
            "value=\"01/02/2003\"",
        ],
    );
    assert!(!failed.body.contains("<b>22301099"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_captcha_speaks_of_the_links_below_the_picture() {
    let app = spawn_preset("caf-services").await;
    let page = app.get("/temporary").await;
    assert_contains(
        &page,
        &[
            "utilisez les liens situés sous l&#39;image",
            "class=\"captcha-actions\"",
        ],
    );
    assert!(!page.body.contains("à côté de l"), "{}", page.body);
    let english = app.get("/temporary?lang=en").await;
    assert_contains(&english, &["use the links below the picture"]);
}

/// The site's look: its main colour (served as a stylesheet, since the
/// CSP forbids inline styles) and its icon.
#[tokio::test(flavor = "multi_thread")]
async fn a_site_sets_its_main_colour_and_icon() {
    let app = spawn_app_with(|settings| {
        settings.site.main_color = Some("#005a9c".into());
        settings.site.favicon_url = Some("https://www.univ-exemple.fr/favicon.ico".into());
    })
    .await;
    let home = app.get("/").await;
    assert_contains(
        &home,
        &[
            "<link rel=\"stylesheet\" href=\"/site.css?v=",
            "<link rel=\"icon\" href=\"https://www.univ-exemple.fr/favicon.ico\">",
        ],
    );
    let csp = home.header("content-security-policy").unwrap();
    assert!(
        csp.contains("img-src 'self' https://www.univ-exemple.fr"),
        "{csp}"
    );
    let css = app.get("/site.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.body.contains("--brand: #005a9c;"), "{}", css.body);

    // Without a colour, Passerelle's own, and no stylesheet to fetch.
    let plain = spawn_app_with(|_| {}).await;
    assert!(!plain.get("/").await.body.contains("/site.css"));
    assert_eq!(plain.get("/site.css").await.status, StatusCode::NOT_FOUND);
}

/// The stylesheet puts each radio button on its label's line, draws the
/// secondary buttons (« Afficher », « Annuler ») outlined, frames the
/// captcha, and forms.js shows « Votre question » only with its choice.
#[tokio::test(flavor = "multi_thread")]
async fn the_stylesheet_and_script_carry_the_page_fixes() {
    let app = spawn_app_with(|_| {}).await;
    let css = app.get("/static/css/passerelle.css").await.body;
    for rule in [
        ".field .choice { display: flex;",
        ".field .choice label { display: inline;",
        "button.secondary, .button.secondary, .password-toggle { background: var(--paper);",
        ".captcha fieldset { border: 1px solid var(--line);",
    ] {
        assert!(css.contains(rule), "{rule} missing");
    }
    let script = app.get("/static/js/forms.js").await.body;
    assert!(script.contains("data-show-when"));
}
