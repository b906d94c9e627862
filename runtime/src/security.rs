//! Which of the credentials a client holds go with a request. Each operation lists the
//! alternatives the document says it accepts, in the document's order, each the schemes
//! sent together with the OAuth2 scopes it requires of each; the first alternative the client
//! holds every credential of is applied.

/// A scheme an alternative requires, and the OAuth2 scopes it requires of it (sorted, each
/// once; empty for most schemes).
pub(crate) type Required<S> = (S, &'static [&'static str]);

/// The credentials of the first alternative of `alternatives` that `held` has a credential of
/// every scheme for (`scheme` tells a credential's), in the alternative's order, each with the
/// scopes the alternative requires of it. Every held credential of a chosen scheme is taken:
/// custom headers may be several. Empty when the operation accepts none, or the client holds
/// no alternative whole: the request then goes without credentials and the server decides,
/// rather than carrying ones it did not ask for.
pub(crate) fn choose<'a, C, S: PartialEq>(
    held: &'a [C],
    alternatives: &[&[Required<S>]],
    scheme: impl Fn(&C) -> S,
) -> Vec<(&'a C, &'static [&'static str])> {
    let Some(alternative) = alternatives
        .iter()
        .find(|alternative| alternative.iter().all(|(wanted, _)| held.iter().any(|c| scheme(c) == *wanted)))
    else {
        return Vec::new();
    };
    alternative
        .iter()
        .flat_map(|(wanted, scopes)| {
            held.iter().filter(|c| scheme(c) == *wanted).map(|c| (c, *scopes)).collect::<Vec<_>>()
        })
        .collect()
}

/// Adds `credential` to `held`, in the place of one it stands in for (`same`), so a client
/// holds one credential of each kind.
pub(crate) fn add<C>(held: &mut Vec<C>, credential: C, same: impl Fn(&C, &C) -> bool) {
    match held.iter_mut().find(|c| same(c, &credential)) {
        Some(slot) => *slot = credential,
        None => held.push(credential),
    }
}

#[cfg(test)]
mod tests {
    use super::{add, choose};

    /// A credential: its scheme and its value.
    type Cred = (&'static str, &'static str);

    fn values(chosen: Vec<(&Cred, &[&str])>) -> Vec<&'static str> {
        chosen.into_iter().map(|(c, _)| c.1).collect()
    }

    /// Alternatives of schemes that require no scope.
    fn unscoped(alternatives: &[&[&'static str]]) -> Vec<Vec<(&'static str, &'static [&'static str])>> {
        alternatives.iter().map(|a| a.iter().map(|s| (*s, &[] as &[&str])).collect()).collect()
    }

    fn pick<'a>(held: &'a [Cred], alternatives: &[&[&'static str]]) -> Vec<(&'a Cred, &'static [&'static str])> {
        let alternatives = unscoped(alternatives);
        let alternatives: Vec<&[(&str, &[&str])]> = alternatives.iter().map(Vec::as_slice).collect();
        choose(held, &alternatives, |c| c.0)
    }

    #[test]
    fn the_first_alternative_held_whole_wins() {
        let held: Vec<Cred> = vec![("bearer", "token"), ("key", "bot")];
        let pick = |alternatives: &[&[&'static str]]| values(pick(&held, alternatives));
        assert_eq!(pick(&[&["key"], &["bearer"]]), ["bot"]);
        assert_eq!(pick(&[&["bearer"], &["key"]]), ["token"]);
        assert_eq!(pick(&[&["basic"], &["bearer"]]), ["token"]);
        // An alternative needing several schemes at once is taken only whole, in its order.
        assert_eq!(pick(&[&["key", "basic"], &["key", "bearer"]]), ["bot", "token"]);
    }

    #[test]
    fn each_credential_goes_with_the_scopes_its_alternative_requires() {
        let held: Vec<Cred> = vec![("bearer", "token"), ("key", "bot")];
        let alternatives: &[&[(&str, &[&str])]] =
            &[&[("basic", &[])], &[("key", &[]), ("bearer", &["read", "write"])], &[("bearer", &["admin"])]];
        let chosen = choose(&held, alternatives, |c| c.0);
        let scopes: Vec<(&str, &[&str])> = chosen.into_iter().map(|(c, scopes)| (c.1, scopes)).collect();
        assert_eq!(scopes, [("bot", &[] as &[&str]), ("token", &["read", "write"])]);
    }

    #[test]
    fn nothing_is_sent_when_nothing_is_accepted_or_held() {
        let held: Vec<Cred> = vec![("key", "bot")];
        assert!(pick(&held, &[]).is_empty());
        assert!(pick(&held, &[&["bearer"]]).is_empty());
        assert!(pick(&held, &[&["key", "bearer"]]).is_empty());
        assert!(pick(&[], &[&["key"]]).is_empty());
    }

    #[test]
    fn every_credential_of_a_chosen_scheme_goes() {
        let held: Vec<Cred> = vec![("header", "a"), ("key", "bot"), ("header", "b")];
        assert_eq!(values(pick(&held, &[&["header"]])), ["a", "b"]);
    }

    #[test]
    fn a_credential_replaces_the_one_it_stands_for() {
        let mut held: Vec<Cred> = Vec::new();
        let same = |a: &Cred, b: &Cred| a.0 == b.0;
        add(&mut held, ("key", "old"), same);
        add(&mut held, ("bearer", "token"), same);
        add(&mut held, ("key", "new"), same);
        assert_eq!(held, [("key", "new"), ("bearer", "token")]);
    }
}
