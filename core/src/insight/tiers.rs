//! Contribution tiers: the top 1 % of members by points, the next 9 % (the top 10 %), and
//! the rest. Computed when read from the all-time leaderboard: [`tiers_from_top`] takes only
//! its top 10 % (read from the board's points-ordered index, `board-rank/all/…`) and the
//! index's totals of entries and points, so a read costs one entry per member of the top
//! 10 %, not one per earning member. [`tiers`] ranks every entry (`board/all/…`): what a read
//! falls back to before the index is complete, and the reference the other is tested against.

use serde::{Deserialize, Serialize};

use crate::ids::MemberId;

/// A tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// The top 1 % by points (ties at the cut included).
    #[serde(rename = "top_1")]
    Top1,
    /// The rest of the top 10 % (ties at the cut included).
    #[serde(rename = "top_10")]
    Top10,
    /// Everyone else, members without points included.
    Rest,
}

/// One tier's members and points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierRow {
    pub tier: Tier,
    pub members: u32,
    /// The fewest points a member of this tier has (0 when it has none).
    pub min_points: u64,
    /// The points its members hold together.
    pub points: u64,
}

/// A member at the top.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Leader {
    pub member: MemberId,
    pub points: u64,
}

/// `GET …/insight/tiers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tiers {
    /// Every member insight knows of (anyone who did anything), or the members with points
    /// if that is more.
    pub members: u32,
    /// Members with points.
    pub with_points: u32,
    /// All points on the all-time leaderboard.
    pub points: u64,
    /// Top 1 %, top 10 % (without the top 1 %), the rest: they add up to `members`.
    pub tiers: Vec<TierRow>,
    /// The top 1 %, most points first (at most [`Tiers::LEADERS`]).
    pub leaders: Vec<Leader>,
}

impl Tiers {
    pub const LEADERS: usize = 20;
}

/// The tiers of `members` members of whom `entries` hold points. The cut of a tier is the
/// points of the member at its rank (`ceil(1 %)`, `ceil(10 %)` of the members); everyone
/// with at least that many points is in it, so equal scores share a tier.
pub fn tiers(members: u32, mut entries: Vec<(MemberId, u64)>) -> Tiers {
    entries.retain(|(_, points)| *points > 0);
    let with_points = u32::try_from(entries.len()).unwrap_or(u32::MAX);
    let points = entries.iter().map(|(_, p)| *p).sum();
    tiers_from_top(members, with_points, points, entries, None)
}

/// How many of the best entries [`tiers_from_top`] needs (with everyone tied with the last
/// of them): `ceil(10 %)` of the members, counted as [`tiers`] counts them.
pub fn top_rank(members: u32, with_points: u32) -> usize {
    usize::try_from(members.max(with_points).div_ceil(10)).unwrap_or(usize::MAX)
}

/// Whether [`tiers_from_top`] needs the fewest points of any entry: every member has points
/// and some are not among the `top` entries read, so the rest's fewest is one of theirs.
pub fn needs_lowest(members: u32, with_points: u32, top: usize) -> bool {
    members <= with_points && top < usize::try_from(with_points).unwrap_or(usize::MAX)
}

/// [`tiers`] from the top of the board: `top` holds every entry with at least the points of
/// the entry at rank [`top_rank`] (every entry if there are fewer), in any order;
/// `with_points` and `points` count every entry with points; `lowest` is the fewest points
/// of any entry (read only when [`needs_lowest`] says so). Equal to [`tiers`] over all the
/// entries.
pub fn tiers_from_top(
    members: u32,
    with_points: u32,
    points: u64,
    mut top: Vec<(MemberId, u64)>,
    lowest: Option<u64>,
) -> Tiers {
    top.retain(|(_, points)| *points > 0);
    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let members = members.max(with_points);
    let cut = |percent: u32| -> Option<u64> {
        let rank = usize::try_from(members.div_ceil(100 / percent)).unwrap_or(usize::MAX);
        if rank == 0 {
            return None;
        }
        top.get(rank - 1).or(top.last()).map(|(_, points)| *points)
    };
    let (top1_cut, top10_cut) = (cut(1), cut(10));
    let mut rows = [Tier::Top1, Tier::Top10, Tier::Rest].map(|tier| TierRow {
        tier,
        members: 0,
        min_points: 0,
        points: 0,
    });
    let mut in_top: u64 = 0;
    let add = |row: &mut TierRow, count: u32, sum: u64, least: u64| {
        if count == 0 {
            return;
        }
        row.min_points = if row.members == 0 {
            least
        } else {
            row.min_points.min(least)
        };
        row.members += count;
        row.points = row.points.saturating_add(sum);
    };
    for (_, p) in &top {
        in_top = in_top.saturating_add(*p);
        let row = if top1_cut.is_some_and(|cut| *p >= cut) {
            &mut rows[0]
        } else if top10_cut.is_some_and(|cut| *p >= cut) {
            &mut rows[1]
        } else {
            &mut rows[2]
        };
        add(row, 1, *p, *p);
    }
    // The entries below the top 10 % were not read: the totals say what they hold.
    let read = u32::try_from(top.len()).unwrap_or(u32::MAX);
    let unread = with_points.saturating_sub(read);
    add(
        &mut rows[2],
        unread,
        points.saturating_sub(in_top),
        lowest.unwrap_or(0),
    );
    let without = members - with_points;
    if without > 0 {
        rows[2].members += without;
        rows[2].min_points = 0;
    }
    let leaders = top
        .iter()
        .take(
            usize::try_from(rows[0].members)
                .unwrap_or(0)
                .min(Tiers::LEADERS),
        )
        .map(|(member, points)| Leader {
            member: member.clone(),
            points: *points,
        })
        .collect();
    Tiers {
        members,
        with_points,
        points,
        tiers: rows.to_vec(),
        leaders,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tiers computed the plain way, from every entry: the oracle the tests hold
    /// [`tiers`] and [`tiers_from_top`] to.
    fn reference_tiers(members: u32, mut entries: Vec<(MemberId, u64)>) -> Tiers {
        entries.retain(|(_, points)| *points > 0);
        entries.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let with_points = u32::try_from(entries.len()).unwrap_or(u32::MAX);
        let members = members.max(with_points);
        let cut = |percent: u32| -> Option<u64> {
            let rank = usize::try_from(members.div_ceil(100 / percent)).unwrap_or(usize::MAX);
            if rank == 0 {
                return None;
            }
            entries
                .get(rank - 1)
                .or(entries.last())
                .map(|(_, points)| *points)
        };
        let (top1_cut, top10_cut) = (cut(1), cut(10));
        let mut rows = [Tier::Top1, Tier::Top10, Tier::Rest].map(|tier| TierRow {
            tier,
            members: 0,
            min_points: 0,
            points: 0,
        });
        let total: u64 = entries.iter().map(|(_, p)| *p).sum();
        for (_, points) in &entries {
            let row = if top1_cut.is_some_and(|cut| *points >= cut) {
                &mut rows[0]
            } else if top10_cut.is_some_and(|cut| *points >= cut) {
                &mut rows[1]
            } else {
                &mut rows[2]
            };
            row.members += 1;
            row.points = row.points.saturating_add(*points);
            row.min_points = if row.members == 1 {
                *points
            } else {
                row.min_points.min(*points)
            };
        }
        // Members without points are the rest, with 0 as their fewest.
        let without = members - with_points;
        if without > 0 {
            rows[2].members += without;
            rows[2].min_points = 0;
        }
        let leaders = entries
            .iter()
            .take(
                usize::try_from(rows[0].members)
                    .unwrap_or(0)
                    .min(Tiers::LEADERS),
            )
            .map(|(member, points)| Leader {
                member: member.clone(),
                points: *points,
            })
            .collect();
        Tiers {
            members,
            with_points,
            points: total,
            tiers: rows.to_vec(),
            leaders,
        }
    }

    fn entries(points: &[u64]) -> Vec<(MemberId, u64)> {
        points
            .iter()
            .enumerate()
            .map(|(i, p)| (MemberId::parse(&format!("m{i:03}")).unwrap(), *p))
            .collect()
    }

    fn counts(t: &Tiers) -> [u32; 3] {
        [t.tiers[0].members, t.tiers[1].members, t.tiers[2].members]
    }

    #[test]
    fn the_top_one_and_ten_percent_by_points() {
        // 200 members, 100 with points 1..=100: top 1 % is 2 members (100, 99), top 10 %
        // is 20 (down to 81).
        let points: Vec<u64> = (1..=100).collect();
        let t = tiers(200, entries(&points));
        assert_eq!(counts(&t), [2, 18, 180]);
        assert_eq!(t.tiers[0].min_points, 99);
        assert_eq!(t.tiers[1].min_points, 81);
        assert_eq!(t.tiers[2].min_points, 0);
        assert_eq!(t.points, 5050);
        assert_eq!(t.tiers[0].points, 199);
        assert_eq!(t.leaders.len(), 2);
        assert_eq!(t.leaders[0].points, 100);
    }

    proptest::proptest! {
        #[test]
        fn the_top_and_the_totals_give_the_tiers_of_every_entry(
            points in proptest::collection::vec(0u64..40, 0..300),
            extra in 0u32..300,
            fewer in proptest::bool::ANY,
        ) {
            let all = entries(&points);
            // Sometimes fewer members known than hold points (the count follows).
            let with: Vec<u64> = points.iter().copied().filter(|p| *p > 0).collect();
            let with_points = with.len() as u32;
            let members = if fewer { with_points / 2 } else { with_points + extra };
            let reference = reference_tiers(members, all.clone());
            proptest::prop_assert_eq!(tiers(members, all.clone()), reference.clone());
            let mut sorted = all.clone();
            sorted.retain(|(_, p)| *p > 0);
            sorted.sort_by_key(|e| std::cmp::Reverse(e.1));
            let rank = top_rank(members, with_points);
            let top: Vec<(MemberId, u64)> = match sorted.get(rank.max(1) - 1) {
                Some((_, cut)) if rank > 0 => sorted.iter().filter(|(_, p)| p >= cut).cloned().collect(),
                _ if rank == 0 => Vec::new(),
                _ => sorted.clone(),
            };
            let lowest = needs_lowest(members, with_points, top.len())
                .then(|| with.iter().copied().min())
                .flatten();
            let total: u64 = with.iter().sum();
            proptest::prop_assert_eq!(
                tiers_from_top(members, with_points, total, top, lowest),
                reference
            );
        }
    }

    #[test]
    fn ties_at_the_cut_share_the_tier_and_zero_is_never_top() {
        // 10 members: top 1 % is rank 1 (10 points: two members), top 10 % is rank 1 too.
        let t = tiers(10, entries(&[10, 10, 5, 0]));
        assert_eq!(counts(&t), [2, 0, 8]);
        assert_eq!(tiers(5, Vec::new()).tiers[2].members, 5);
        assert_eq!(counts(&tiers(0, Vec::new())), [0, 0, 0]);
        // More members with points than known: the members count follows.
        let t = tiers(1, entries(&[3, 2]));
        assert_eq!(t.members, 2);
        assert_eq!(counts(&t), [1, 0, 1]);
    }
}
