//! The staff's insight reads (the dashboard's charts) and the addresses of their CSV files,
//! and the members directory as a CSV file. The files are plain same-origin links: the
//! session cookie authorises them.

use chrono::NaiveDate;
use gloo_net::http::Request;
use quanzi_core::app::insight::{Churn, Overview, QuietMembers, Retention, Streaks, TopItems};
use quanzi_core::app::members::MemberQuery;
use quanzi_core::error::ApiError;
use quanzi_core::insight::Week;
use quanzi_core::insight::rollup::ItemKind;
use quanzi_core::insight::tiers::Tiers;
use serde::de::DeserializeOwned;

use super::{Client, send};

/// One insight read: which view and its query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InsightRead {
    /// Activity per day, and the weeks' and months' active members.
    Overview {
        from: NaiveDate,
        to: NaiveDate,
    },
    /// Join cohorts of the ISO weeks `from..=to`.
    Retention {
        from: Week,
        to: Week,
    },
    Tiers,
    /// The most engaged items of `kind` in `week` (this week when `None`).
    Top {
        kind: ItemKind,
        week: Option<Week>,
        limit: u32,
    },
    /// Check-ins per day by streak reached.
    Streaks {
        from: NaiveDate,
        to: NaiveDate,
    },
    /// Members at risk today and per day: active before, quiet for `quiet_days` days.
    Churn {
        from: NaiveDate,
        to: NaiveDate,
        quiet_days: u32,
    },
    /// The first `limit` members quiet for `quiet_days` days, most recently active first.
    ChurnMembers {
        limit: u32,
        quiet_days: u32,
    },
}

impl InsightRead {
    fn path(&self) -> &'static str {
        match self {
            InsightRead::Overview { .. } => "insight/overview",
            InsightRead::Retention { .. } => "insight/retention",
            InsightRead::Tiers => "insight/tiers",
            InsightRead::Top { .. } => "insight/top",
            InsightRead::Streaks { .. } => "insight/streaks",
            InsightRead::Churn { .. } => "insight/churn",
            InsightRead::ChurnMembers { .. } => "insight/churn/members",
        }
    }

    fn query(&self) -> Vec<(&'static str, String)> {
        let days = |from: &NaiveDate, to: &NaiveDate| {
            vec![("from", from.to_string()), ("to", to.to_string())]
        };
        match self {
            InsightRead::Overview { from, to } | InsightRead::Streaks { from, to } => {
                days(from, to)
            }
            InsightRead::Churn {
                from,
                to,
                quiet_days,
            } => {
                let mut q = days(from, to);
                q.push(("quiet_days", quiet_days.to_string()));
                q
            }
            InsightRead::Retention { from, to } => {
                vec![("from", from.to_string()), ("to", to.to_string())]
            }
            InsightRead::Tiers => Vec::new(),
            InsightRead::Top { kind, week, limit } => {
                let mut q = vec![
                    ("kind", kind.as_str().to_owned()),
                    ("limit", limit.to_string()),
                ];
                if let Some(week) = week {
                    q.push(("week", week.to_string()));
                }
                q
            }
            InsightRead::ChurnMembers { limit, quiet_days } => vec![
                ("limit", limit.to_string()),
                ("quiet_days", quiet_days.to_string()),
            ],
        }
    }
}

/// `path?k=v&…`, each value percent-encoded.
fn with_query(path: String, pairs: &[(impl AsRef<str>, String)]) -> String {
    if pairs.is_empty() {
        return path;
    }
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", k.as_ref(), js_sys::encode_uri_component(v)))
        .collect();
    format!("{path}?{}", query.join("&"))
}

impl Client {
    fn insight_address(&self, slug: &str, read: &InsightRead, csv: bool) -> String {
        let suffix = if csv { ".csv" } else { "" };
        let path = format!("api/v1/communities/{slug}/{}{suffix}", read.path());
        self.url(&with_query(path, &read.query()))
    }

    async fn insight_get<T: DeserializeOwned>(
        &self,
        slug: &str,
        read: &InsightRead,
    ) -> Result<T, ApiError> {
        send(
            Request::get(&self.insight_address(slug, read, false)),
            None::<&()>,
        )
        .await
    }

    /// The address of `read` as a CSV file (the session cookie authorises it).
    pub fn insight_csv_url(&self, slug: &str, read: &InsightRead) -> String {
        self.insight_address(slug, read, true)
    }

    /// `GET …/insight/overview` (`read`: an [`InsightRead::Overview`]).
    pub async fn insight_overview(
        &self,
        slug: &str,
        read: &InsightRead,
    ) -> Result<Overview, ApiError> {
        self.insight_get(slug, read).await
    }

    /// `GET …/insight/retention`.
    pub async fn insight_retention(
        &self,
        slug: &str,
        read: &InsightRead,
    ) -> Result<Retention, ApiError> {
        self.insight_get(slug, read).await
    }

    /// `GET …/insight/tiers`.
    pub async fn insight_tiers(&self, slug: &str) -> Result<Tiers, ApiError> {
        self.insight_get(slug, &InsightRead::Tiers).await
    }

    /// `GET …/insight/top`.
    pub async fn insight_top(&self, slug: &str, read: &InsightRead) -> Result<TopItems, ApiError> {
        self.insight_get(slug, read).await
    }

    /// `GET …/insight/streaks`.
    pub async fn insight_streaks(
        &self,
        slug: &str,
        read: &InsightRead,
    ) -> Result<Streaks, ApiError> {
        self.insight_get(slug, read).await
    }

    /// `GET …/insight/churn`.
    pub async fn insight_churn(&self, slug: &str, read: &InsightRead) -> Result<Churn, ApiError> {
        self.insight_get(slug, read).await
    }

    /// `GET …/insight/churn/members`.
    pub async fn insight_churn_members(
        &self,
        slug: &str,
        read: &InsightRead,
    ) -> Result<QuietMembers, ApiError> {
        self.insight_get(slug, read).await
    }

    /// The address of the members directory matching `query` as a CSV file.
    pub fn members_csv_url(&self, slug: &str, query: &MemberQuery) -> String {
        let pairs: Vec<(String, String)> = match serde_json::to_value(query) {
            Ok(serde_json::Value::Object(fields)) => fields
                .into_iter()
                .map(|(name, value)| match value {
                    serde_json::Value::String(text) => (name, text),
                    other => (name, other.to_string()),
                })
                .collect(),
            _ => Vec::new(),
        };
        let path = format!("api/v1/communities/{slug}/members.csv");
        self.url(&with_query(path, &pairs))
    }
}
