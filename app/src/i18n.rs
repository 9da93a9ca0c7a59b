//! Internationalisation: Fluent translations (en, fr, de, es) through leptos-fluent.
//!
//! The language is negotiated by us ([`Language::negotiate`]: cookie > Accept-Language >
//! English) rather than by leptos-fluent's own SSR readers, so that one tested function
//! decides, malformed cookies cannot panic the renderer, and `<html lang>` always matches
//! the text. Missing keys fail the build (`app/build.rs`).

use crate::domain::language::Language;
use leptos::prelude::*;
use leptos_fluent::leptos_fluent;
use leptos_meta::Html;

/// The language of the request being rendered (English outside a request).
pub fn request_language() -> Language {
    #[cfg(feature = "ssr")]
    {
        use crate::domain::language::{cookie_value, LANGUAGE_COOKIE};
        use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
        if let Some(parts) = use_context::<axum::http::request::Parts>() {
            let header =
                |name| parts.headers.get(name).and_then(|v: &axum::http::HeaderValue| v.to_str().ok());
            let cookie = header(COOKIE).and_then(|c| cookie_value(c, LANGUAGE_COOKIE));
            return Language::negotiate(cookie, header(ACCEPT_LANGUAGE));
        }
    }
    Language::default()
}

/// Provides the translations to `children`, in the language negotiated for the request,
/// and stamps `<html lang>` with it.
#[component]
pub fn I18nProvider(children: Children) -> impl IntoView {
    let language = request_language();
    provide_context(language);
    view! {
        <Html attr:lang=language.code() />
        {leptos_fluent! {
            children: {
                let i18n = expect_context::<leptos_fluent::I18n>();
                if let Some(l) = i18n.languages.iter().find(|l| l.id == language.code()) {
                    i18n.language.set(l);
                }
                children()
            },
            locales: "../locales",
            default_language: "en",
            // Our four languages are all left-to-right: no bidi isolation marks around
            // numbers and names (U+2068 … U+2069 around "9" in "9 results"), which screen readers may spell out.
            customise: |bundle| bundle.set_use_isolating(false),
        }}
    }
}

/// `tr!` with one literal key: that message in the language being rendered. Messages without
/// arguments are the same every time for a language, so the server formats each once per
/// worker thread and then copies it (Fluent's lookup and formatting were 7 % of the home
/// page's server time). In the browser, and with arguments, this is leptos-fluent's `tr!`.
#[macro_export]
macro_rules! tr {
    ($text_id:literal $(,)?) => {
        $crate::i18n::message($text_id)
    };
    ($($rest:tt)*) => {
        ::leptos_fluent::tr!($($rest)*)
    };
}

/// The argument-free message `text_id` in the language being rendered (see [`tr!`]).
pub fn message(text_id: &'static str) -> String {
    let i18n = expect_context::<leptos_fluent::I18n>();
    #[cfg(feature = "ssr")]
    {
        use std::cell::RefCell;
        use std::collections::HashMap;
        thread_local! {
            static FORMATTED: RefCell<HashMap<(&'static str, &'static str), String>> =
                RefCell::new(HashMap::new());
        }
        let language = i18n.language.get_untracked().id;
        if let Some(found) = FORMATTED.with_borrow(|m| m.get(&(language, text_id)).cloned()) {
            return found;
        }
        let formatted = i18n.tr(text_id);
        FORMATTED.with_borrow_mut(|m| m.insert((language, text_id), formatted.clone()));
        formatted
    }
    #[cfg(not(feature = "ssr"))]
    i18n.tr(text_id)
}

/// The language being rendered, as provided by [`I18nProvider`].
pub fn use_language() -> Language {
    use_context::<Language>().unwrap_or_default()
}

/// Translates a key chosen at run time (an error's or a navigation entry's). Literal keys
/// use `tr!`; keys passed here are checked by the `dynamic_keys_exist` test instead.
pub fn t(key: &str) -> String {
    expect_context::<leptos_fluent::I18n>().tr(key)
}

#[cfg(feature = "ssr")]
fluent_templates::static_loader! {
    // The same files, for what is written outside a page (e-mails).
    static OUTSIDE_PAGES = {
        locales: "../locales",
        fallback_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// Message `key` in `language` outside any page (an e-mail to someone), with `args`.
#[cfg(feature = "ssr")]
pub fn message_in(
    language: Language,
    key: &str,
    args: &[(&'static str, fluent_templates::fluent_bundle::FluentValue<'static>)],
) -> String {
    use fluent_templates::Loader;
    let id: fluent_templates::LanguageIdentifier = language.code().parse().unwrap_or_default();
    let args: std::collections::HashMap<std::borrow::Cow<'static, str>, _> =
        args.iter().map(|(k, v)| (std::borrow::Cow::Borrowed(*k), v.clone())).collect();
    OUTSIDE_PAGES.lookup_with_args(&id, key, &args)
}

/// [`t`] with one argument (`$name` in the message): a string, or a number that plural
/// rules select on.
pub fn t_with(
    key: &str,
    name: &'static str,
    value: impl Into<fluent_templates::fluent_bundle::FluentValue<'static>>,
) -> String {
    let args = std::collections::HashMap::from([(std::borrow::Cow::Borrowed(name), value.into())]);
    expect_context::<leptos_fluent::I18n>().tr_with_args(key, &args)
}

#[cfg(test)]
mod tests {
    use crate::components::nav::NAV;
    use crate::domain::role::Role;
    use crate::error::AppError;
    use crate::i18n_check;
    use std::fs;
    use std::path::{Path, PathBuf};

    fn locales() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../locales")
    }

    #[test]
    fn shipped_translations_are_complete() {
        let problems =
            i18n_check::check(&locales(), Some(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src")));
        assert!(problems.is_empty(), "{problems:#?}");
    }

    /// The words of every message of `lang` (text only: placeables, selectors and ids
    /// left out), lower-cased.
    fn words_of(lang: &str) -> std::collections::BTreeSet<String> {
        use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
        fn text(p: &Pattern<&str>, out: &mut String) {
            for e in &p.elements {
                match e {
                    PatternElement::TextElement { value } => out.push_str(value),
                    PatternElement::Placeable { expression: Expression::Select { variants, .. } } => {
                        for v in variants {
                            out.push(' ');
                            text(&v.value, out);
                        }
                    }
                    PatternElement::Placeable {
                        expression: Expression::Inline(InlineExpression::StringLiteral { value }),
                    } => out.push_str(value),
                    PatternElement::Placeable { .. } => out.push(' '),
                }
            }
        }
        let mut all = String::new();
        for entry in fs::read_dir(locales().join(lang)).expect("locale").filter_map(Result::ok) {
            let source = fs::read_to_string(entry.path()).expect("ftl");
            let resource = fluent_syntax::parser::parse(source.as_str()).expect("parses");
            for e in resource.body {
                if let Entry::Message(m) = e {
                    if let Some(v) = &m.value {
                        text(v, &mut all);
                        all.push('\n');
                    }
                }
            }
        }
        // `tenant_id` (a claim's name) is one word, not "tenant".
        all.split(|c: char| !c.is_alphabetic() && c != '_')
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    }

    #[test]
    fn the_glossary_holds() {
        let glossary = fs::read_to_string(locales().join("glossary.txt")).expect("glossary");
        let mut problems = Vec::new();
        for line in glossary.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let [concept, lang, term, forbidden @ ..] = fields.as_slice() else {
                panic!("glossary line: {line}")
            };
            let words = words_of(lang);
            if !words.contains(&term.to_lowercase()) {
                problems.push(format!("{lang}: {concept} is said \"{term}\", which no message uses"));
            }
            for f in forbidden {
                if words.contains(&f.to_lowercase()) {
                    problems.push(format!("{lang}: {concept} is \"{term}\", not \"{f}\""));
                }
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn dynamic_keys_exist() {
        let en = i18n_check::message_ids(&locales().join("en")).expect("en parses");
        let errors = [
            AppError::NotFound,
            AppError::Unauthorized,
            AppError::Forbidden,
            AppError::BadRequest,
            AppError::Validation(vec![]),
            AppError::Conflict { code: String::new() },
            AppError::TooManyRequests,
            AppError::Unavailable,
            AppError::Internal,
        ];
        let roles = [Role::Viewer, Role::Devops, Role::TenantAdmin, Role::CpiAdmin, Role::Security]
            .map(Role::label_key);
        use crate::components::labels::{audience_key, auth_key};
        use crate::domain::catalog::{Audience, AuthType};
        let mut keys: Vec<String> = errors
            .iter()
            .map(AppError::message_key)
            .chain(NAV.iter().map(|i| i.label))
            .chain(
                crate::components::nav::CONSOLE
                    .iter()
                    .flat_map(|g| std::iter::once(g.label).chain(g.items.iter().map(|i| i.label))),
            )
            .chain(roles)
            .chain(Audience::ALL.iter().map(|a| audience_key(*a)))
            .chain(AuthType::ALL.iter().map(|a| auth_key(*a)))
            .chain(["kind-api", "kind-mcp"])
            .map(str::to_owned)
            .collect();
        keys.extend(["published", "deprecated", "retired", "draft"].map(|s| format!("api-status-{s}")));
        keys.extend(
            ["invalid-date", "before-from", "invalid-number", "too-large"]
                .map(|c| format!("audit-error-{c}")),
        );
        use crate::domain::subscription::State;
        keys.extend(State::ALL.iter().map(|s| format!("sub-state-{}", s.as_str())));
        keys.extend(
            [
                "choose-application",
                "unknown-application",
                "choose-plan",
                "unknown-plan",
                "plan-archived",
                "same-plan",
                "not-active",
                "already-subscribed",
                "choose-tools",
                "unknown-tool",
                "ttl-out-of-range",
                "reason-too-short",
                "choose-subscriptions",
                "already-decided",
                "beyond-plan",
            ]
            .map(|c| format!("sub-error-{c}")),
        );
        keys.extend(
            ["approve", "reject", "suspend", "reactivate", "revoke"].map(|a| format!("queue-action-{a}")),
        );
        keys.extend(crate::model::notifications::KINDS.map(|k| format!("notif-{k}")));
        keys.extend(crate::model::notifications::DECIDED_KINDS.map(|k| format!("notif-decided-{k}")));
        keys.extend(crate::model::notifications::OUTCOMES.map(|o| format!("notif-outcome-{o}")));
        use crate::domain::promotion::{Action as PromotionAction, State as PromotionState};
        keys.extend(PromotionState::ALL.iter().map(|s| format!("req-state-{}", s.as_str())));
        keys.extend(PromotionAction::ALL.iter().map(|a| format!("req-action-{}", a.as_str())));
        keys.extend(["create", "comment", "launch-retry"].map(|a| format!("req-action-{a}")));
        use crate::model::demo::ResetTrigger;
        keys.extend(
            [ResetTrigger::Seed, ResetTrigger::Schedule, ResetTrigger::Manual]
                .map(|t| format!("demo-trigger-{}", t.as_str())),
        );
        keys.extend(crate::model::promotions::IMPACTS.map(|i| format!("req-impact-{i}")));
        use crate::pages::console::members::{ERROR_CODES, TENANT_STATUSES};
        keys.extend(ERROR_CODES.map(|c| format!("members-error-{c}")));
        keys.extend(crate::pages::console::plans::ERROR_CODES.map(|c| format!("plans-error-{c}")));
        keys.extend(
            crate::pages::console::apis::LIFECYCLE_ERRORS.map(|c| format!("console-lifecycle-error-{c}")),
        );
        keys.extend(["deprecated", "retired"].map(|d| format!("console-done-{d}")));
        use crate::domain::plan::PlanStatus;
        keys.extend(PlanStatus::ALL.iter().map(|s| format!("plans-status-{}", s.as_str())));
        keys.extend(TENANT_STATUSES.map(|s| format!("tenants-status-{s}")));
        use crate::domain::invitation::Status as InvitationStatus;
        keys.extend(InvitationStatus::ALL.iter().map(|s| format!("members-status-{}", s.as_str())));
        keys.extend(["approve", "reject", "cancel", "comment"].map(|a| format!("req-done-{a}")));
        keys.extend(
            [
                "required",
                "not-in-staging",
                "already-in-prod",
                "unknown-target-type",
                "justification-too-short",
                "too-long",
                "unknown-impact",
                "invalid-url",
                "in-the-past",
                "invalid-date",
                "reason-too-short",
                "already-decided",
                "comment-length",
            ]
            .map(|c| format!("req-error-{c}")),
        );
        keys.extend(
            [
                "unknown-period",
                "required",
                "invalid-date",
                "before-from",
                "too-long",
                "unknown",
                "conflict",
                "invalid",
                "too-many-points",
                "out-of-range",
            ]
            .map(|c| format!("usage-error-{c}")),
        );
        keys.extend(["1h", "24h", "7d", "30d", "custom"].map(|p| format!("usage-period-{p}")));
        keys.extend(
            crate::domain::onboarding::Step::ALL.iter().map(|s| format!("onboarding-step-{}", s.slug())),
        );
        for u in crate::domain::onboarding::UseCase::ALL {
            keys.push(format!("onboarding-use-case-{}", u.as_str()));
            keys.push(format!("onboarding-use-case-{}-hint", u.as_str()));
        }
        keys.extend(
            crate::domain::metering::CallStatus::ALL.iter().map(|s| format!("onboarding-fix-{}", s.as_str())),
        );
        keys.extend(crate::pages::portal::onboarding::ERRORS.iter().map(|c| format!("onboarding-error-{c}")));
        keys.extend(
            crate::domain::onboarding::Stage::ALL.iter().map(|s| format!("onboarding-stage-{}", s.slug())),
        );
        keys.extend(["days", "stalled-hours", "tenant"].map(|f| format!("onboarding-funnel-error-{f}")));
        for key in &keys {
            let key = key.as_str();
            assert!(en.contains(key), "`{key}` missing from locales/en");
        }
    }

    /// The build check is only worth something if it catches a gap: remove one key from
    /// one locale of a copy and it must say which key and which locale.
    #[test]
    fn a_missing_key_is_reported() {
        let dir = std::env::temp_dir().join(format!("stoa-i18n-{}", std::process::id()));
        for lang in i18n_check::LOCALES {
            fs::create_dir_all(dir.join(lang)).expect("temp dir");
            let body = if lang == "de" { "a = A\n" } else { "a = A\nb = B\n" };
            fs::write(dir.join(lang).join("main.ftl"), body).expect("write ftl");
        }
        let problems = i18n_check::check(&dir, None);
        assert_eq!(problems, ["`b` is missing in locale `de`"]);

        fs::write(dir.join("fr").join("main.ftl"), "a = A\nb = {\n").expect("write ftl");
        let problems = i18n_check::check(&dir, None);
        assert!(problems.iter().any(|p| p.contains("syntax error")), "{problems:?}");
        fs::remove_dir_all(&dir).ok();
    }

    /// The same check fails `cargo build`: proven by building a throwaway crate whose
    /// build script is our `build.rs`, against a copy of the locales with a key removed.
    #[test]
    fn the_build_fails_on_a_missing_key() {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = std::env::temp_dir().join(format!("stoa-i18n-build-{}", std::process::id()));
        let krate = root.join("app");
        fs::create_dir_all(krate.join("src")).expect("dirs");
        for lang in i18n_check::LOCALES {
            let from = locales().join(lang);
            let to = root.join("locales").join(lang);
            fs::create_dir_all(&to).expect("dirs");
            for entry in fs::read_dir(&from).expect("locale dir").filter_map(Result::ok) {
                let mut text = fs::read_to_string(entry.path()).expect("ftl");
                if lang == "es" {
                    text = text.lines().filter(|l| !l.starts_with("nav-home")).collect::<Vec<_>>().join("\n");
                }
                fs::write(to.join(entry.file_name()), text).expect("copy ftl");
            }
        }
        fs::copy(manifest.join("build.rs"), krate.join("build.rs")).expect("build.rs");
        fs::copy(manifest.join("i18n_check.rs"), krate.join("i18n_check.rs")).expect("check");
        fs::write(krate.join("src/lib.rs"), "").expect("lib");
        let fluent_syntax = "fluent-syntax = \"0.12\"";
        fs::write(
            krate.join("Cargo.toml"),
            format!("[package]\nname = \"i18n-probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\n[workspace]\n[build-dependencies]\n{fluent_syntax}\n"),
        )
        .expect("manifest");
        let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/i18n-probe");
        let out = std::process::Command::new(env!("CARGO"))
            .args(["build", "--offline", "--quiet"])
            .arg("--target-dir")
            .arg(&target)
            .current_dir(&krate)
            .output()
            .expect("cargo runs");
        fs::remove_dir_all(&root).ok();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "build should fail");
        assert!(stderr.contains("`nav-home` is missing in locale `es`"), "{stderr}");
    }
}
