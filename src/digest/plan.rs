//! What a digest run sends to whom. Each reader is due by their cadence
//! (`schedule`), wants the posts carrying one of their topics, and is owed
//! those they have not been sent: the ledger's digests and recipients say
//! who was sent what, so a post reaches each reader at most once whatever
//! they change between runs. Readers owed the same posts share one digest,
//! rendered once.

use std::collections::HashMap;

use chrono::{DateTime, Duration, FixedOffset, Utc};

use super::compose::DigestPost;
use super::schedule::Schedule;
use super::{days_before, rfc3339, DigestRecord, Run};
use crate::config::{Cadence, Config, DigestConfig};
use crate::content;
use crate::dates;
use crate::error::{Error, Report};
use crate::ledger::Ledger;
use crate::subscribers::list::Subscriber;

/// One digest a run works on.
pub(super) struct Plan {
    pub(super) record: DigestRecord,
    /// True when an unfinished digest is being finished.
    pub(super) resumed: bool,
    pub(super) posts: Vec<DigestPost>,
    /// Posts of a resumed digest that are no longer published: left out of
    /// the rest of it.
    pub(super) withdrawn: Vec<DigestPost>,
    /// Who it goes to, in order (for a resumed digest: who is still pending).
    pub(super) recipients: Vec<String>,
}

impl Plan {
    /// The plan as the ledger records a new digest.
    pub(super) fn as_new(&self) -> crate::ledger::NewDigest<'_, DigestPost> {
        crate::ledger::NewDigest {
            record: &self.record,
            posts: &self.posts,
            recipients: &self.recipients,
        }
    }
}

/// The period a run looks at: the look-back, or `--since`/`--days`.
pub(super) struct Period {
    /// Start of the look-back for readers mailed at every run.
    pub(super) since: DateTime<FixedOffset>,
    /// Days of the look-back.
    look_back: u32,
    /// `--since` or `--days` was given: everyone, everything in it.
    explicit: bool,
}

pub(super) fn period(run: &Run<'_>, ledger: Option<&Ledger>) -> Result<Period, Error> {
    let (config, digest, options, now) = (run.config, run.digest, run.options, run.now);
    let explicit =
        match (&options.since, options.days) {
            (Some(text), _) => Some(
                dates::parse(text, config.timezone)
                    .map_err(|e| Error::Usage(format!("--since: {e}")))?,
            ),
            (None, Some(days)) => Some(days_before(now, days).ok_or_else(|| {
                Error::Usage(format!("--days {days}: that reaches before year 1"))
            })?),
            (None, None) => None,
        };
    let has_completed = match ledger {
        Some(ledger) => ledger.has_completed()?,
        None => false,
    };
    let (look_back, key) = if has_completed {
        (digest.max_age_days, "max_age_days")
    } else {
        (digest.first_days, "first_days")
    };
    let since = match explicit {
        Some(since) => since,
        None => days_before(now, look_back).ok_or_else(|| {
            Error::config(
                &config.file,
                format!("`digest.{key} = {look_back}` reaches before year 1"),
            )
        })?,
    };
    Ok(Period {
        since,
        look_back,
        explicit: explicit.is_some(),
    })
}

impl Period {
    pub(super) fn is_explicit(&self) -> bool {
        self.explicit
    }
}

/// The post, or `None` with its diagnostic reported.
fn readable(
    post: Result<DigestPost, crate::error::Diagnostic>,
    report: &mut Report,
) -> Option<DigestPost> {
    post.map_err(|diagnostic| report.push(diagnostic)).ok()
}

/// The digests a previous run planned and did not finish, oldest first,
/// with their posts as planned (so every recipient gets the same text).
pub(super) fn unfinished(
    config: &Config,
    ledger: &Ledger,
    site: &content::Site,
    now: DateTime<Utc>,
    report: &mut Report,
) -> Result<Vec<Plan>, Error> {
    let by_id: HashMap<&str, &content::Post> =
        site.posts.iter().map(|p| (p.id.as_str(), p)).collect();
    let published = site.feed_posts(now);
    let resolver = crate::render::generator_syntax::Resolver::new(config, site);
    let mut plans = Vec::new();
    for record in ledger.unfinished_all()? {
        let mut planned = ledger.planned_posts(&record.id)?;
        // Digests planned before gazette kept their posts are rendered again.
        if planned.is_empty() {
            planned = record
                .posts
                .iter()
                .filter_map(|id| by_id.get(id.as_str()))
                .filter_map(|post| {
                    readable(
                        post.hydrate(config)
                            .and_then(|post| DigestPost::new(&post, config, &resolver)),
                        report,
                    )
                })
                .collect();
        }
        let (posts, withdrawn): (Vec<DigestPost>, Vec<DigestPost>) = planned
            .into_iter()
            .partition(|post| published.iter().any(|p| p.id == post.id));
        let recipients = ledger.pending(&record.id)?;
        plans.push(Plan {
            record,
            resumed: true,
            posts,
            withdrawn,
            recipients,
        });
    }
    Ok(plans)
}

/// Something a digest carries: a post, or an announced update of one.
struct Item<'a> {
    post: &'a content::Post,
    /// The `updated` instant of an announced update.
    update: Option<DateTime<FixedOffset>>,
    /// When it became news: the post's date, or the update's.
    at: DateTime<FixedOffset>,
}

/// Every post and announced update in reach of some reader, oldest first
/// and the news before the updates.
pub(super) struct Candidates<'a> {
    items: Vec<Item<'a>>,
}

impl Candidates<'_> {
    pub(super) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

pub(super) fn candidates<'a>(
    site: &'a content::Site,
    period: &Period,
    now: DateTime<Utc>,
) -> Candidates<'a> {
    // A monthly reader's mail reaches back a month whatever the look-back.
    let widest = if period.explicit {
        period.since
    } else {
        period
            .since
            .min((now - Schedule::reach(Cadence::Monthly)).fixed_offset())
    };
    let now_fixed = now.fixed_offset();
    let in_reach = |at: DateTime<FixedOffset>| at > widest && at <= now_fixed;
    let published = site.feed_posts(now);
    let mut items: Vec<Item<'_>> = published
        .iter()
        .rev()
        .filter_map(|&post| {
            let at = post.date.filter(|&d| in_reach(d))?;
            Some(Item {
                post,
                update: None,
                at,
            })
        })
        .collect();
    items.extend(published.iter().rev().filter_map(|&post| {
        let at = post
            .updated
            .filter(|&u| post.date.is_some_and(|d| u > d) && in_reach(u))?;
        post.update_notice.as_ref()?;
        Some(Item {
            post,
            update: Some(at),
            at,
        })
    }));
    Candidates { items }
}

/// What each reader has been sent: for each address, the keys (indexes
/// into `Sent::keys`) of the candidates' posts and updates.
struct Sent {
    keys: HashMap<(String, Option<String>), u32>,
    by_reader: HashMap<String, Vec<u32>>,
}

impl Sent {
    fn read(ledger: Option<&Ledger>, candidates: &Candidates<'_>) -> Result<Sent, Error> {
        let mut keys = HashMap::new();
        for item in &candidates.items {
            let next = keys.len() as u32;
            keys.entry((item.post.id.clone(), None)).or_insert(next);
            if let Some(at) = item.update {
                let next = keys.len() as u32;
                keys.entry((item.post.id.clone(), Some(at.to_rfc3339())))
                    .or_insert(next);
            }
        }
        let mut by_reader: HashMap<String, Vec<u32>> = HashMap::new();
        if let Some(ledger) = ledger {
            let mut ids: Vec<&str> = candidates
                .items
                .iter()
                .map(|i| i.post.id.as_str())
                .collect();
            ids.dedup();
            ledger.for_each_claim(&ids, |email, id, updated| {
                if let Some(&key) = keys.get(&(id, updated)) {
                    by_reader
                        .entry(email.to_ascii_lowercase())
                        .or_default()
                        .push(key);
                }
            })?;
        }
        Ok(Sent { keys, by_reader })
    }

    fn key(&self, item: &Item<'_>) -> Option<u32> {
        self.keys
            .get(&(item.post.id.clone(), item.update.map(|u| u.to_rfc3339())))
            .copied()
    }

    fn original(&self, item: &Item<'_>) -> Option<u32> {
        self.keys.get(&(item.post.id.clone(), None)).copied()
    }
}

/// How a run decides who is owed what.
pub(super) enum Readers<'s> {
    /// Every subscriber, each by their cadence and topics.
    Subscribers(&'s [Subscriber]),
    /// The same, for a send: the ledger's active members, read one at a
    /// time.
    Ledger,
    /// `--to`: one test recipient, owed what no digest carried yet.
    Test(&'s Subscriber),
}

/// The new digests of this run, and the cadence slots it handled.
pub(super) struct Grouped {
    pub(super) plans: Vec<Plan>,
    /// (address, slot): readers whose slot came, owed something or not.
    pub(super) handled: Vec<(String, String)>,
    /// The cadences readers chose.
    pub(super) cadences: Vec<Cadence>,
}

/// Readers owed the same items: the earliest start of their reach, and who.
type Group = (DateTime<FixedOffset>, Vec<String>);

/// What a run plans from: the site, the posts in reach and the period.
pub(super) struct Scope<'a> {
    pub(super) site: &'a content::Site,
    pub(super) candidates: &'a Candidates<'a>,
    pub(super) period: &'a Period,
}

/// Decides who is due and owed what, and groups readers owed the same
/// posts into one digest each.
pub(super) fn group(
    run: &Run<'_>,
    ledger: Option<&Ledger>,
    scope: &Scope<'_>,
    readers: Readers<'_>,
    report: &mut Report,
) -> Result<Grouped, Error> {
    let (config, digest, writes, now) = (run.config, run.digest, run.options.send, run.now);
    let (site, candidates, period) = (scope.site, scope.candidates, scope.period);
    // A preview of an explicit period shows all of it; a send never repeats.
    let consult_ledger = if writes || !period.explicit {
        ledger
    } else {
        None
    };
    let sent = Sent::read(consult_ledger, candidates)?;
    let digest_times: Vec<DateTime<Utc>> = match consult_ledger {
        Some(ledger) => ledger
            .digest_times()?
            .iter()
            .filter_map(|t| parse(t))
            .collect(),
        None => Vec::new(),
    };
    let everyone_sent: Vec<u32> = {
        let mut all: Vec<u32> = sent.by_reader.values().flatten().copied().collect();
        all.sort_unstable();
        all.dedup();
        all
    };
    let test = matches!(readers, Readers::Test(_));
    let window = Window {
        schedule: Schedule::new(digest, config.timezone),
        digest_times,
        period,
        now,
        test,
    };
    // Each item's key, and its post's, looked up once for every reader.
    let item_keys: Vec<(Option<u32>, Option<u32>)> = candidates
        .items
        .iter()
        .map(|item| (sent.key(item), sent.original(item)))
        .collect();
    let mut handled = Vec::new();
    let mut cadences = Vec::new();
    // (reader, one digest per post, start of their reach, what they are owed)
    let mut owed_by: Vec<Owed> = Vec::new();
    let mut consider = |reader: &Subscriber| {
        if let Some(cadence) = reader.choice.cadence.filter(|c| !cadences.contains(c)) {
            cadences.push(cadence);
        }
        let cadence = reader.choice.cadence.or(digest.cadence);
        let Some((start, upto)) = window.of(reader, cadence, &mut handled) else {
            return;
        };
        let had: &[u32] = if test {
            &everyone_sent
        } else {
            sent.by_reader
                .get(&reader.email.to_ascii_lowercase())
                .map_or(&[], Vec::as_slice)
        };
        let owed: Vec<u32> = candidates
            .items
            .iter()
            .zip(&item_keys)
            .enumerate()
            .filter(|(_, (item, (key, original)))| {
                item.at > start
                    && item.at <= upto
                    && reader.choice.wants(&item.post.tags)
                    && key.is_some_and(|key| !had.contains(&key))
                    // An update goes to those who got the post.
                    && (item.update.is_none()
                        || original.is_some_and(|key| had.contains(&key)))
            })
            .map(|(i, _)| i as u32)
            .collect();
        if !owed.is_empty() {
            owed_by.push((
                reader.email.clone(),
                cadence == Some(Cadence::Post),
                start,
                owed,
            ));
        }
    };
    match readers {
        Readers::Subscribers(all) => all.iter().for_each(&mut consider),
        Readers::Test(one) => consider(one),
        Readers::Ledger => {
            if let Some(ledger) = ledger {
                ledger.for_each_reader(|reader| consider(&reader))?;
            }
        }
    }

    let rendered = render_owed(config, site, candidates, &owed_by, report);
    let plans = plans_of(owed_by, &rendered, now);
    Ok(Grouped {
        plans,
        handled,
        cadences,
    })
}

/// What decides the stretch of time a reader is owed posts from.
struct Window<'a> {
    schedule: Schedule,
    /// When the ledger's digests were created, oldest first.
    digest_times: Vec<DateTime<Utc>>,
    period: &'a Period,
    now: DateTime<Utc>,
    /// `--to`: the test reader is due whatever the schedule says.
    test: bool,
}

impl Window<'_> {
    /// The reader's (start, end) of what they are owed now; `None` when
    /// their cadence's slot has not come. A slot that came is noted in
    /// `handled`.
    fn of(
        &self,
        reader: &Subscriber,
        cadence: Option<Cadence>,
        handled: &mut Vec<(String, String)>,
    ) -> Option<(DateTime<FixedOffset>, DateTime<FixedOffset>)> {
        let (period, schedule, now) = (self.period, &self.schedule, self.now);
        let scheduled = cadence.filter(|&c| c != Cadence::Post);
        let joined = reader.joined.as_deref().and_then(parse);
        // A scheduled digest carries what was published by its slot; a
        // post after it waits for the next slot, even if this run is the
        // first to look since the slot came.
        let mut upto = now.fixed_offset();
        if let (Some(cadence), false, false) = (scheduled, period.explicit, self.test) {
            let slot = schedule.slot(cadence, now)?;
            let last = reader
                .handled_slot
                .as_deref()
                .and_then(parse)
                .or_else(|| joined.and_then(|j| schedule.slot(cadence, j)));
            if last.is_some_and(|last| last >= slot) {
                return None;
            }
            handled.push((reader.email.clone(), rfc3339(slot)));
            upto = slot.fixed_offset();
        }
        if period.explicit {
            return Some((period.since, upto));
        }
        let reach = match scheduled {
            Some(cadence) => (now
                - Schedule::reach(cadence).max(Duration::days(i64::from(period.look_back))))
            .fixed_offset(),
            None => period.since,
        };
        // Someone who joined gets what others get from then on: the
        // slot before they joined, or the digest before they joined.
        let floor = joined.and_then(|joined| match scheduled {
            Some(cadence) => schedule.slot(cadence, joined),
            None => {
                let before = self.digest_times.partition_point(|&t| t < joined);
                before.checked_sub(1).map(|i| self.digest_times[i])
            }
        });
        Some((
            floor.map_or(reach, |floor| reach.max(floor.fixed_offset())),
            upto,
        ))
    }
}

/// (reader, one digest per post, start of their reach, the items they are owed)
type Owed = (String, bool, DateTime<FixedOffset>, Vec<u32>);

/// Each item owed to someone, rendered once; `None` for one whose file
/// changed since it was read (it waits for the next run).
fn render_owed(
    config: &Config,
    site: &content::Site,
    candidates: &Candidates<'_>,
    owed_by: &[Owed],
    report: &mut Report,
) -> HashMap<u32, Option<DigestPost>> {
    let resolver = crate::render::generator_syntax::Resolver::new(config, site);
    let mut rendered: HashMap<u32, Option<DigestPost>> = HashMap::new();
    for (_, _, _, owed) in owed_by {
        for &i in owed {
            rendered.entry(i).or_insert_with(|| {
                let item = &candidates.items[i as usize];
                readable(
                    item.post
                        .hydrate(config)
                        .and_then(|post| DigestPost::new(&post, config, &resolver))
                        .map(|post| match item.update {
                            Some(_) => post.announcing_update(item.post),
                            None => post,
                        }),
                    report,
                )
            });
        }
    }
    rendered
}

/// Readers owed the same posts share one digest (a reader who wants one
/// digest per post gets one per item).
fn plans_of(
    owed_by: Vec<Owed>,
    rendered: &HashMap<u32, Option<DigestPost>>,
    now: DateTime<Utc>,
) -> Vec<Plan> {
    let mut groups: HashMap<Vec<u32>, Group> = HashMap::new();
    for (email, one_each, start, owed) in owed_by {
        let owed: Vec<u32> = owed
            .into_iter()
            .filter(|i| rendered.get(i).is_some_and(Option::is_some))
            .collect();
        let keys: Vec<Vec<u32>> = if one_each {
            owed.into_iter().map(|i| vec![i]).collect()
        } else if owed.is_empty() {
            Vec::new()
        } else {
            vec![owed]
        };
        for key in keys {
            let group = groups.entry(key).or_insert((start, Vec::new()));
            group.0 = group.0.min(start);
            group.1.push(email.clone());
        }
    }
    let mut groups: Vec<(Vec<u32>, Group)> = groups.into_iter().collect();
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    groups
        .into_iter()
        .enumerate()
        .map(|(n, (key, (since, recipients)))| {
            let posts: Vec<DigestPost> = key
                .iter()
                .filter_map(|i| rendered.get(i).cloned().flatten())
                .collect();
            let id = match n {
                0 => rfc3339(now),
                n => format!("{}/{}", rfc3339(now), n + 1),
            };
            Plan {
                record: DigestRecord {
                    id,
                    created_at: rfc3339(now),
                    since: rfc3339(since.with_timezone(&Utc)),
                    until: rfc3339(now),
                    posts: posts.iter().map(|p| p.id.clone()).collect(),
                    completed_at: None,
                },
                resumed: false,
                posts,
                withdrawn: Vec::new(),
                recipients,
            }
        })
        .collect()
}

/// What decides whether any reader could be owed anything, as one string:
/// the posts in reach (with their tags, which topics match), the look-back, the ledger's
/// subscribers (a version their every change bumps), the list file and the
/// digest settings. A run that left everyone served records it with the
/// next slot any reader's cadence reaches; until then, a run that finds it
/// unchanged has nothing to do and need not read the list.
pub(super) fn quiet_key(
    digest: &DigestConfig,
    candidates: &Candidates<'_>,
    period: &Period,
    ledger: &Ledger,
    list: Option<&str>,
) -> Result<String, Error> {
    use sha2::Digest as _;
    let mut hash = sha2::Sha256::new();
    // The look-back grows from `first_days` to `max_age_days` once a digest
    // is complete, which may make older posts owed.
    hash.update(period.look_back.to_le_bytes());
    for item in &candidates.items {
        hash.update(item.post.id.as_bytes());
        hash.update([0]);
        hash.update(item.update.map(|u| u.to_rfc3339()).unwrap_or_default());
        for tag in &item.post.tags {
            hash.update([1]);
            hash.update(tag.as_bytes());
        }
        hash.update([2]);
    }
    hash.update(ledger.roster_version()?.unwrap_or_default());
    hash.update([3]);
    hash.update(list.unwrap_or("no list"));
    hash.update(format!(
        "{:?} {} {:?} {} {:?} {} {}",
        digest.cadence,
        digest.hour,
        digest.weekday,
        digest.day_of_month,
        digest.topics,
        digest.first_days,
        digest.max_age_days
    ));
    Ok(hex::encode(hash.finalize()))
}

/// The first slot after `now` of any of these cadences.
pub(super) fn next_due(
    digest: &DigestConfig,
    timezone: chrono_tz::Tz,
    cadences: impl IntoIterator<Item = Cadence>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let schedule = Schedule::new(digest, timezone);
    cadences
        .into_iter()
        .filter_map(|cadence| {
            (1..=32).find_map(|days| {
                schedule
                    .slot(cadence, now + Duration::days(days))
                    .filter(|&slot| slot > now)
            })
        })
        .min()
}

pub(super) fn parse(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}
