//! Which of the credentials a client holds go with a request. Each operation lists the
//! alternatives the document says it accepts, in the document's order, each the schemes
//! sent together; the first alternative the client holds every credential of is applied.

/// The credentials of the first alternative of `alternatives` that `held` has a credential of
/// every scheme for (`scheme` tells a credential's), in the alternative's order. Every held
/// credential of a chosen scheme is taken: custom headers may be several. Empty when the
/// operation accepts none, or the client holds no alternative whole: the request then goes
/// without credentials and the server decides, rather than carrying ones it did not ask for.
pub(crate) fn choose<'a, C, S: PartialEq>(
    held: &'a [C],
    alternatives: &[&[S]],
    scheme: impl Fn(&C) -> S,
) -> Vec<&'a C> {
    let Some(alternative) = alternatives
        .iter()
        .find(|alternative| alternative.iter().all(|wanted| held.iter().any(|c| scheme(c) == *wanted)))
    else {
        return Vec::new();
    };
    alternative.iter().flat_map(|wanted| held.iter().filter(|c| scheme(c) == *wanted).collect::<Vec<_>>()).collect()
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

    fn values(chosen: Vec<&Cred>) -> Vec<&'static str> {
        chosen.into_iter().map(|c| c.1).collect()
    }

    #[test]
    fn the_first_alternative_held_whole_wins() {
        let held: Vec<Cred> = vec![("bearer", "token"), ("key", "bot")];
        let pick = |alternatives: &[&[&str]]| values(choose(&held, alternatives, |c| c.0));
        assert_eq!(pick(&[&["key"], &["bearer"]]), ["bot"]);
        assert_eq!(pick(&[&["bearer"], &["key"]]), ["token"]);
        assert_eq!(pick(&[&["basic"], &["bearer"]]), ["token"]);
        // An alternative needing several schemes at once is taken only whole, in its order.
        assert_eq!(pick(&[&["key", "basic"], &["key", "bearer"]]), ["bot", "token"]);
    }

    #[test]
    fn nothing_is_sent_when_nothing_is_accepted_or_held() {
        let held: Vec<Cred> = vec![("key", "bot")];
        assert!(choose(&held, &[], |c| c.0).is_empty());
        assert!(choose(&held, &[&["bearer"]], |c| c.0).is_empty());
        assert!(choose(&held, &[&["key", "bearer"]], |c| c.0).is_empty());
        assert!(choose(&Vec::<Cred>::new(), &[&["key"]], |c| c.0).is_empty());
    }

    #[test]
    fn every_credential_of_a_chosen_scheme_goes() {
        let held: Vec<Cred> = vec![("header", "a"), ("key", "bot"), ("header", "b")];
        assert_eq!(values(choose(&held, &[&["header"]], |c| c.0)), ["a", "b"]);
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
