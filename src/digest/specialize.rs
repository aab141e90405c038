//! Which of a reader's values a digest template reads, and how: when a
//! template only prints them or tests them for truth, it renders the same
//! for every reader with the same language and the same empty values, but
//! for those values. Such a template is rendered (and its CSS inlined) once
//! per kind of reader with a unique marker standing for each printed value,
//! and each reader's message is that text with the markers replaced.
//!
//! The walk is conservative: anything it cannot follow (inheritance,
//! includes, macros, `set`, filter sections, the whole `subscriber` map,
//! functions other than `t` and `range`) makes the template render once per
//! reader, as any template did before. It reads Tera's syntax tree, which
//! Tera exports as unstable (`tera::ast`); a variant it does not know is
//! taken as one it cannot follow.

use std::collections::BTreeMap;

use tera::ast::{Expr, ExprVal, Node};

/// The names under which a digest template sees one reader's values.
const READER_NAMES: &[&str] = &[
    "subscriber",
    "lang",
    "unsubscribe_url",
    "preferences_url",
    "subject",
];

/// How a template uses one of a reader's values; a later kind covers the
/// earlier ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Use {
    /// Only printed as it is: `{{ subscriber.name }}`, or put into one of
    /// gazette's strings by `t(…, name=subscriber.name)`.
    Printed,
    /// Printed, and tested for truth: `{% if subscriber.name %}`.
    Tested,
    /// Anything else (compared, filtered, passed to a function): the
    /// rendering depends on the value itself.
    Exact,
}

/// What `templates` do with a reader's values, by the name they use
/// (`subscriber.name`, `lang`…); `None` when one of them does something
/// this walk cannot follow.
pub(super) fn uses<'t>(
    templates: impl IntoIterator<Item = &'t [Node]>,
) -> Option<BTreeMap<String, Use>> {
    let mut walk = Walk::default();
    for nodes in templates {
        walk.nodes(nodes)?;
    }
    Some(walk.uses)
}

/// Whether `name` is one of a reader's values (`Some(true)`), shared by all
/// readers (`Some(false)`), or a way to reach a reader's values that the
/// walk cannot follow (`None`).
fn reader_value(name: &str) -> Option<bool> {
    if name.starts_with("__tera") {
        return None;
    }
    for &root in READER_NAMES {
        let Some(rest) = name.strip_prefix(root) else {
            continue;
        };
        if rest.is_empty() {
            // The whole map would show every column at once.
            return (root != "subscriber").then_some(true);
        }
        if !rest.starts_with(['.', '[']) {
            // Another name that starts the same (`language`).
            continue;
        }
        let field = rest.strip_prefix('.').unwrap_or("");
        let plain = !field.is_empty()
            && field
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        return (root == "subscriber" && plain).then_some(true);
    }
    Some(false)
}

/// The name in `expr` when it is a bare name, possibly negated.
fn bare_name(expr: &Expr) -> Option<&str> {
    match &expr.val {
        ExprVal::Ident(name) if expr.filters.is_empty() => Some(name),
        _ => None,
    }
}

#[derive(Default)]
struct Walk {
    uses: BTreeMap<String, Use>,
}

impl Walk {
    fn note(&mut self, name: &str, how: Use) -> Option<()> {
        // The language chooses the words around every value.
        let how = if name == "lang" { Use::Exact } else { how };
        if reader_value(name)? {
            let kind = self.uses.entry(name.to_string()).or_insert(how);
            *kind = (*kind).max(how);
        }
        Some(())
    }

    fn nodes(&mut self, nodes: &[Node]) -> Option<()> {
        for node in nodes {
            match node {
                Node::Text(_)
                | Node::Raw(..)
                | Node::Comment(..)
                | Node::Break(_)
                | Node::Continue(_) => {}
                Node::VariableBlock(_, expr) => self.printed(expr)?,
                Node::If(branches, _) => {
                    for (_, condition, body) in &branches.conditions {
                        self.tested(condition)?;
                        self.nodes(body)?;
                    }
                    if let Some((_, body)) = &branches.otherwise {
                        self.nodes(body)?;
                    }
                }
                Node::Forloop(_, each, _) => {
                    // A loop variable named like a reader's value hides it.
                    let names = each.key.iter().chain([&each.value]);
                    if names
                        .into_iter()
                        .any(|n| READER_NAMES.contains(&n.as_str()))
                    {
                        return None;
                    }
                    self.exact(&each.container)?;
                    self.nodes(&each.body)?;
                    if let Some(body) = &each.empty_body {
                        self.nodes(body)?;
                    }
                }
                Node::Block(_, block, _) => self.nodes(&block.body)?,
                _ => return None,
            }
        }
        Some(())
    }

    /// `{{ expr }}`: printed as it is when it is a bare name, or gazette's
    /// `t()` with bare names for the words it puts in (the language and the
    /// key choose the words, so they count as exact).
    fn printed(&mut self, expr: &Expr) -> Option<()> {
        if expr.filters.is_empty() && !expr.negated {
            match &expr.val {
                ExprVal::Ident(name) => return self.note(name, Use::Printed),
                ExprVal::FunctionCall(call) if call.name == "t" => {
                    for (argument, value) in &call.args {
                        match (argument.as_str(), bare_name(value)) {
                            ("key" | "lang", _) | (_, None) => self.exact(value)?,
                            (_, Some(name)) if !value.negated => {
                                self.note(name, Use::Printed)?;
                            }
                            _ => self.exact(value)?,
                        }
                    }
                    return Some(());
                }
                _ => {}
            }
        }
        self.exact(expr)
    }

    /// An `if` condition: a bare name is tested for truth only.
    fn tested(&mut self, expr: &Expr) -> Option<()> {
        match bare_name(expr) {
            Some(name) => self.note(name, Use::Tested),
            None => self.exact(expr),
        }
    }

    fn exact(&mut self, expr: &Expr) -> Option<()> {
        self.value(&expr.val)?;
        for filter in &expr.filters {
            for argument in filter.args.values() {
                self.exact(argument)?;
            }
        }
        Some(())
    }

    fn value(&mut self, value: &ExprVal) -> Option<()> {
        match value {
            ExprVal::String(_) | ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) => {}
            ExprVal::Ident(name) => self.note(name, Use::Exact)?,
            ExprVal::Math(math) => {
                self.exact(&math.lhs)?;
                self.exact(&math.rhs)?;
            }
            ExprVal::Logic(logic) => {
                self.exact(&logic.lhs)?;
                self.exact(&logic.rhs)?;
            }
            ExprVal::In(within) => {
                self.exact(&within.lhs)?;
                self.exact(&within.rhs)?;
            }
            ExprVal::Test(test) => {
                self.note(&test.ident, Use::Exact)?;
                for argument in &test.args {
                    self.exact(argument)?;
                }
            }
            // Functions that give the same for the same arguments; `now()`
            // or `get_random()` would differ from one reader to the next.
            ExprVal::FunctionCall(call) if matches!(call.name.as_str(), "t" | "range") => {
                for argument in call.args.values() {
                    self.exact(argument)?;
                }
            }
            ExprVal::Array(items) => {
                for item in items {
                    self.exact(item)?;
                }
            }
            ExprVal::StringConcat(concat) => {
                for part in &concat.values {
                    self.value(part)?;
                }
            }
            _ => return None,
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uses_of(source: &str) -> Option<Vec<(String, Use)>> {
        let mut tera = tera::Tera::default();
        tera.add_raw_template("t.html", source).unwrap();
        let template = tera.get_template("t.html").unwrap();
        uses([template.ast.as_slice()]).map(|uses| uses.into_iter().collect())
    }

    fn named(pairs: &[(&str, Use)]) -> Option<Vec<(String, Use)>> {
        Some(pairs.iter().map(|(n, u)| (n.to_string(), *u)).collect())
    }

    #[test]
    fn printing_testing_and_anything_else_are_told_apart() {
        assert_eq!(
            uses_of("{{ subscriber.email }} {% for p in posts %}{{ p.title }}{% endfor %}"),
            named(&[("subscriber.email", Use::Printed)])
        );
        assert_eq!(
            uses_of(
                "{% if subscriber.name %}{{ t(key='hello', lang=lang, name=subscriber.name) }}{% endif %}{{ unsubscribe_url }}"
            ),
            named(&[
                ("lang", Use::Exact),
                ("subscriber.name", Use::Tested),
                ("unsubscribe_url", Use::Printed),
            ])
        );
        assert_eq!(
            uses_of("{% if subscriber.plan == 'paid' %}x{% endif %}{{ subscriber.name | upper }}{{ language }}"),
            named(&[("subscriber.name", Use::Exact), ("subscriber.plan", Use::Exact)])
        );
        assert_eq!(
            uses_of("{% if not preferences_url %}x{% endif %}{{ subscriber.name | safe }}"),
            named(&[
                ("preferences_url", Use::Tested),
                ("subscriber.name", Use::Exact)
            ])
        );
    }

    #[test]
    fn what_the_walk_cannot_follow_is_refused() {
        for source in [
            "{{ subscriber }}",
            "{% for k, v in subscriber %}{{ v }}{% endfor %}",
            "{% set n = subscriber.name %}{{ n }}",
            "{% filter upper %}{{ subscriber.name }}{% endfilter %}",
            "{% for subscriber in posts %}{{ subscriber.title }}{% endfor %}",
            "{{ now() }}",
            "{{ __tera_context }}",
            "{{ subscriber['name'] }}",
            "{% macro m(x) %}{{ x }}{% endmacro m %}",
        ] {
            assert_eq!(uses_of(source), None, "{source}");
        }
    }
}
