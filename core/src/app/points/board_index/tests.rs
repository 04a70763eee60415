use proptest::prelude::*;

use super::*;
use crate::app::insight::{InsightCommand, InsightReply};
use crate::app::testing::{NOON, community_with_key, slug};
use crate::app::{Actor, Command, Reply, handle};
use crate::insight::tiers::{self, Tiers};
use crate::recognition::{LeaderboardRow, rank};
use crate::store::{MemoryStore, block_on};

use super::super::board_rows;

const BOARD_SCAN: usize = crate::app::points::BOARD_SCAN_MAX;
const PERIODS: [&str; 3] = ["2026-W40", "2026-10", "all"];

fn period(i: usize) -> PeriodKey {
    PeriodKey::parse(PERIODS[i]).unwrap()
}

fn id(i: usize) -> MemberId {
    MemberId::parse(&format!("m{i:03}")).unwrap()
}

/// Every entry of the board, as stored.
fn board(store: &MemoryStore, period: &PeriodKey) -> Vec<BoardEntry> {
    block_on(store.list(&rkeys::board_prefix(period), None, usize::MAX))
        .unwrap()
        .entries
        .iter()
        .map(|(_, v)| board_entry(v).unwrap())
        .collect()
}

/// What earning does to a board (see `earn`): the stored entry plus `gained`, through the
/// index.
fn earn(
    store: &MemoryStore,
    batch: &mut Batch,
    period: &PeriodKey,
    member: &MemberId,
    gained: u64,
    at: Timestamp,
) {
    let stored = block_on(get_json::<BoardEntry>(store, &rkeys::board(period, member))).unwrap();
    let entry = BoardEntry::add(stored.clone(), member, gained, at).unwrap();
    block_on(put_entry(store, batch, period, stored.as_ref(), &entry)).unwrap();
}

/// A board written before the index: the entry alone.
fn earn_unindexed(
    store: &MemoryStore,
    period: &PeriodKey,
    member: &MemberId,
    gained: u64,
    at: Timestamp,
) {
    let stored = block_on(get_json::<BoardEntry>(store, &rkeys::board(period, member))).unwrap();
    let entry = BoardEntry::add(stored, member, gained, at).unwrap();
    let mut batch = Batch::new();
    batch
        .put_json(rkeys::board(period, member), &entry)
        .unwrap();
    block_on(store.commit(batch)).unwrap();
}

/// The index holds exactly one key per entry with points, and the totals add them up.
fn assert_index_matches_board(store: &MemoryStore, period: &PeriodKey) {
    let entries = board(store, period);
    let mut expected: Vec<String> = entries
        .iter()
        .filter(|e| e.points > 0)
        .map(|e| key(period, e))
        .collect();
    expected.sort();
    let listed: Vec<String> = block_on(store.list(&prefix(period), None, usize::MAX))
        .unwrap()
        .entries
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(listed, expected, "{period}");
    let totals = block_on(totals(store, period))
        .unwrap()
        .expect("a complete index");
    assert_eq!(totals.members, expected.len() as u64);
    assert_eq!(totals.points, entries.iter().map(|e| e.points).sum::<u64>());
}

/// The leaderboard every read must give: all entries ranked.
fn reference(store: &MemoryStore, period: &PeriodKey) -> Vec<LeaderboardRow> {
    rank(board(store, period), usize::MAX)
}

fn rows(
    store: &MemoryStore,
    period: &PeriodKey,
    limit: usize,
    me: Option<&MemberId>,
    cap: usize,
) -> (Vec<LeaderboardRow>, Option<LeaderboardRow>) {
    block_on(board_rows(store, period, limit, me, cap)).unwrap()
}

/// The reference's answer for `me`: their row when fewer than `cap` are ahead of them.
fn expected_me(all: &[LeaderboardRow], me: &MemberId, cap: usize) -> Option<LeaderboardRow> {
    all.iter()
        .find(|r| r.member_id == *me)
        .filter(|r| (r.rank as usize) - 1 < cap)
        .cloned()
}

fn tiers_read(store: &MemoryStore) -> Tiers {
    tiers_of(store, &slug())
}

fn tiers_of(store: &MemoryStore, slug: &crate::ids::CommunitySlug) -> Tiers {
    let outcome = block_on(handle(
        store,
        slug,
        &Actor::Operator,
        Command::Insight(InsightCommand::Tiers),
        NOON,
    ))
    .unwrap();
    match outcome.reply {
        Reply::Insight(InsightReply::Tiers(t)) => t,
        other => panic!("{other:?}"),
    }
}

fn set_members(store: &MemoryStore, members: u32) {
    let mut batch = Batch::new();
    batch
        .put_json(crate::insight::keys::TOTALS, &members)
        .unwrap();
    block_on(store.commit(batch)).unwrap();
}

fn reference_tiers(store: &MemoryStore, members: u32) -> Tiers {
    let entries = board(store, &PeriodKey::all_time())
        .into_iter()
        .map(|e| (e.member, e.points))
        .collect();
    tiers::tiers(members, entries)
}

#[test]
fn keys_sort_as_the_leaderboard_ranks_and_read_back() {
    let p = PeriodKey::all_time();
    let entry = |m: usize, points: u64, at: i64| BoardEntry {
        member: id(m),
        points,
        reached_at: Timestamp(at),
    };
    let mut entries = vec![
        entry(1, 5, 10),
        entry(2, 5, -10),
        entry(3, 5, 10),
        entry(4, u64::MAX, i64::MAX),
        entry(5, 1, i64::MIN),
        entry(6, 40, 0),
    ];
    let mut by_key = entries.clone();
    by_key.sort_by_key(|e| key(&p, e));
    let order: Vec<MemberId> = rank(entries.clone(), usize::MAX)
        .into_iter()
        .map(|r| r.member_id)
        .collect();
    assert_eq!(
        by_key.iter().map(|e| e.member.clone()).collect::<Vec<_>>(),
        order
    );
    for e in entries.drain(..) {
        assert_eq!(parse(&prefix(&p), &key(&p, &e)).unwrap(), e);
    }
    // The marker is not under the entries' prefix.
    assert!(!marker(&p).starts_with(&prefix(&p)));
    assert!(parse(&prefix(&p), "board-rank/all/x/1/m001").is_err());
}

#[test]
fn a_board_written_before_the_index_is_indexed_by_its_first_write() {
    let store = MemoryStore::new();
    let all = PeriodKey::all_time();
    for (m, points) in [(1, 30), (2, 10), (3, 30), (4, 20)] {
        earn_unindexed(&store, &all, &id(m), points, NOON.plus_millis(m as i64));
    }
    // No marker: reads scan the board and agree with the reference.
    assert_eq!(block_on(totals(&store, &all)).unwrap(), None);
    let full = reference(&store, &all);
    assert_eq!(
        rows(&store, &all, 10, Some(&id(2)), 100),
        (full.clone(), full.last().cloned())
    );

    // Two members earn in one batch: the first rebuilds, the second sees the queued marker.
    let mut batch = Batch::new();
    earn(&store, &mut batch, &all, &id(2), 25, NOON.plus_millis(100));
    earn(&store, &mut batch, &all, &id(5), 5, NOON.plus_millis(100));
    block_on(store.commit(batch)).unwrap();
    assert_index_matches_board(&store, &all);
    let full = reference(&store, &all);
    let ranks: Vec<(u32, u64)> = full.iter().map(|r| (r.rank, r.points)).collect();
    assert_eq!(ranks, [(1, 35), (2, 30), (2, 30), (4, 20), (5, 5)]);
    assert_eq!(rows(&store, &all, 3, None, 100).0, full[..3]);
    assert_eq!(
        rows(&store, &all, 3, Some(&id(4)), 100).1,
        Some(full[3].clone())
    );
    assert_eq!(rows(&store, &all, 3, Some(&id(9)), 100).1, None);

    // A brand-new period: the marker with the one entry, nothing scanned.
    let week = period(0);
    let mut batch = Batch::new();
    earn(&store, &mut batch, &week, &id(7), 3, NOON);
    block_on(store.commit(batch)).unwrap();
    assert_index_matches_board(&store, &week);
    assert_eq!(
        block_on(totals(&store, &week)).unwrap(),
        Some(BoardTotals {
            members: 1,
            points: 3
        })
    );
}

#[test]
fn past_the_scan_cap_the_top_is_still_right_and_far_members_get_no_rank() {
    let store = MemoryStore::new();
    let all = PeriodKey::all_time();
    // Points grow with the member id: the best members sort last by id.
    let mut batch = Batch::new();
    for m in 0..50 {
        earn(&store, &mut batch, &all, &id(m), (m as u64 / 2) + 1, NOON);
    }
    block_on(store.commit(batch)).unwrap();
    let cap = 10;
    let full = reference(&store, &all);
    let (top, me) = rows(&store, &all, 5, Some(&id(40)), cap);
    assert_eq!(top, full[..5]);
    assert_eq!(top[0].member_id, id(48), "{top:?}");
    // Members 40 and 41 share 21 points; eight members (42..=49) are ahead.
    assert_eq!(me.map(|r| (r.rank, r.points)), Some((9, 21)));
    assert_eq!(
        rows(&store, &all, 5, Some(&id(39)), cap).1,
        None,
        "ten ahead"
    );
    assert_eq!(rows(&store, &all, 5, Some(&id(0)), cap).1, None);
    assert_eq!(
        rows(&store, &all, 5, Some(&id(0)), 1000).1,
        full.iter().find(|r| r.member_id == id(0)).cloned()
    );
}

#[test]
fn the_lowest_points_are_found_by_search() {
    let store = MemoryStore::new();
    let all = PeriodKey::all_time();
    assert_eq!(block_on(lowest(&store, &all)).unwrap(), None);
    let points = [u64::MAX, 7, 1 << 40, 3, 3, u64::MAX - 1];
    for (i, p) in points.iter().enumerate() {
        let mut batch = Batch::new();
        earn(&store, &mut batch, &all, &id(i), *p, NOON);
        block_on(store.commit(batch)).unwrap();
        let least = points[..=i].iter().min().copied();
        assert_eq!(block_on(lowest(&store, &all)).unwrap(), least);
    }
    let before = store.ops().lists;
    block_on(lowest(&store, &all)).unwrap();
    assert!(store.ops().lists - before <= 65);
}

#[test]
fn erasing_a_board_entry_takes_it_out_of_its_periods_totals() {
    let store = MemoryStore::new();
    let all = PeriodKey::all_time();
    for (i, p) in [5u64, 3, 8].iter().enumerate() {
        let mut batch = Batch::new();
        earn(&store, &mut batch, &all, &id(i), *p, NOON);
        block_on(store.commit(batch)).unwrap();
    }
    let before = block_on(totals(&store, &all)).unwrap().unwrap();
    assert_eq!((before.members, before.points), (3, 16));
    let mut batch = Batch::new();
    let entry = serde_json::json!({"points": 3});
    let board = format!("board/{all}/erased-1");
    block_on(forget_erased(&store, &mut batch, &board, &entry)).unwrap();
    // Not a board entry, or a period without an index: nothing changes.
    block_on(forget_erased(
        &store,
        &mut batch,
        "member/erased-1/profile",
        &entry,
    ))
    .unwrap();
    block_on(forget_erased(
        &store,
        &mut batch,
        "board/2026-W40/erased-1",
        &entry,
    ))
    .unwrap();
    assert_eq!(batch.writes().len(), 1, "{:?}", batch.writes());
    block_on(store.commit(batch)).unwrap();
    let after = block_on(totals(&store, &all)).unwrap().unwrap();
    assert_eq!((after.members, after.points), (2, 13));
}

/// One earn: a member, a period, points gained and minutes later.
fn step() -> impl Strategy<Value = (usize, usize, u64, i64)> {
    (0usize..40, 0usize..3, 1u64..6, 0i64..3)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn the_index_reads_as_ranking_every_entry(
        before in prop::collection::vec(step(), 0..40),
        after in prop::collection::vec(prop::collection::vec(step(), 1..6), 1..40),
        limit in 1usize..12,
        cap in 0usize..45,
        members in 0u32..80,
    ) {
        let (store, _) = community_with_key(NOON);
        let mut now = NOON;
        // Boards written before the index.
        for (m, p, gained, later) in before {
            now = now.plus_millis(later * Timestamp::MINUTE);
            earn_unindexed(&store, &period(p), &id(m), gained, now);
        }
        // Then batches of earns (each member and period once per batch, as `earn` does).
        for group in after {
            now = now.plus_millis(Timestamp::MINUTE);
            let mut batch = Batch::new();
            let mut seen = std::collections::BTreeSet::new();
            for (m, p, gained, later) in group {
                if seen.insert((m, p)) {
                    earn(&store, &mut batch, &period(p), &id(m), gained, now.plus_millis(later));
                }
            }
            block_on(store.commit(batch)).unwrap();
        }
        for p in 0..3 {
            let period = period(p);
            let full = reference(&store, &period);
            let indexed = block_on(totals(&store, &period)).unwrap().is_some();
            if indexed {
                assert_index_matches_board(&store, &period);
            }
            // Without an index the scan reads the first `cap` ids: compare it uncapped.
            let cap = if indexed { cap.max(limit) } else { usize::MAX };
            let (top, _) = rows(&store, &period, limit, None, cap);
            prop_assert_eq!(&top, &full[..limit.min(full.len())]);
            for m in 0..41 {
                let (_, me) = rows(&store, &period, limit, Some(&id(m)), cap);
                prop_assert_eq!(me, expected_me(&full, &id(m), cap), "m{} in {}", m, period);
            }
        }
        set_members(&store, members);
        prop_assert_eq!(tiers_read(&store), reference_tiers(&store, members));
    }
}

#[test]
fn the_scripted_community_seeds_its_index_and_plays_on_it() {
    use crate::app::insight::scripted::{self, Ledger};
    use crate::insight::script::{Community, ScriptConfig};
    let store = MemoryStore::new();
    let mut script = Community::new(ScriptConfig {
        members: 300,
        weeks: 2,
        seed: 3,
    });
    let stage = block_on(scripted::set_up(&store, &script)).unwrap();
    let mut ledger = Ledger::new(script.members.len());
    let days = script.days();
    for _ in 0..days - 2 {
        let (_, steps) = script.day();
        block_on(scripted::seed(&store, &script, &mut ledger, &steps)).unwrap();
    }
    let last = days - 3;
    let now = scripted::at(&stage, last, 23 * 60);
    block_on(scripted::seed_members(&store, &script, &ledger, last, now)).unwrap();
    let all = PeriodKey::all_time();
    assert_index_matches_board(&store, &all);
    let members = block_on(get_json::<u32>(&store, crate::insight::keys::TOTALS))
        .unwrap()
        .unwrap_or(0);
    assert!(board(&store, &all).len() > 10);
    assert_eq!(
        tiers_of(&store, &stage.slug),
        reference_tiers(&store, members)
    );
    // A day played through the application moves the index with the boards.
    let (_, steps) = script.day();
    for step in &steps {
        // Replies and reactions to threads the seeding never wrote fail: skip them.
        let _ = block_on(scripted::play(&store, &stage, &script, step));
    }
    assert_index_matches_board(&store, &all);
    let members = block_on(get_json::<u32>(&store, crate::insight::keys::TOTALS))
        .unwrap()
        .unwrap_or(0);
    assert_eq!(
        tiers_of(&store, &stage.slug),
        reference_tiers(&store, members)
    );
    let full = reference(&store, &all);
    assert_eq!(
        rows(&store, &all, 50, None, BOARD_SCAN).0,
        full[..50.min(full.len())]
    );
}
