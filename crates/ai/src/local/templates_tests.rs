#![allow(clippy::unwrap_used)]
use super::*;

fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn builtins_declare_what_they_use() {
    let all = builtins();
    assert!(all.len() >= 6);
    for template in all {
        assert_eq!(
            check(template.body, &template.variables),
            Ok(()),
            "{}",
            template.id
        );
        assert_eq!(
            used_in(template.body).len(),
            template.variables.len(),
            "{}: every declared variable is used",
            template.id
        );
    }
}

#[test]
fn rendering_fills_variables_and_drops_unset_optional_ones() {
    let promo = builtins()
        .into_iter()
        .find(|t| t.id == "promotional")
        .unwrap();
    let text = render(
        promo.body,
        &promo.variables,
        &values(&[
            ("product", "Oat latte"),
            ("benefit", "creamy without dairy"),
        ]),
    )
    .unwrap();
    assert_eq!(text, "Oat latte: creamy without dairy.");
    let text = render(
        promo.body,
        &promo.variables,
        &values(&[
            ("product", "Oat latte"),
            ("benefit", "creamy"),
            ("call_to_action", "Try it today."),
        ]),
    )
    .unwrap();
    assert_eq!(text, "Oat latte: creamy.\n\nTry it today.");
}

#[test]
fn missing_unknown_and_undeclared_variables_are_named() {
    let promo = builtins()
        .into_iter()
        .find(|t| t.id == "promotional")
        .unwrap();
    assert_eq!(
        render(
            promo.body,
            &promo.variables,
            &values(&[("product", "Latte")])
        ),
        Err(RenderError::Missing("benefit".into()))
    );
    let extra = values(&[("product", "L"), ("benefit", "b"), ("colour", "red")]);
    assert_eq!(
        render(promo.body, &promo.variables, &extra),
        Err(RenderError::Unknown("colour".into()))
    );
    assert!(matches!(check("Hi {{name", &[var("name", "", true)]), Err(RenderError::Undeclared(_))), "an unclosed placeholder is refused");
    assert_eq!(
        check("Hi {{name}}", &[]),
        Err(RenderError::Undeclared("name".into()))
    );
    assert_eq!(
        check("Hi", &[var("bad name", "", true)]),
        Err(RenderError::BadName("bad name".into()))
    );
}
