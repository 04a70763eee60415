//! The leaderboards' points-ordered index, kept beside the entries on every board write so
//! that reading the top of a board (or the top 10 % for the contribution tiers) reads only
//! those entries, never the whole board.
//!
//! Storage, per period key (`2026-W09`, `2026-03`, `all`):
//! * `board-rank/{period}/{inverted points}/{reached at}/{member}` → `null`: one per board
//!   entry with points. The inverted points are `u64::MAX - points` and the time the score
//!   was reached is the millisecond timestamp with its sign bit flipped, both as 20 zero-padded
//!   digits, so key order is exactly the leaderboard order of [`crate::recognition::rank`]:
//!   most points first, then who reached the score first, then member id.
//! * `board-rank/{period}` → [`BoardTotals`]: the marker that the period's index is complete,
//!   with the number of entries and their points together. It has no `/` after the period,
//!   so it is never listed among (nor collides with) the entries under `board-rank/{period}/`.
//!
//! Board points only grow: [`put_entry`] deletes the member's old index key and puts the
//! new one in the caller's batch. A period written before the index existed has no marker:
//! its first write rebuilds the index from `board/{period}/` in that same batch (a one-time
//! scan) and writes the marker; until then reads fall back to scanning the board.

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorCode};
use crate::ids::MemberId;
use crate::recognition::{BoardEntry, PeriodKey};
use crate::store::{Batch, Store, StoreError, Write, get_json};
use crate::time::Timestamp;

use super::rkeys;

/// Index entries read per storage list when counting or collecting.
const PAGE: usize = 1_000;

/// The marker of a complete index, with the counters the contribution tiers need.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct BoardTotals {
    /// Board entries with points.
    pub members: u64,
    /// Their points together.
    pub points: u64,
}

impl BoardTotals {
    fn add(&mut self, points: u64) {
        if points > 0 {
            self.members = self.members.saturating_add(1);
            self.points = self.points.saturating_add(points);
        }
    }

    fn remove(&mut self, points: u64) {
        if points > 0 {
            self.members = self.members.saturating_sub(1);
            self.points = self.points.saturating_sub(points);
        }
    }
}

/// `board-rank/{period}`: the marker and totals.
pub(crate) fn marker(period: &PeriodKey) -> String {
    format!("board-rank/{period}")
}

/// `board-rank/{period}/`: the entries, best first.
pub(crate) fn prefix(period: &PeriodKey) -> String {
    format!("board-rank/{period}/")
}

fn inverted(points: u64) -> String {
    format!("{:020}", u64::MAX - points)
}

/// The index key of `entry` (which must have points).
pub(crate) fn key(period: &PeriodKey, entry: &BoardEntry) -> String {
    // The sign bit flipped: negative instants sort before positive ones as unsigned.
    let reached = entry.reached_at.millis().cast_unsigned() ^ (1 << 63);
    format!(
        "{}{}/{reached:020}/{}",
        prefix(period),
        inverted(entry.points),
        entry.member
    )
}

/// The entry an index key stands for.
fn parse(prefix: &str, key: &str) -> Result<BoardEntry, ApiError> {
    let corrupt = || ApiError::from(StoreError(format!("corrupt board index key {key}")));
    let rest = key.strip_prefix(prefix).ok_or_else(corrupt)?;
    let mut parts = rest.splitn(3, '/');
    let (Some(inv), Some(reached), Some(member)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(corrupt());
    };
    let inv: u64 = inv.parse().map_err(|_| corrupt())?;
    let reached: u64 = reached.parse().map_err(|_| corrupt())?;
    Ok(BoardEntry {
        member: MemberId::parse(member).map_err(|_| corrupt())?,
        points: u64::MAX - inv,
        reached_at: Timestamp((reached ^ (1 << 63)).cast_signed()),
    })
}

/// The period's totals if its index is complete: queued in `batch` already, or stored.
async fn totals_in(
    store: &impl Store,
    batch: &Batch,
    period: &PeriodKey,
) -> Result<Option<BoardTotals>, ApiError> {
    let marker = marker(period);
    let queued = batch.writes().iter().rev().find_map(|w| match w {
        Write::Put { key, value } if *key == marker => Some(Some(value)),
        Write::Delete { key } if *key == marker => Some(None),
        _ => None,
    });
    match queued {
        Some(Some(value)) => serde_json::from_str(value)
            .map(Some)
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("board totals: {e}"))),
        Some(None) => Ok(None),
        None => Ok(get_json(store, &marker).await?),
    }
}

/// The period's totals if its index is complete (reads use the index only then).
pub(crate) async fn totals(
    store: &impl Store,
    period: &PeriodKey,
) -> Result<Option<BoardTotals>, ApiError> {
    Ok(get_json(store, &marker(period)).await?)
}

/// Queues `entry` at `board/{period}/{member}` in `batch`, replacing `old` (the entry as
/// stored, `None` if there was none) in the index, and the period's totals. The first write
/// of a period without a complete index first indexes every stored entry of the period.
///
/// Within one batch, call it at most once per member and period (like [`super::earn::earn`]):
/// `old` must be what the store holds.
pub(crate) async fn put_entry(
    store: &impl Store,
    batch: &mut Batch,
    period: &PeriodKey,
    old: Option<&BoardEntry>,
    entry: &BoardEntry,
) -> Result<(), ApiError> {
    let mut totals = match totals_in(store, batch, period).await? {
        Some(totals) => totals,
        None => rebuild(store, batch, period).await?,
    };
    if let Some(old) = old.filter(|o| o.points > 0) {
        batch.delete(key(period, old));
        totals.remove(old.points);
    }
    batch.put_json(rkeys::board(period, &entry.member), entry)?;
    if entry.points > 0 {
        batch.put_json(key(period, entry), &())?;
        totals.add(entry.points);
    }
    batch.put_json(marker(period), &totals)?;
    Ok(())
}

/// Queues an index key for every stored entry of `period` with points; their totals.
async fn rebuild(
    store: &impl Store,
    batch: &mut Batch,
    period: &PeriodKey,
) -> Result<BoardTotals, ApiError> {
    let board = rkeys::board_prefix(period);
    let mut totals = BoardTotals::default();
    let mut after: Option<String> = None;
    loop {
        let page = store.list(&board, after.as_deref(), PAGE).await?;
        for (_, text) in &page.entries {
            let entry = board_entry(text)?;
            if entry.points > 0 {
                batch.put_json(key(period, &entry), &())?;
                totals.add(entry.points);
            }
        }
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(totals),
        }
    }
}

pub(crate) fn board_entry(text: &str) -> Result<BoardEntry, ApiError> {
    serde_json::from_str::<BoardEntry>(text)
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("a board entry: {e}")))
}

/// The first `limit` entries of a complete index, best first.
pub(crate) async fn top(
    store: &impl Store,
    period: &PeriodKey,
    limit: usize,
) -> Result<Vec<BoardEntry>, ApiError> {
    let prefix = prefix(period);
    let page = store.list(&prefix, None, limit).await?;
    page.entries
        .iter()
        .map(|(key, _)| parse(&prefix, key))
        .collect()
}

/// How many entries of a complete index have more points than `points`, counting at most
/// `cap` (`None` when there are `cap` or more).
pub(crate) async fn ahead_of(
    store: &impl Store,
    period: &PeriodKey,
    points: u64,
    cap: usize,
) -> Result<Option<usize>, ApiError> {
    let prefix = prefix(period);
    // Every key with more points sorts before this one; every other key after it.
    let boundary = format!("{prefix}{}", inverted(points));
    let mut ahead = 0usize;
    let mut after: Option<String> = None;
    while ahead < cap {
        let page = store
            .list(&prefix, after.as_deref(), PAGE.min(cap - ahead))
            .await?;
        let before = page
            .entries
            .iter()
            .take_while(|(key, _)| *key < boundary)
            .count();
        ahead += before;
        if before < page.entries.len() {
            return Ok(Some(ahead));
        }
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(Some(ahead)),
        }
    }
    Ok(None)
}

/// The entries of a complete index with at least the points of the `rank`-th (all of them if
/// there are fewer): the top `rank` and everyone tied with the last of them.
pub(crate) async fn down_to_rank(
    store: &impl Store,
    period: &PeriodKey,
    rank: usize,
) -> Result<Vec<BoardEntry>, ApiError> {
    let prefix = prefix(period);
    let mut entries: Vec<BoardEntry> = Vec::new();
    if rank == 0 {
        return Ok(entries);
    }
    let mut after: Option<String> = None;
    loop {
        let want = if entries.len() < rank {
            (rank - entries.len()).clamp(1, PAGE)
        } else {
            PAGE.min(64)
        };
        let page = store.list(&prefix, after.as_deref(), want).await?;
        for (key, _) in &page.entries {
            let entry = parse(&prefix, key)?;
            if entries.len() >= rank && entries.last().is_some_and(|l| l.points > entry.points) {
                return Ok(entries);
            }
            entries.push(entry);
        }
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(entries),
        }
    }
}

/// The fewest points of any entry of a complete index (`None` if it is empty), found without
/// reading the index through: a binary search over the inverted points with one-key lists
/// (at most 64 of them, whatever the size of the board).
pub(crate) async fn lowest(
    store: &impl Store,
    period: &PeriodKey,
) -> Result<Option<u64>, ApiError> {
    let prefix = prefix(period);
    let Some((first, _)) = store
        .list(&prefix, None, 1)
        .await?
        .entries
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    // `lo`: the inverted points of an entry that exists; no entry has more than `hi`.
    let mut lo = u64::MAX - parse(&prefix, &first)?.points;
    let mut hi = u64::MAX;
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        // Keys at `mid` or beyond sort after this probe; keys below it sort before.
        let probe = format!("{prefix}{mid:020}");
        match store.list(&prefix, Some(&probe), 1).await?.entries.first() {
            Some((key, _)) => lo = u64::MAX - parse(&prefix, key)?.points,
            None => hi = mid - 1,
        }
    }
    Ok(Some(u64::MAX - lo))
}

/// Erasing a member removes their board entries: `removed` is a key erasure deleted and
/// `value` what it held. If it is a board entry of a period whose index is complete, the
/// period's totals lose it (its index key goes with the member's other keys), so reads keep
/// using the index and no later write has to rebuild it.
pub(crate) async fn forget_erased(
    store: &impl Store,
    batch: &mut Batch,
    removed: &str,
    value: &serde_json::Value,
) -> Result<(), ApiError> {
    let Some(period) = removed
        .strip_prefix("board/")
        .and_then(|rest| rest.split_once('/'))
        .and_then(|(period, _member)| PeriodKey::parse(period).ok())
    else {
        return Ok(());
    };
    if let Some(mut totals) = totals_in(store, batch, &period).await? {
        totals.remove(
            value
                .get("points")
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(0),
        );
        batch.put_json(marker(&period), &totals)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
