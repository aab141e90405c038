//! The configuration reference (`docs/reference.md`) is checked against the
//! config structs: every key serde accepts must be listed there, so a new key
//! cannot ship undocumented.

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// A deserializer that only records the field names of the struct asked of it.
struct FieldNames<'a>(&'a mut Vec<&'static str>);

impl<'de> Deserializer<'de> for FieldNames<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.extend_from_slice(fields);
        Err(de::Error::custom("names recorded"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

fn keys<'de, T: Deserialize<'de>>() -> Vec<&'static str> {
    let mut names = Vec::new();
    let _ = T::deserialize(FieldNames(&mut names));
    assert!(
        !names.is_empty(),
        "no fields recorded for {}",
        std::any::type_name::<T>()
    );
    names
}

#[test]
fn every_config_key_is_in_the_reference() {
    let reference = include_str!("../../docs/reference.md");
    let sections: Vec<(&str, Vec<&'static str>)> = vec![
        ("", keys::<super::RawConfig>()),
        ("feeds", keys::<super::FeedsConfig>()),
        ("feeds.collections.NAME", keys::<super::CollectionFeed>()),
        ("fields", keys::<super::fields::FieldsFile>()),
        ("translations", keys::<super::Translations>()),
        ("podcast", keys::<super::PodcastConfig>()),
        ("digest", keys::<super::DigestConfig>()),
        ("digest.dkim", keys::<super::DkimSettings>()),
        ("smtp", keys::<super::SmtpConfig>()),
        ("serve", keys::<super::ServeConfig>()),
        ("websub", keys::<super::WebSubConfig>()),
        ("author", keys::<super::Person>()),
    ];
    let mut missing = Vec::new();
    for (section, names) in sections {
        for name in names {
            let key = if section.is_empty() {
                name.to_string()
            } else {
                format!("{section}.{name}")
            };
            if !reference.contains(&format!("`{key}`")) {
                missing.push(key);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "docs/reference.md lacks: {}",
        missing.join(", ")
    );
}
